/*
 * Batches timed with `lfence; rdtsc`, and the conversion of cycles to
 * nanoseconds at the frequency the kernel measured against the PIT at boot
 * and publishes in its info page (mapped read-only in every address space).
 * Under TCG the TSC counts host time, so the nanoseconds are host time too.
 */
#include "measure.h"

#include <stdio.h>
#include <stdlib.h>

#include "uapi/kinfo.h"
#include "uapi/vm.h"

uint64_t tsc_read(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

spread_t spread_of(uint64_t *per, int batches)
{
    qsort(per, (size_t)batches, sizeof(per[0]), compare);
    return (spread_t){per[batches / 2], per[0], per[batches - 1]};
}

spread_t time_batches(int batches, unsigned iterations, void (*op)(void))
{
    uint64_t per[MAX_BATCHES];
    for (int b = 0; b < batches; b++) {
        uint64_t start = tsc_read();
        for (unsigned i = 0; i < iterations; i++) {
            op();
        }
        per[b] = (tsc_read() - start) / iterations;
    }
    return spread_of(per, batches);
}

void report_cycles(const char *name, spread_t s, unsigned total_iterations)
{
    printf("bench: %s median %lu min %lu max %lu unit cycles iterations %u\n", name, s.median,
           s.min, s.max, total_iterations);
    fflush(stdout);
}

static uint64_t tsc_hz(void)
{
    return ((const volatile kinfo_t *)USER_INFO_PAGE)->tsc_hz; /* fixed after boot */
}

static uint64_t to_ns(uint64_t cycles)
{
    return (uint64_t)((unsigned __int128)cycles * 1000000000u / tsc_hz());
}

void report_ns(const char *name, spread_t s, unsigned total_iterations)
{
    printf("bench: %s median %lu min %lu max %lu unit ns iterations %u cycles %lu %lu %lu\n", name,
           to_ns(s.median), to_ns(s.min), to_ns(s.max), total_iterations, s.median, s.min, s.max);
    fflush(stdout);
}

void report_ratio(const char *name, uint64_t *hundredths, int batches)
{
    spread_t r = spread_of(hundredths, batches);
    printf("ratio: %s median %lu.%02lu min %lu.%02lu max %lu.%02lu batches %d\n", name,
           r.median / 100, r.median % 100, r.min / 100, r.min % 100, r.max / 100, r.max % 100,
           batches);
    fflush(stdout);
}
