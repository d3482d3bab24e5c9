/* The two clocks bench reads: the TSC (`lfence; rdtsc`; under TCG the
 * host's, on both systems) and CLOCK_MONOTONIC in nanoseconds (each
 * system's own conversion of it). */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <stdint.h>

uint64_t tsc_read(void);
uint64_t monotonic_ns(void);

#endif
