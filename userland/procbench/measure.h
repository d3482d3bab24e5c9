/*
 * Timing for procbench: batches of iterations timed with rdtsc, reported as
 * the median, minimum and maximum cost of one iteration over the batches.
 */
#ifndef PROCBENCH_MEASURE_H
#define PROCBENCH_MEASURE_H

#include <stdint.h>

#define MAX_BATCHES 31

typedef struct {
    uint64_t median, min, max; /* TSC cycles per iteration */
} spread_t;

uint64_t tsc_read(void);

/* Sorts per[0..batches) and returns its median, minimum and maximum. */
spread_t spread_of(uint64_t *per, int batches);

/* Runs `op` `batches` times `iterations` times and returns the spread. */
spread_t time_batches(int batches, unsigned iterations, void (*op)(void));

/* The result line in cycles, as kbench prints it. */
void report_cycles(const char *name, spread_t s, unsigned total_iterations);

/* The result line in nanoseconds (at the kernel's TSC frequency), with the
 * cycles after it. */
void report_ns(const char *name, spread_t s, unsigned total_iterations);

/* A ratio measured per batch (in hundredths): its median, minimum and
 * maximum over the batches. */
void report_ratio(const char *name, uint64_t *hundredths, int batches);

#endif
