/*
 * Timing with the TSC: a benchmark runs BATCHES batches of a fixed number of
 * iterations and reports the median, minimum and maximum cost per iteration
 * over the batches. Under TCG the TSC counts host time: compare ratios.
 */
#ifndef KBENCH_MEASURE_H
#define KBENCH_MEASURE_H

#include <stdint.h>

#define BATCHES 31

typedef struct {
    const char *name;
    uint64_t iterations; /* per batch */
    uint64_t per_iteration[BATCHES];
} measurement_t;

static inline uint64_t tsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* Sorts the batch results and prints the line tools/run-bench.py parses. */
void measurement_report(measurement_t *m);

#endif
