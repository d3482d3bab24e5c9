/*
 * bench: one static musl program that times the same operations on Capsule
 * and on Linux (docs/performance.md, "Side by side with Linux"). It finds
 * out at run time which system it runs on (system.h), runs each operation
 * once, checked, then in batches, timing each batch with `lfence; rdtsc`
 * and clock_gettime(CLOCK_MONOTONIC), and prints one line per row in
 * run-bench.py's format, the nanoseconds first:
 *   bench: cmp_NAME median N min N max N unit ns iterations N cycles N N N
 * then, on Linux, the idle containers (scale.h), then "bench: done". `make bench` boots it on
 * Capsule (as /sbin/init of build/benchcmp.img), `make bench-linux` on Debian's kernel.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "ops.h"
#include "scale.h"
#include "stats.h"
#include "system.h"

#define MAX_BATCHES 31
#define SETTLE_US 100000

typedef struct {
    const char *name;
    int batches;
    unsigned iterations; /* per batch */
    int (*op)(void);
    /* programs started: a pause before each batch (untimed), so that the
     * previous one's teardown, done after the wait returned, falls on no
     * batch (as procbench's container_start.c does) */
    bool settle;
} row_t;

static const row_t rows[] = {
    {"cmp_getpid", 31, 200, op_getpid, false},
    {"cmp_pipe_roundtrip", 31, 50, op_pipe_roundtrip, false},
    {"cmp_open_close", 31, 50, op_open_close, false},
    {"cmp_stat", 31, 50, op_stat, false},
    {"cmp_read_4k", 31, 50, op_read_4k, false},
    {"cmp_read_1m", 21, 2, op_read_1m, false},
    {"cmp_mmap_touch_1m", 21, 2, op_mmap_touch_1m, false},
    {"cmp_fork_exit_wait", 21, 1, op_fork_exit_wait, true},
    {"cmp_fork_exec_wait", 21, 1, op_fork_exec_wait, true},
    {"cmp_spawn_wait", 21, 1, op_spawn_wait, true},
    {"cmp_container_start", 21, 1, op_container_start, true},
};

static void measure(const row_t *row)
{
    uint64_t ns[MAX_BATCHES], cycles[MAX_BATCHES];
    for (int b = 0; b < row->batches; b++) {
        if (row->settle) {
            usleep(SETTLE_US);
        }
        uint64_t t0 = monotonic_ns(), c0 = tsc_read();
        for (unsigned i = 0; i < row->iterations; i++) {
            row->op();
        }
        uint64_t c1 = tsc_read(), t1 = monotonic_ns();
        ns[b] = bench_per_iteration(t1 - t0, row->iterations);
        cycles[b] = bench_per_iteration(c1 - c0, row->iterations);
    }
    bench_stats_t n = bench_stats(ns, row->batches), c = bench_stats(cycles, row->batches);
    printf("bench: %s median %lu min %lu max %lu unit ns iterations %u cycles %lu %lu %lu\n",
           row->name, n.median, n.min, n.max, row->iterations * (unsigned)row->batches, c.median,
           c.min, c.max);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0) {
        return 0;
    }
    int64_t answer;
    bench_system_t system = bench_detect_system(&answer);
    printf("bench: system %s (native Call answered %ld)\n", bench_system_name(system), answer);
    if (system == SYSTEM_UNKNOWN || ops_prepare(system) != 0) {
        printf("bench: failed: %s\n", system == SYSTEM_UNKNOWN ? "unknown system" : "set-up");
        return 1;
    }
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int status = rows[i].op();
        if (status != 0) {
            printf("bench: failed: %s: %d\n", rows[i].name, status);
            return 1;
        }
    }
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        measure(&rows[i]);
    }
    ops_finish();
    /* Capsule's idle containers are procbench's (make bench) */
    if (system == SYSTEM_LINUX && scale_linux_measure() != 0) {
        return 1;
    }
    printf("bench: done\n");
    return 0;
}
