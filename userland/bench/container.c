/* A container on either system (container.h). */
#define _GNU_SOURCE /* clone */
#include "container.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_container.h"

/* The bundle's mounts (image/containers/bench/config.json), in its order. */
static const struct {
    const char *destination, *type, *source; /* type NULL: a read-only bind of source */
} mounts[] = {
    {"/bin", NULL, "/bin"},  {"/sbin", NULL, "/sbin"},   {"/usr", NULL, "/usr"},
    {"/proc", "proc", NULL}, {"/dev", "devtmpfs", NULL}, {"/tmp", "tmpfs", NULL},
};

static int mount_one(int i)
{
    char target[128];
    snprintf(target, sizeof(target), BENCH_ROOTFS "%s", mounts[i].destination);
    if (mounts[i].type != NULL) {
        return mount(mounts[i].type, target, mounts[i].type, 0,
                     mounts[i].destination[1] == 't' ? "mode=1777" : NULL);
    }
    /* a bind is read-only only after a remount */
    if (mount(mounts[i].source, target, NULL, MS_BIND | MS_REC, NULL) != 0) {
        return -1;
    }
    return mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
}

static char *const environment[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
                                    "TERM=vt100", NULL};

/* The child, PID 1 of its PID namespace; its exit status says which step
 * failed (100 + step). */
typedef struct {
    char *const *argv;
    int out;
} child_args_t;

static int child(void *arg)
{
    const child_args_t *args = arg;
    if (args->out >= 0 && dup2(args->out, 1) != 1) {
        _exit(99);
    }
    /* nothing mounted here may reach the parent's namespace */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        _exit(100);
    }
    for (int i = 0; i < (int)(sizeof(mounts) / sizeof(mounts[0])); i++) {
        if (mount_one(i) != 0) {
            _exit(101 + i);
        }
    }
    if (chroot(BENCH_ROOTFS) != 0 || chdir("/") != 0) {
        _exit(110);
    }
    if (sethostname("bench", 5) != 0) {
        _exit(111);
    }
    execve(args->argv[0], args->argv, environment);
    _exit(112);
}

static char child_stack[64 * 1024] __attribute__((aligned(16)));

int linux_container_spawn(char *const argv[], int out)
{
    child_args_t args = {argv, out}; /* the child reads its copy */
    int pid = clone(child, child_stack + sizeof(child_stack),
                    CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | SIGCHLD, &args);
    return pid < 0 ? -errno : pid;
}

static int start_on_linux(char *const argv[])
{
    int pid = linux_container_spawn(argv, -1);
    if (pid < 0) {
        return pid;
    }
    int status = -1;
    return waitpid(pid, &status, 0) == pid ? status : -errno;
}

/* Capsule: procbench's container of the bench bundle, without runc. */
static int start_on_capsule(char *const argv[])
{
    static const int no_stdio[3] = {-1, -1, -1};
    bench_container_t c;
    int err = bench_container_create("bench-cmp", argv, no_stdio, 0, &c);
    return err < 0 ? err : bench_container_run(&c);
}

int bench_container_start(bench_system_t system, char *const argv[])
{
    return system == SYSTEM_CAPSULE ? start_on_capsule(argv) : start_on_linux(argv);
}
