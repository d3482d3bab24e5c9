/*
 * The process and file benchmarks, as an unmodified musl program sees them
 * (it runs as /sbin/init of build/procbench.img): fork, exec, open, stat,
 * read, getdents and a pipe round trip through proc-server and vfs-server,
 * spawn, scopes and VFS contexts (containers.c), BusyBox started the
 * way a shell starts it, and containers started, plainly and by runc
 * (container_start.c), and kept idle by the hundred (container_idle.c). Each benchmark runs batches
 * of iterations and prints, like kbench, the median, minimum and maximum
 * TSC cycles per iteration (the later ones in nanoseconds too); `make bench`
 * collects the lines. getpid, one round trip to proc-server through the
 * runtime, is the reference the others are divided by; it is itself
 * compared with the null native call made from this same process.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "busybox_idle.h"
#include "container_idle.h"
#include "container_start.h"
#include "containers.h"
#include "measure.h"
#include "native_call.h"

#define BATCHES 15

/* Runs `op` BATCHES times `iterations` times and prints the line. */
static void measure(const char *name, unsigned iterations, void (*op)(void))
{
    report_cycles(name, time_batches(BATCHES, iterations, op), iterations * BATCHES);
}

/* The same reported in nanoseconds and cycles, with more batches (fewer
 * for the programs started, a third of a second each under TCG). */
#define NS_BATCHES 31
#define PROGRAM_BATCHES 21

static void measure_ns(const char *name, int batches, unsigned iterations, void (*op)(void))
{
    report_ns(name, time_batches(batches, iterations, op), iterations * (unsigned)batches);
}

static void op_getpid(void)
{
    syscall(SYS_getpid); /* not cached by the C library */
}

static void op_fork_exit_wait(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void op_fork_exec_wait(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {"/sbin/init", "exit", NULL};
        execve(argv[0], argv, argv + 2);
        _exit(1);
    }
    waitpid(pid, NULL, 0);
}

static void op_open_close(void)
{
    close(open("/tmp/file", O_RDONLY));
}

static void op_stat(void)
{
    struct stat st;
    stat("/tmp/file", &st);
}

static char buffer[1 << 20];
static int file_fd;

static void op_read_4k(void)
{
    pread(file_fd, buffer, 4096, 0);
}

static void op_read_1m(void)
{
    pread(file_fd, buffer, sizeof(buffer), 0);
}

static void op_getdents_1000(void)
{
    DIR *dir = opendir("/tmp/many");
    while (readdir(dir) != NULL) {
    }
    closedir(dir);
}

/* Two pipes between this process and a child that echoes each byte back. */
static int ping[2], pong[2];

static void op_pipe_roundtrip(void)
{
    char c = 'p';
    write(ping[1], &c, 1);
    read(pong[0], &c, 1);
}

static pid_t start_echo_child(void)
{
    pipe(ping);
    pipe(pong);
    pid_t pid = fork();
    if (pid == 0) {
        close(ping[1]); /* or its own write end would keep end of file away */
        close(pong[0]);
        char c;
        while (read(ping[0], &c, 1) == 1) {
            write(pong[1], &c, 1);
        }
        _exit(0);
    }
    close(ping[0]);
    close(pong[1]);
    return pid;
}

static void stop_echo_child(pid_t pid)
{
    close(ping[1]); /* the child reads end of file and exits */
    close(pong[0]);
    waitpid(pid, NULL, 0);
}

/* getpid, as a Linux program calls it: the personality entry, a Call to
 * proc-server and the way back. */
static void op_linux_getpid(void)
{
    getpid(); /* musl asks the kernel every time */
}

static void op_native_null_call(void)
{
    native_null_call();
}

#define NATIVE_ITERATIONS 2000
#define GETPID_ITERATIONS 200

/* getpid and the null native call in alternating batches of one run, so
 * that host noise under TCG falls on both alike; their ratio is also taken
 * batch by batch, between neighbours in time. */
static void measure_getpid_and_native_call(void)
{
    uint64_t native[NS_BATCHES], linux_call[NS_BATCHES], ratio[NS_BATCHES];
    for (int b = 0; b < NS_BATCHES; b++) {
        uint64_t t0 = tsc_read();
        for (unsigned i = 0; i < NATIVE_ITERATIONS; i++) {
            op_native_null_call();
        }
        uint64_t t1 = tsc_read();
        for (unsigned i = 0; i < GETPID_ITERATIONS; i++) {
            op_linux_getpid();
        }
        uint64_t t2 = tsc_read();
        native[b] = (t1 - t0) / NATIVE_ITERATIONS;
        linux_call[b] = (t2 - t1) / GETPID_ITERATIONS;
        ratio[b] = linux_call[b] * 100 / (native[b] > 0 ? native[b] : 1);
    }
    report_ratio("linux_getpid/native_null_call", ratio, NS_BATCHES);
    report_ns("native_null_call", spread_of(native, NS_BATCHES), NATIVE_ITERATIONS * NS_BATCHES);
    report_ns("linux_getpid", spread_of(linux_call, NS_BATCHES), GETPID_ITERATIONS * NS_BATCHES);
}

/* A small file of the initrd, as `cat /etc/hostname` reads it. */
static int open_read_close(void)
{
    char text[256];
    int fd = open("/etc/hostname", O_RDONLY);
    ssize_t n = read(fd, text, sizeof(text));
    close(fd);
    return fd >= 0 && n > 0 ? 0 : -1;
}

static void op_open_read_close(void)
{
    open_read_close();
}

/* fork, execve of argv[0] (BusyBox here), wait4: how a shell runs a
 * command. Returns the child's wait status. */
static int fork_exec_wait(char *const argv[])
{
    static char *const environment[] = {"PATH=/bin:/sbin", NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, environment);
        _exit(127);
    }
    int status = -1;
    waitpid(pid, &status, 0); /* wait4 underneath */
    return status;
}

static char *const true_argv[] = {"/bin/true", NULL};
static char *const sh_c_true_argv[] = {"/bin/sh", "-c", "true", NULL};

static void op_fork_exec_wait_true(void)
{
    fork_exec_wait(true_argv);
}

static void op_sh_c_true(void)
{
    fork_exec_wait(sh_c_true_argv); /* `true` is a builtin of BusyBox's sh */
}

/* Each measured operation once, checked: a benchmark of a failing call
 * would time the failure. */
static int check_operations(void)
{
    if (native_null_call() == 0) {
        printf("procbench: failed: a Call on the null capability succeeded\n");
        return -1;
    }
    if (open_read_close() != 0) {
        printf("procbench: failed: cannot read /etc/hostname\n");
        return -1;
    }
    if (fork_exec_wait(true_argv) != 0 || fork_exec_wait(sh_c_true_argv) != 0) {
        printf("procbench: failed: /bin/true or /bin/sh -c true did not exit 0\n");
        return -1;
    }
    return 0;
}

static void prepare(void)
{
    file_fd = open("/tmp/file", O_CREAT | O_RDWR, 0644);
    memset(buffer, 'x', sizeof(buffer));
    write(file_fd, buffer, sizeof(buffer));
    mkdir("/tmp/many", 0755);
    for (int i = 0; i < 1000; i++) {
        char name[32];
        snprintf(name, sizeof(name), "/tmp/many/entry-%04d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0) {
        return 0; /* the image exec benchmarks run */
    }
    prepare();
    measure("process_getpid", 200, op_getpid);
    measure("fork_exit_wait", 2, op_fork_exit_wait);
    measure("exec", 2, op_fork_exec_wait);
    measure("open_close", 50, op_open_close);
    measure("stat", 50, op_stat);
    measure("read_4k", 50, op_read_4k);
    measure("read_1m", 2, op_read_1m);
    measure("getdents_1000", 2, op_getdents_1000);
    pid_t echo = start_echo_child();
    measure("pipe_roundtrip", 50, op_pipe_roundtrip);
    stop_echo_child(echo);
    if (check_operations() != 0 || containers_prepare() != 0) {
        return 1;
    }
    measure("spawn_exit_wait", 2, op_spawn_exit_wait);
    measure("scope_create_destroy", 20, op_scope_create_destroy);
    measure("context_create_5mounts", 5, op_context_create_5mounts);
    measure_getpid_and_native_call();
    measure_ns("open_read_close", NS_BATCHES, 50, op_open_read_close);
    measure_ns("fork_exec_wait_true", PROGRAM_BATCHES, 1, op_fork_exec_wait_true);
    measure_ns("sh_c_true", PROGRAM_BATCHES, 1, op_sh_c_true);
    if (measure_container_starts() != 0 || measure_idle_containers() != 0 ||
        measure_busybox_idle() != 0) {
        return 1;
    }
    printf("procbench: done\n");
    return 0;
}
