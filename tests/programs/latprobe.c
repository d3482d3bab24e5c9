/*
 * latprobe: how long a small request takes, for the fault-survival
 * scenario (issue 9.3): N getppid calls (a round trip to proc-server) and N
 * one-byte pipe round trips with a forked child (vfs-server, and a wake-up
 * of another process each way), each timed alone with rdtsc.
 *
 *   latprobe [-n N]
 *
 * Prints, in nanoseconds (the kernel info page's TSC rate), the median, the
 * 90th percentile and the mean of each:
 *   latprobe: getppid N median M p90 P mean A
 *   latprobe: pipe N median M p90 P mean A
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi/kinfo.h"
#include "uapi/vm.h"

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void summary(const char *what, uint64_t *cycles, unsigned n)
{
    const kinfo_t *k = (const kinfo_t *)USER_INFO_PAGE;
    qsort(cycles, n, sizeof(cycles[0]), by_value);
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++) {
        sum += cycles[i];
    }
    uint64_t hz = k->tsc_hz;
    printf("latprobe: %s %u median %llu p90 %llu mean %llu\n", what, n,
           (unsigned long long)(cycles[n / 2] * 1000000000ull / hz),
           (unsigned long long)(cycles[n * 9 / 10] * 1000000000ull / hz),
           (unsigned long long)(sum / n * 1000000000ull / hz));
}

static void pipe_round_trips(uint64_t *cycles, unsigned n)
{
    int there[2], back[2];
    if (pipe(there) != 0 || pipe(back) != 0) {
        perror("latprobe: pipe");
        exit(1);
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(there[1]); /* so that the parent's close is its end of file */
        char c;
        while (read(there[0], &c, 1) == 1 && write(back[1], &c, 1) == 1) {
        }
        _exit(0);
    }
    for (unsigned i = 0; i < n; i++) {
        char c = 'x';
        uint64_t t0 = rdtsc();
        if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1) {
            perror("latprobe: round trip");
            exit(1);
        }
        cycles[i] = rdtsc() - t0;
    }
    close(there[1]);
    waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
    unsigned n = 1000;
    int opt;
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n') {
            fprintf(stderr, "usage: latprobe [-n N]\n");
            return 2;
        }
        n = (unsigned)strtoul(optarg, NULL, 0);
    }
    if (n == 0) {
        n = 1;
    }
    uint64_t *cycles = calloc(n, sizeof(uint64_t));
    if (cycles == NULL) {
        return 1;
    }
    for (unsigned i = 0; i < n; i++) {
        uint64_t t0 = rdtsc();
        getppid();
        cycles[i] = rdtsc() - t0;
    }
    summary("getppid", cycles, n);
    pipe_round_trips(cycles, n);
    summary("pipe", cycles, n);
    return 0;
}
