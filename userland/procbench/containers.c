/* The container benchmarks (containers.h). */
#include "containers.h"

#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "capsule/proc_client.h"
#include "capsule/vfs_client.h"

#define CONTAINERS_ROOT "/tmp/ctx"

static int spawn_exit_wait(void)
{
    static char *const argv[] = {"/sbin/init", "exit", NULL};
    static char *const envp[] = {NULL};
    const int fds[3] = {-1, -1, -1};
    int pid = capsule_spawn(argv[0], argv, envp, fds, NULL, NULL);
    if (pid < 0) {
        return pid;
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

void op_spawn_exit_wait(void)
{
    spawn_exit_wait();
}

static int scope_create_destroy(void)
{
    capsule_obj_t scope;
    int err = capsule_scope_create(0, &scope);
    if (err == 0) {
        capsule_obj_close(&scope);
    }
    return err;
}

void op_scope_create_destroy(void)
{
    scope_create_destroy();
}

/* The five mounts of a small container: what runc's default config has. */
static int context_create_5mounts(void)
{
    capsule_obj_t ctx;
    int err = capsule_vfs_context_create(CONTAINERS_ROOT, &ctx);
    if (err != 0) {
        return err;
    }
    if ((err = capsule_vfs_context_mount(&ctx, "proc", NULL, "/proc", false)) == 0 &&
        (err = capsule_vfs_context_mount(&ctx, "tmpfs", "tmp", "/tmp", false)) == 0 &&
        (err = capsule_vfs_context_mount(&ctx, "devtmpfs", NULL, "/dev", false)) == 0 &&
        (err = capsule_vfs_context_mount(&ctx, "tmpfs", "run", "/run", false)) == 0) {
        err = capsule_vfs_context_bind(&ctx, "/etc", "/etc", true);
    }
    capsule_vfs_context_close(&ctx);
    return err;
}

void op_context_create_5mounts(void)
{
    context_create_5mounts();
}

int containers_prepare(void)
{
    static const char *const dirs[] = {CONTAINERS_ROOT,        CONTAINERS_ROOT "/proc",
                                       CONTAINERS_ROOT "/tmp", CONTAINERS_ROOT "/dev",
                                       CONTAINERS_ROOT "/run", CONTAINERS_ROOT "/etc"};
    for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        mkdir(dirs[i], 0755);
    }
    int err;
    if ((err = spawn_exit_wait()) != 0) {
        printf("procbench: failed: spawn of /sbin/init exit: %d\n", err);
        return -1;
    }
    if ((err = scope_create_destroy()) != 0) {
        printf("procbench: failed: scope create: %d\n", err);
        return -1;
    }
    if ((err = context_create_5mounts()) != 0) {
        printf("procbench: failed: context with 5 mounts: %d\n", err);
        return -1;
    }
    return 0;
}
