/* Containers of the benchmark bundle through the client library (bench_container.h). */
#include "bench_container.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "capsule/vfs_client.h"

#define HOSTNAME "bench"

/* The config's mounts, in its order (image/containers/bench/config.json). */
static const struct {
    const char *destination, *type, *source; /* type NULL: a read-only bind of source */
} mounts[] = {
    {"/bin", NULL, "/bin"},  {"/sbin", NULL, "/sbin"}, {"/usr", NULL, "/usr"},
    {"/proc", "proc", NULL}, {"/dev", "devfs", NULL},  {"/tmp", "tmpfs", NULL},
};

static char *const environment[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
                                    "TERM=vt100", NULL};

/* The context as runc's make_context makes it: mkdir, then mount or bind. */
static int make_context(const char *id, capsule_obj_t *ctx)
{
    int err = capsule_vfs_context_create(BENCH_BUNDLE "/rootfs", ctx);
    if (err == 0) {
        capsule_vfs_context_label(ctx, id); /* dbg's name for it, as runc gives */
    }
    for (size_t i = 0; err == 0 && i < sizeof(mounts) / sizeof(mounts[0]); i++) {
        err = capsule_vfs_context_mkdir(ctx, mounts[i].destination, 0755);
        if (err < 0 && !(mounts[i].type == NULL && err == -ENOTDIR)) {
            break;
        }
        err =
            mounts[i].type != NULL
                ? capsule_vfs_context_mount(ctx, mounts[i].type, NULL, mounts[i].destination, false)
                : capsule_vfs_context_bind(ctx, mounts[i].source, mounts[i].destination, true);
    }
    return err < 0 ? err : 0;
}

static int make_hostname(capsule_obj_t *out)
{
    int err = capsule_hostname_create(out);
    if (err == 0 && (err = capsule_hostname_set(out, HOSTNAME, strlen(HOSTNAME))) < 0) {
        capsule_obj_close(out);
    }
    return err < 0 ? err : 0;
}

/* The record text runc keeps (runc/record.c), with the creation time. */
static void make_record(char *out, size_t size)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(out, size,
             "{\"ociVersion\":\"1.0.2\",\"rootfs\":\"" BENCH_BUNDLE "/rootfs\","
             "\"created\":\"%lld.%09ld\",\"annotations\":{}}",
             (long long)now.tv_sec, now.tv_nsec);
}

/* Spawns PID 1 held in the context, then registers the scope as `id`. The
 * config gives no process.capabilities: its processes lack the admin and
 * kill rights, as runc spawns them. */
static int spawn_and_register(const char *id, char *const argv[], const int stdio[3],
                              const capsule_obj_t *hostname, const capsule_obj_t *ctx,
                              bench_container_t *out)
{
    int err = capsule_vfs_context_prepare_spawn(ctx, "/");
    if (err < 0) {
        return err;
    }
    out->pid = capsule_spawn_flags(argv[0], argv, environment, stdio, &out->scope, hostname,
                                   PROC_SPAWN_SUSPENDED | PROC_SPAWN_SEARCH | PROC_SPAWN_NO_ADMIN |
                                       PROC_SPAWN_NO_KILL);
    if (out->pid < 0) {
        return out->pid;
    }
    char meta[256];
    make_record(meta, sizeof(meta));
    err = capsule_container_register(&out->scope, id, BENCH_BUNDLE, meta);
    if (err < 0) {
        /* the held PID 1 of a scope we still own: killed and reaped here */
        capsule_scope_kill(&out->scope, SIGKILL);
        waitpid(out->pid, NULL, 0);
    }
    return err;
}

int bench_container_create(const char *id, char *const argv[], const int stdio[3], uint64_t memory,
                           bench_container_t *out)
{
    capsule_obj_t hostname, ctx = {0};
    out->scope = (capsule_obj_t){0}; /* what an error leaves */
    /* runc refuses an ID in use first */
    int err = capsule_container_open(id, &ctx);
    if (err == 0) {
        capsule_obj_close(&ctx);
        return -EEXIST;
    }
    ctx = (capsule_obj_t){0};
    if ((err = capsule_scope_create(64, &out->scope)) < 0) {
        return err;
    }
    if ((memory == 0 || (err = capsule_scope_set_memory(&out->scope, memory)) == 0) &&
        (err = make_hostname(&hostname)) == 0) {
        if ((err = make_context(id, &ctx)) == 0) {
            err = spawn_and_register(id, argv, stdio, &hostname, &ctx, out);
        }
        if (ctx.slot != 0) {
            capsule_vfs_context_close(&ctx); /* its PID 1 holds it now */
        }
        capsule_obj_close(&hostname);
    }
    if (err < 0) {
        capsule_obj_close(&out->scope);
    }
    return err;
}

int bench_container_run(bench_container_t *c)
{
    int err = capsule_container_start(&c->scope);
    int status = -1;
    if (err == 0 && waitpid(c->pid, &status, 0) != c->pid) {
        err = -errno;
    }
    int deleted = capsule_container_delete(&c->scope, 1);
    capsule_obj_close(&c->scope);
    return err < 0 ? err : deleted < 0 ? deleted : status;
}

int64_t bench_container_pool_bytes(const char *id)
{
    capsule_obj_t scope;
    int64_t used = capsule_container_open(id, &scope);
    if (used == 0) {
        used = capsule_scope_memory_usage(&scope);
        capsule_obj_close(&scope);
    }
    return used;
}

void bench_container_delete_id(const char *id, int pid)
{
    capsule_obj_t scope;
    if (capsule_container_open(id, &scope) == 0) {
        capsule_container_delete(&scope, 1);
        capsule_obj_close(&scope);
    }
    waitpid(pid, NULL, 0);
}
