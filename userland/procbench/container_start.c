/* Container start against process start (container_start.h). */
#include "container_start.h"

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_container.h"
#include "measure.h"

#define START_BATCHES 21
#define SETTLE_US 100000

static char *const true_argv[] = {"true", NULL};
static char *const true_envp[] = {"PATH=/bin", NULL};
static const int no_stdio[3] = {-1, -1, -1};

/* /bin/true spawned plainly: its wait status, or -errno. */
static int process_start(void)
{
    static char *const argv[] = {"/bin/true", NULL};
    int pid = capsule_spawn(argv[0], argv, true_envp, no_stdio, NULL, NULL);
    int status = -1;
    if (pid > 0) {
        waitpid(pid, &status, 0);
    }
    return pid < 0 ? pid : status;
}

/* The same in a container of the bench bundle, without runc. */
static int container_start(void)
{
    bench_container_t c;
    int err = bench_container_create("bench-lib", true_argv, no_stdio, 0, &c);
    return err < 0 ? err : bench_container_run(&c);
}

/* The same two with /sbin/bench-idle exit, a small musl program (~20 KiB
 * against BusyBox's 2 MB): the container's own cost shows. */
static char *const tiny_argv[] = {"/sbin/bench-idle", "exit", NULL};

static int process_start_tiny(void)
{
    int pid = capsule_spawn(tiny_argv[0], tiny_argv, true_envp, no_stdio, NULL, NULL);
    int status = -1;
    if (pid > 0) {
        waitpid(pid, &status, 0);
    }
    return pid < 0 ? pid : status;
}

static int container_start_tiny(void)
{
    bench_container_t c;
    int err = bench_container_create("bench-tiny", tiny_argv, no_stdio, 0, &c);
    return err < 0 ? err : bench_container_run(&c);
}

/* `runc run`, as a shell runs it: its exit status. runc gives the
 * container its own descriptors 0-2 (this program's console). */
static int container_start_cli(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        static char *const argv[] = {"/bin/runc", "run", "-b", BENCH_BUNDLE, "bench-cli", NULL};
        execve(argv[0], argv, true_envp);
        _exit(127);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

static int check(void)
{
    int r;
    if ((r = process_start()) != 0) {
        printf("procbench: failed: spawn of /bin/true: %d\n", r);
        return -1;
    }
    if ((r = container_start()) != 0) {
        printf("procbench: failed: a container of " BENCH_BUNDLE " through the library: %d\n", r);
        return -1;
    }
    if ((r = process_start_tiny()) != 0 || (r = container_start_tiny()) != 0) {
        printf("procbench: failed: /sbin/bench-idle exit, plainly or in a container: %d\n", r);
        return -1;
    }
    if ((r = container_start_cli()) != 0) {
        printf("procbench: failed: runc run -b " BENCH_BUNDLE ": wait status %d\n", r);
        return -1;
    }
    return 0;
}

static uint64_t timed(int (*op)(void))
{
    /* what the previous operation left to servers and kernel (its
     * processes' teardown after the wait returned) is done first */
    usleep(SETTLE_US);
    uint64_t start = tsc_read();
    op();
    return tsc_read() - start;
}

static uint64_t hundredths(uint64_t a, uint64_t b)
{
    return a * 100 / (b > 0 ? b : 1);
}

/* ops[0] and the others in batches, each op first in turn (what one
 * leaves behind falls on each alike); each one's cycles in per[op][batch]
 * and its ratio to ops[0] in ratio[op][batch]. */
static void alternate(int n, int (*const ops[])(void), uint64_t per[][START_BATCHES],
                      uint64_t ratio[][START_BATCHES])
{
    for (int b = 0; b < START_BATCHES; b++) {
        for (int k = 0; k < n; k++) {
            int op = (b + k) % n;
            per[op][b] = timed(ops[op]);
        }
        for (int op = 1; op < n; op++) {
            ratio[op][b] = hundredths(per[op][b], per[0][b]);
        }
    }
}

int measure_container_starts(void)
{
    if (check() != 0) {
        return -1;
    }
    static uint64_t per[3][START_BATCHES], ratio[3][START_BATCHES];
    int (*const ops[3])(void) = {process_start, container_start, container_start_cli};
    alternate(3, ops, per, ratio);
    report_ratio("container_start/process_start", ratio[1], START_BATCHES);
    report_ratio("container_start_cli/process_start", ratio[2], START_BATCHES);
    report_ns("process_start", spread_of(per[0], START_BATCHES), START_BATCHES);
    report_ns("container_start", spread_of(per[1], START_BATCHES), START_BATCHES);
    report_ns("container_start_cli", spread_of(per[2], START_BATCHES), START_BATCHES);
    int (*const tiny[2])(void) = {process_start_tiny, container_start_tiny};
    alternate(2, tiny, per, ratio);
    report_ratio("container_start_tiny/process_start_tiny", ratio[1], START_BATCHES);
    report_ns("process_start_tiny", spread_of(per[0], START_BATCHES), START_BATCHES);
    report_ns("container_start_tiny", spread_of(per[1], START_BATCHES), START_BATCHES);
    return 0;
}
