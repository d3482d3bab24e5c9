/* Idle containers: creation time by rank, and memory (container_idle.h). */
#include "container_idle.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_container.h"
#include "kernel_frames.h"
#include "measure.h"

#define FRAME_BYTES 4096ull
/* each container's own pool: a ceiling, charged as used, so that its
 * processes' share can be told from the rest */
#define IDLE_POOL_BYTES (4ull << 20)
#define WINDOW 5 /* containers whose times make one rank's figure */

static uint64_t cycles[IDLE_CONTAINERS_MAX];
static int pids[IDLE_CONTAINERS_MAX];

static void id_of(int i, char *out, size_t size)
{
    snprintf(out, size, "idle-%d", i);
}

/* Creates and starts container i, PID 1 writing its byte to up_fd; waits
 * for that byte, outside the time. 0, or -errno with nothing left. */
static int create_idle(int i, int up_fd, int up_read)
{
    static char *const argv[] = {"bench-idle", NULL};
    const int stdio[3] = {-1, up_fd, -1};
    char id[32];
    id_of(i, id, sizeof(id));
    bench_container_t c;
    uint64_t start = tsc_read();
    int err = bench_container_create(id, argv, stdio, IDLE_POOL_BYTES, &c);
    if (err == 0 && (err = capsule_container_start(&c.scope)) < 0) {
        capsule_container_delete(&c.scope, 1);
        waitpid(c.pid, NULL, 0);
    }
    cycles[i] = tsc_read() - start;
    /* the registry keeps the container (a failed create closed it already) */
    capsule_obj_close(&c.scope);
    if (err < 0) {
        return err;
    }
    pids[i] = c.pid;
    char up;
    return read(up_read, &up, 1) == 1 ? 0 : -EIO;
}

/* The bytes container i's pool holds (its processes), or -errno. */
static int64_t pool_bytes(int i)
{
    char id[32];
    id_of(i, id, sizeof(id));
    return bench_container_pool_bytes(id);
}

static void delete_all(int count)
{
    for (int i = 0; i < count; i++) {
        char id[32];
        id_of(i, id, sizeof(id));
        bench_container_delete_id(id, pids[i]);
    }
}

/* The WINDOW containers nearest rank (1-based) among count, as one line. */
static void report_rank(const char *name, int rank, int count)
{
    int first = rank - 1 - WINDOW / 2;
    first = first < 0 ? 0 : first + WINDOW > count ? count - WINDOW : first;
    first = first < 0 ? 0 : first;
    int n = count - first < WINDOW ? count - first : WINDOW;
    uint64_t per[WINDOW];
    memcpy(per, &cycles[first], (size_t)n * sizeof(per[0]));
    report_ns(name, spread_of(per, n), (unsigned)n);
}

static void report_memory(int count, int64_t frames_used)
{
    int64_t pools = 0;
    for (int i = 0; i < count; i++) {
        int64_t used = pool_bytes(i);
        pools += used > 0 ? used : 0;
    }
    int64_t total = frames_used * (int64_t)FRAME_BYTES;
    printf("bench: container_idle_total_bytes median %lld min %lld max %lld unit bytes "
           "iterations %d\n",
           (long long)(total / count), (long long)(total / count), (long long)(total / count),
           count);
    printf("bench: container_idle_pool_bytes median %lld min %lld max %lld unit bytes "
           "iterations %d\n",
           (long long)(pools / count), (long long)(pools / count), (long long)(pools / count),
           count);
    long long beyond = (long long)((total - pools) / count);
    printf("bench: container_idle_bytes median %lld min %lld max %lld unit bytes iterations %d\n",
           beyond, beyond, beyond, count);
}

int measure_idle_containers(void)
{
    int up[2];
    if (pipe(up) != 0) {
        printf("procbench: failed: pipe: %d\n", errno);
        return -1;
    }
    int64_t before = kernel_free_frames();
    int count = 0, err = 0;
    while (count < IDLE_CONTAINERS_MAX && (err = create_idle(count, up[1], up[0])) == 0) {
        count++;
    }
    int64_t after = kernel_free_frames();
    printf("procbench: %d idle containers, then %s (free frames %lld before, %lld after)\n", count,
           err != 0 ? strerror(-err) : "the target", (long long)before, (long long)after);
    if (count < WINDOW || before < 0 || after < 0) {
        printf("procbench: failed: idle containers: %d made, error %d, free frames %lld\n", count,
               err, (long long)(before < 0 ? before : after));
        delete_all(count);
        return -1;
    }
    report_rank("container_start_1", 1, count);
    if (count >= 100) {
        report_rank("container_start_100", 100, count);
    }
    if (count >= 1000) {
        report_rank("container_start_1000", 1000, count);
    } else {
        report_rank("container_start_max", count, count);
        printf("bench: container_idle_count median %d min %d max %d unit containers "
               "iterations 1\n",
               count, count, count);
    }
    report_memory(count, before - after);
    delete_all(count);
    close(up[0]);
    close(up[1]);
    printf("procbench: idle containers deleted (free frames %lld)\n",
           (long long)kernel_free_frames());
    return 0;
}
