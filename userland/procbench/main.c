/*
 * The process and file benchmarks, as an unmodified musl program sees them
 * (it runs as /sbin/init of build/procbench.img): fork, exec, open, stat,
 * read, getdents and a pipe round trip through proc-server and vfs-server. Each benchmark runs
 * BATCHES batches and prints, like kbench, the median, minimum and maximum
 * TSC cycles per iteration; `make bench` collects the lines. getpid, one
 * round trip to proc-server through the runtime, is the reference the
 * others are divided by.
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

#define BATCHES 15

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Runs `op` BATCHES times `iterations` times and prints the line. */
static void measure(const char *name, unsigned iterations, void (*op)(void))
{
    uint64_t per[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t start = rdtsc();
        for (unsigned i = 0; i < iterations; i++) {
            op();
        }
        per[b] = (rdtsc() - start) / iterations;
    }
    qsort(per, BATCHES, sizeof(per[0]), compare);
    printf("bench: %s median %lu min %lu max %lu unit cycles iterations %u\n", name,
           per[BATCHES / 2], per[0], per[BATCHES - 1], iterations * BATCHES);
    fflush(stdout);
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
    printf("procbench: done\n");
    return 0;
}
