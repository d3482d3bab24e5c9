/* Container start against process start (container_start.h). */
#include "container_start.h"

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_container.h"
#include "measure.h"

#define START_BATCHES 15

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
    if ((r = container_start_cli()) != 0) {
        printf("procbench: failed: runc run -b " BENCH_BUNDLE ": wait status %d\n", r);
        return -1;
    }
    return 0;
}

static uint64_t timed(int (*op)(void))
{
    uint64_t start = tsc_read();
    op();
    return tsc_read() - start;
}

static uint64_t hundredths(uint64_t a, uint64_t b)
{
    return a * 100 / (b > 0 ? b : 1);
}

int measure_container_starts(void)
{
    if (check() != 0) {
        return -1;
    }
    uint64_t plain[START_BATCHES], lib[START_BATCHES], cli[START_BATCHES];
    uint64_t lib_ratio[START_BATCHES], cli_ratio[START_BATCHES];
    for (int b = 0; b < START_BATCHES; b++) {
        plain[b] = timed(process_start);
        lib[b] = timed(container_start);
        cli[b] = timed(container_start_cli);
        lib_ratio[b] = hundredths(lib[b], plain[b]);
        cli_ratio[b] = hundredths(cli[b], plain[b]);
    }
    report_ratio("container_start/process_start", lib_ratio, START_BATCHES);
    report_ratio("container_start_cli/process_start", cli_ratio, START_BATCHES);
    report_ns("process_start", spread_of(plain, START_BATCHES), START_BATCHES);
    report_ns("container_start", spread_of(lib, START_BATCHES), START_BATCHES);
    report_ns("container_start_cli", spread_of(cli, START_BATCHES), START_BATCHES);
    return 0;
}
