/* Idle containers on Linux (scale.h). */
#include "scale.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "container.h"
#include "ops.h"
#include "stats.h"

#define SCALE_MAX 1000
#define WINDOW 5                   /* containers whose times make one rank's figure */
#define FREE_FLOOR_KIB (48 * 1024) /* stop before the OOM killer would choose */

static int pids[SCALE_MAX];
static uint64_t start_ns[SCALE_MAX], start_cycles[SCALE_MAX];

/* MemFree of /proc/meminfo in KiB, or -1. */
static long free_kib(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128];
    long kib = -1;
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (sscanf(line, "MemFree: %ld kB", &kib) == 1) {
            break;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return kib;
}

/* Starts one idle container and waits for its byte: its PID, or -1. */
static int start_idle(void)
{
    static char *const argv[] = {TINY_PROGRAM, NULL};
    int up[2];
    if (pipe(up) != 0) {
        return -1;
    }
    int pid = linux_container_spawn(argv, up[1]);
    close(up[1]);
    char byte = 0;
    if (pid > 0 && read(up[0], &byte, 1) != 1) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        pid = -1;
    }
    close(up[0]);
    return pid > 0 ? pid : -1;
}

static void report_rank(const char *name, int rank, int count)
{
    int first = rank - 1 - WINDOW / 2;
    first = first < 0 ? 0 : first + WINDOW > count ? count - WINDOW : first;
    uint64_t ns[WINDOW], cycles[WINDOW];
    memcpy(ns, start_ns + first, sizeof(ns));
    memcpy(cycles, start_cycles + first, sizeof(cycles));
    bench_stats_t n = bench_stats(ns, WINDOW), c = bench_stats(cycles, WINDOW);
    printf("bench: %s median %lu min %lu max %lu unit ns iterations %d cycles %lu %lu %lu\n", name,
           n.median, n.min, n.max, WINDOW, c.median, c.min, c.max);
}

int scale_linux_measure(void)
{
    long before = free_kib(), after = before;
    int count = 0;
    while (count < SCALE_MAX && (count % 10 != 0 || (after = free_kib()) > FREE_FLOOR_KIB)) {
        uint64_t t0 = monotonic_ns(), c0 = tsc_read();
        int pid = start_idle();
        if (pid < 0) {
            break;
        }
        start_cycles[count] = tsc_read() - c0;
        start_ns[count] = monotonic_ns() - t0;
        pids[count++] = pid;
    }
    after = free_kib();
    printf("bench: %d idle containers (MemFree %ld KiB before, %ld after)\n", count, before, after);
    if (count < WINDOW || before < 0 || after < 0) {
        printf("bench: failed: idle containers: %d made\n", count);
        return -1;
    }
    report_rank("container_start_1", 1, count);
    if (count >= 100) {
        report_rank("container_start_100", 100, count);
    }
    if (count == SCALE_MAX) {
        report_rank("container_start_1000", SCALE_MAX, count);
    } else {
        report_rank("container_start_max", count, count);
    }
    /* always, unlike procbench: 1,000 is the cap, not what fits */
    printf("bench: container_idle_count median %d min %d max %d unit containers iterations 1\n",
           count, count, count);
    long per = (before - after) * 1024 / count;
    printf("bench: container_idle_total_bytes median %ld min %ld max %ld unit bytes "
           "iterations %d\n",
           per, per, per, count);
    for (int i = 0; i < count; i++) {
        kill(pids[i], SIGKILL);
        waitpid(pids[i], NULL, 0);
    }
    fflush(stdout);
    return 0;
}
