/* Median and spread of a benchmark's samples (stats.h). */
#include "stats.h"

#include <stdlib.h>

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

bench_stats_t bench_stats(uint64_t *samples, int n)
{
    if (n <= 0) {
        return (bench_stats_t){0, 0, 0};
    }
    qsort(samples, (size_t)n, sizeof(samples[0]), compare);
    uint64_t median = samples[n / 2];
    if (n % 2 == 0) {
        uint64_t low = samples[n / 2 - 1];
        median = low + (median - low) / 2; /* no overflow near UINT64_MAX */
    }
    return (bench_stats_t){median, samples[0], samples[n - 1]};
}

uint64_t bench_per_iteration(uint64_t total, unsigned iterations)
{
    return iterations == 0 ? 0 : (total + iterations / 2) / iterations;
}
