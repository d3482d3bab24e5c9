/* Idle BusyBox containers: how many fit, and what each costs (busybox_idle.h). */
#include "busybox_idle.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_container.h"
#include "kernel_frames.h"

#define FRAME_BYTES 4096ull
/* each container's pool: a ceiling, charged as used */
#define BUSYBOX_POOL_BYTES (4ull << 20)

static int pids[BUSYBOX_IDLE_MAX];

static void id_of(int i, char *out, size_t size)
{
    snprintf(out, size, "busybox-idle-%d", i);
}

/* Creates and starts container i; waits for PID 1's byte on up_read. 0, or
 * -errno with nothing left. */
static int create_one(int i, int up_fd, int up_read)
{
    static char *const argv[] = {"sh", "-c", "printf u; exec sleep 100000 >&-", NULL};
    const int stdio[3] = {-1, up_fd, -1};
    char id[32];
    id_of(i, id, sizeof(id));
    bench_container_t c;
    int err = bench_container_create(id, argv, stdio, BUSYBOX_POOL_BYTES, &c);
    if (err == 0 && (err = capsule_container_start(&c.scope)) < 0) {
        capsule_container_delete(&c.scope, 1);
        waitpid(c.pid, NULL, 0);
    }
    capsule_obj_close(&c.scope); /* the registry keeps the container */
    if (err < 0) {
        return err;
    }
    pids[i] = c.pid;
    char up;
    return read(up_read, &up, 1) == 1 ? 0 : -EIO;
}

/* The bytes container i's pool holds, or -errno. */
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

static void report(const char *name, long long value, const char *unit, int iterations)
{
    printf("bench: %s median %lld min %lld max %lld unit %s iterations %d\n", name, value, value,
           value, unit, iterations);
}

int measure_busybox_idle(void)
{
    int up[2];
    if (pipe(up) != 0) {
        printf("procbench: failed: pipe: %d\n", errno);
        return -1;
    }
    int64_t before = kernel_free_frames();
    int count = 0, err = 0;
    while (count < BUSYBOX_IDLE_MAX && (err = create_one(count, up[1], up[0])) == 0) {
        count++;
    }
    int64_t after = kernel_free_frames();
    printf("procbench: %d idle BusyBox containers, then %s (free frames %lld before, %lld "
           "after)\n",
           count, err != 0 ? strerror(-err) : "the target", (long long)before, (long long)after);
    if (count == 0 || before < 0 || after < 0) {
        printf("procbench: failed: idle BusyBox containers: %d made, error %d\n", count, err);
        delete_all(count);
        return -1;
    }
    int64_t pools = 0;
    for (int i = 0; i < count; i++) {
        int64_t used = pool_bytes(i);
        pools += used > 0 ? used : 0;
    }
    report("busybox_idle_count", count, "containers", 1);
    report("busybox_idle_bytes", (before - after) * (long long)FRAME_BYTES / count, "bytes", count);
    report("busybox_idle_pool_bytes", pools / count, "bytes", count);
    delete_all(count);
    close(up[0]);
    close(up[1]);
    printf("procbench: idle BusyBox containers deleted (free frames %lld)\n",
           (long long)kernel_free_frames());
    return 0;
}
