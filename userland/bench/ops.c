/* The timed operations (ops.h): the same code on both systems but for the
 * spawn and the container start, which each system offers its own way. */
#include "ops.h"

#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capsule/proc_client.h"
#include "container.h"

#define FILE_PATH "/tmp/bench-file"
#define MIB (1 << 20)

static bench_system_t on;
static char buffer[MIB];
static int file_fd = -1;
static char *const tiny_argv[] = {TINY_PROGRAM, "exit", NULL};
static char *const tiny_envp[] = {"PATH=/sbin:/bin", NULL};

int op_getpid(void)
{
    return syscall(SYS_getpid) > 0 ? 0 : -1; /* not the C library's cache, if any */
}

/* Two pipes to a child that echoes every byte back. */
static int ping[2] = {-1, -1}, pong[2] = {-1, -1};
static pid_t echo_pid = -1;

int op_pipe_roundtrip(void)
{
    char c = 'p';
    return write(ping[1], &c, 1) == 1 && read(pong[0], &c, 1) == 1 && c == 'p' ? 0 : -1;
}

static int start_echo_child(void)
{
    if (pipe(ping) != 0 || pipe(pong) != 0 || (echo_pid = fork()) < 0) {
        return -1;
    }
    if (echo_pid == 0) {
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
    return 0;
}

int op_open_close(void)
{
    int fd = open(FILE_PATH, O_RDONLY);
    return fd >= 0 && close(fd) == 0 ? 0 : -1;
}

int op_stat(void)
{
    struct stat st;
    return stat(FILE_PATH, &st) == 0 && st.st_size == MIB ? 0 : -1;
}

int op_read_4k(void)
{
    return pread(file_fd, buffer, 4096, 0) == 4096 ? 0 : -1;
}

int op_read_1m(void)
{
    return pread(file_fd, buffer, MIB, 0) == MIB ? 0 : -1;
}

int op_mmap_touch_1m(void)
{
    char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return -1;
    }
    for (int i = 0; i < MIB; i += 4096) {
        ((volatile char *)p)[i] = 1; /* one page fault each */
    }
    return munmap(p, MIB);
}

int op_fork_exit_wait(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    int status = -1;
    return pid > 0 && waitpid(pid, &status, 0) == pid ? status : -1;
}

int op_fork_exec_wait(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        execve(tiny_argv[0], tiny_argv, tiny_envp);
        _exit(127);
    }
    int status = -1;
    return pid > 0 && waitpid(pid, &status, 0) == pid ? status : -1;
}

/* A program started without fork: Capsule's PROC_SPAWN, Linux's
 * posix_spawn (musl: clone with CLONE_VM | CLONE_VFORK, then execve). */
int op_spawn_wait(void)
{
    static const int no_stdio[3] = {-1, -1, -1};
    int pid;
    if (on == SYSTEM_CAPSULE) {
        pid = capsule_spawn(tiny_argv[0], tiny_argv, tiny_envp, no_stdio, NULL, NULL);
    } else if (posix_spawn(&pid, tiny_argv[0], NULL, NULL, tiny_argv, tiny_envp) != 0) {
        pid = -1;
    }
    int status = -1;
    return pid > 0 && waitpid(pid, &status, 0) == pid ? status : -1;
}

int op_container_start(void)
{
    return bench_container_start(on, tiny_argv);
}

int ops_prepare(bench_system_t system)
{
    on = system;
    memset(buffer, 'x', sizeof(buffer));
    file_fd = open(FILE_PATH, O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (file_fd < 0 || write(file_fd, buffer, MIB) != MIB) {
        return -1;
    }
    return start_echo_child();
}

void ops_finish(void)
{
    close(ping[1]); /* the child reads end of file and exits */
    close(pong[0]);
    waitpid(echo_pid, NULL, 0);
}
