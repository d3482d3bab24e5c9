/*
 * The figures of one benchmark row: its samples (one per batch, the cost of
 * one iteration) reduced to their median, minimum and maximum. Pure, so that
 * the host unit test (tests/unit/test_bench_stats.c) checks it.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdint.h>

typedef struct {
    uint64_t median, min, max;
} bench_stats_t;

/* Sorts samples[0..n) in place and returns their median (the mean of the two
 * middle ones, rounded down, when n is even), minimum and maximum; all zero
 * when n is 0. */
bench_stats_t bench_stats(uint64_t *samples, int n);

/* The cost of one of `iterations` iterations that together took `total`,
 * rounded to the nearest; 0 iterations give 0. */
uint64_t bench_per_iteration(uint64_t total, unsigned iterations);

#endif
