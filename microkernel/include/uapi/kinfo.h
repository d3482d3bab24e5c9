/*
 * The kernel info page, mapped read-only at USER_INFO_PAGE in every VSpace:
 * the clock, readable without a system call.
 *
 * Monotonic nanoseconds = (rdtsc - boot_tsc) converted at tsc_hz;
 * realtime = realtime_at_boot_ns + monotonic. Read the fields between two
 * reads of an even, unchanged `seq` (the kernel makes it odd while it
 * writes). Under TCG the TSC counts host time.
 * Busy time = (ticks - idle_ticks) / tick_hz seconds.
 */
#ifndef CAPSULE_UAPI_KINFO_H
#define CAPSULE_UAPI_KINFO_H

#include <stdint.h>

typedef struct {
    uint64_t seq;
    uint64_t tsc_hz;              /* measured at boot against the PIT */
    uint64_t boot_tsc;            /* TSC value at monotonic time 0 */
    uint64_t realtime_at_boot_ns; /* from the CMOS clock, nanoseconds since 1970 */
    /* CPU time, sampled by the timer: each tick goes to whoever it finds
     * running (kernel/cpu_time.c). Single words, read without `seq`. */
    uint64_t tick_hz;    /* ticks per second */
    uint64_t ticks;      /* since boot */
    uint64_t idle_ticks; /* ticks that found the CPU idle */
} kinfo_t;

static inline uint64_t kinfo_tsc_to_ns(const kinfo_t *k, uint64_t tsc)
{
    uint64_t delta = tsc - k->boot_tsc;
    uint64_t secs = delta / k->tsc_hz, rest = delta % k->tsc_hz;
    return secs * 1000000000u + rest * 1000000000u / k->tsc_hz;
}

#endif
