#include "create.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capsule/vfs_client.h"
#include "record.h"
#include "terminal.h"

static int fail(const char *what, int err)
{
    fprintf(stderr, "runc: create: %s: %s\n", what, strerror(-err));
    return -1;
}

/* A joined namespace's path refused by proc-server: the message names the
 * key, as a config refusal does (docs/runc.md). */
static int fail_join(const config_t *c, ns_kind_t kind, int err)
{
    const config_ns_t *ns = &c->namespaces[kind];
    const char *why = err == -ESRCH   ? "no such process"
                      : err == -EPERM ? "is in no container (a process of runc's own scope "
                                        "cannot be joined: it would hand the container runc's)"
                                      : strerror(-err);
    fprintf(stderr, "runc: config.json: linux.namespaces[%zu].path \"%s\": %s\n", ns->index,
            ns->path, why);
    return -1;
}

/* Every path names a live process runc sees, checked before anything is
 * made; proc-server checks again at each join. A joined mount namespace is
 * used only at the spawn, so its process is checked now by proc-server's
 * own rule for joins: a hostname handle asked for and closed. */
static int check_join_pids(const config_t *c)
{
    for (int k = 0; k < NS_COUNT; k++) {
        if (c->namespaces[k].path != NULL && kill(c->namespaces[k].pid, 0) < 0) {
            return fail_join(c, (ns_kind_t)k, -errno);
        }
    }
    const config_ns_t *mnt = &c->namespaces[NS_MOUNT];
    capsule_obj_t probe;
    int err = mnt->path != NULL ? capsule_hostname_join(mnt->pid, &probe) : 0;
    if (err < 0) {
        return fail_join(c, NS_MOUNT, err);
    }
    if (mnt->path != NULL) {
        capsule_obj_close(&probe);
    }
    return 0;
}

static int make_hostname(const config_t *c, capsule_obj_t *out)
{
    const config_ns_t *uts = &c->namespaces[NS_UTS];
    if (uts->path != NULL) { /* shared: no name of ours (config_check_uts) */
        int err = capsule_hostname_join(uts->pid, out);
        return err < 0 ? fail_join(c, NS_UTS, err) : 0;
    }
    int err = capsule_hostname_create(out);
    if (err < 0) {
        return fail("hostname context", err);
    }
    if (c->hostname != NULL &&
        (err = capsule_hostname_set(out, c->hostname, strlen(c->hostname))) < 0) {
        return fail("hostname", err);
    }
    if (c->domainname != NULL &&
        (err = capsule_hostname_set_domain(out, c->domainname, strlen(c->domainname))) < 0) {
        return fail("domainname", err);
    }
    return 0;
}

static int make_mount(const bundle_t *b, const capsule_obj_t *ctx, size_t i)
{
    static const char *const types[] = {
        [MOUNT_PROC] = "proc", [MOUNT_TMPFS] = "tmpfs", [MOUNT_DEVFS] = "devfs"};
    const config_mount_t *m = &b->config.mounts[i];
    char what[128];
    snprintf(what, sizeof(what), "mounts[%zu] (%s)", i, m->destination);
    int err = capsule_vfs_context_mkdir(ctx, m->destination, 0755);
    if (err < 0 && !(m->type == MOUNT_BIND && err == -ENOTDIR)) {
        return fail(what, err);
    }
    if (m->type == MOUNT_TMPFS) { /* size= and mode=, applied by vfs-server */
        err = capsule_vfs_context_mount_tmpfs(ctx, m->destination, m->readonly, m->size,
                                              m->mode == UINT32_MAX ? -1 : (long)m->mode);
    } else if (m->type != MOUNT_BIND) {
        err = capsule_vfs_context_mount(ctx, types[m->type], NULL, m->destination, m->readonly);
    } else {
        /* a relative source is the bundle's, as the OCI spec says */
        char source[2 * PATH_MAX];
        snprintf(source, sizeof(source), "%s%s%s", m->source[0] == '/' ? "" : b->path,
                 m->source[0] == '/' ? "" : "/", m->source);
        err = capsule_vfs_context_bind(ctx, source, m->destination, m->readonly);
    }
    return err < 0 ? fail(what, err) : 0;
}

/* linux.readonlyPaths, then linux.maskedPaths (a read-only path cannot be
 * laid over masks), each done by vfs-server inside the context, never by
 * binding a file of the container's (CVE-2025-31133). */
static int protect_paths(const config_t *c, const capsule_obj_t *ctx)
{
    char what[PATH_MAX + 32];
    for (size_t i = 0; i < c->readonly_count; i++) {
        int err = capsule_vfs_context_readonly(ctx, c->readonly_paths[i]);
        if (err < 0) {
            snprintf(what, sizeof(what), "linux.readonlyPaths[%zu] \"%s\"", i,
                     c->readonly_paths[i]);
            return fail(what, err);
        }
    }
    for (size_t i = 0; i < c->masked_count; i++) {
        int err = capsule_vfs_context_mask(ctx, c->masked_paths[i]);
        if (err < 0) {
            snprintf(what, sizeof(what), "linux.maskedPaths[%zu] \"%s\"", i, c->masked_paths[i]);
            return fail(what, err);
        }
    }
    return 0;
}

static int make_context(const bundle_t *b, const char *id, capsule_obj_t *ctx)
{
    if (b->config.namespaces[NS_MOUNT].path != NULL) {
        *ctx = (capsule_obj_t){0}; /* joined: PID 1 takes that process's (spawn_init) */
        return 0;
    }
    int err = capsule_vfs_context_create(b->rootfs, ctx);
    if (err < 0) {
        return fail("root context", err);
    }
    capsule_vfs_context_label(ctx, id); /* dbg's name for it; nothing depends on it */
    /* the memory limit bounds what the container makes vfs-server hold too,
     * as a memory cgroup counts tmpfs pages */
    int64_t limit = b->config.memory_limit;
    if (limit > 0 && (err = capsule_vfs_context_set_quota(ctx, (uint64_t)limit)) < 0) {
        return fail("linux.resources.memory.limit", err);
    }
    for (size_t i = 0; i < b->config.mount_count; i++) {
        if (make_mount(b, ctx, i) < 0) {
            return -1;
        }
    }
    /* the mounts' missing directories were made in a writable root */
    if (b->config.root_readonly && (err = capsule_vfs_context_set_rdonly(ctx, "/", true)) < 0) {
        return fail("root.readonly", err);
    }
    return protect_paths(&b->config, ctx);
}

static int spawn_init(const bundle_t *b, const int stdio[3], const capsule_obj_t *scope,
                      const capsule_obj_t *hostname, capsule_obj_t *ctx)
{
    const config_t *c = &b->config;
    const config_ns_t *mnt = &c->namespaces[NS_MOUNT];
    /* process.cwd, resolved inside the context once its mounts are made */
    int err = mnt->path != NULL ? 0 : capsule_vfs_context_prepare_spawn(ctx, c->cwd);
    if (err < 0) {
        char what[PATH_MAX + 32];
        snprintf(what, sizeof(what), "process.cwd \"%s\"", c->cwd);
        return fail(what, err);
    }
    /* proc-server searches the config's PATH inside the container's context */
    /* process.capabilities as rights its processes lack, for good */
    uint64_t flags = PROC_SPAWN_SUSPENDED | PROC_SPAWN_SEARCH |
                     (c->no_new_privileges ? PROC_SPAWN_JAIL : 0) |
                     (c->rights.sys_admin ? 0 : PROC_SPAWN_NO_ADMIN) |
                     (c->rights.kill ? 0 : PROC_SPAWN_NO_KILL) |
                     (c->rights.sys_chroot ? 0 : PROC_SPAWN_NO_CHROOT);
    int pid =
        mnt->path != NULL
            ? capsule_spawn_mounts_of(c->args[0], (char *const *)c->args, (char *const *)c->env,
                                      stdio, scope, hostname, flags, mnt->pid, c->cwd)
            : capsule_spawn_flags(c->args[0], (char *const *)c->args, (char *const *)c->env, stdio,
                                  scope, hostname, flags);
    if (mnt->path != NULL && pid == -EPERM) { /* vfs-server's word on its place */
        fprintf(stderr,
                "runc: config.json: linux.namespaces[%zu].path \"%s\": its root is runc's own "
                "(joining it would hand the container runc's)\n",
                mnt->index, mnt->path);
        return -1;
    }
    if (mnt->path != NULL && pid == -ESRCH) {
        return fail_join(c, NS_MOUNT, pid); /* gone since check_join_pids */
    }
    if (pid < 0) {
        char what[PATH_MAX + 32];
        snprintf(what, sizeof(what), "process.args[0] \"%s\"", c->args[0]);
        return fail(what, pid);
    }
    return pid;
}

static char *make_record(const bundle_t *b)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char created[64];
    record_time((unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec,
                created, sizeof(created));
    return record_encode(&b->config, b->rootfs, created);
}

int container_create(const bundle_t *b, const char *id, const int stdio[3], container_t *out)
{
    capsule_obj_t existing;
    if (capsule_container_open(id, &existing) == 0) {
        capsule_obj_close(&existing);
        fprintf(stderr, "runc: create: container \"%s\" already exists\n", id);
        return -1;
    }
    const config_t *c = &b->config;
    capsule_obj_t hostname, ctx;
    bool uts = c->namespaces[NS_UTS].present;
    /* the joins first: a path refused leaves nothing made */
    if (check_join_pids(c) < 0 || (uts && make_hostname(c, &hostname) < 0)) {
        return -1;
    }
    const config_ns_t *pidns = &c->namespaces[NS_PID];
    int err =
        pidns->path != NULL
            ? capsule_scope_join(pidns->pid, &out->scope)
            : capsule_scope_create(c->pids_limit > 0 ? (unsigned)c->pids_limit : 0, &out->scope);
    if (err < 0) {
        return pidns->path != NULL ? fail_join(c, NS_PID, err) : fail("scope", err);
    }
    /* the container's memory: every process of it draws on this pool */
    if (c->memory_limit > 0 &&
        (err = capsule_scope_set_memory(&out->scope, (uint64_t)c->memory_limit)) < 0) {
        return fail("linux.resources.memory.limit", err);
    }
    /* org.capsule.debug: dbg inside, unless jailed (the jail refuses it anyway) */
    if (c->debug && !c->no_new_privileges &&
        (err = capsule_container_allow_debug(&out->scope)) < 0) {
        return fail("annotations.org.capsule.debug", err);
    }
    if (make_context(b, id, &ctx) < 0) {
        return -1; /* runc's exit stops the scope it still owns */
    }
    terminal_t tty = {-1, -1};
    if (c->terminal && (err = terminal_make(&ctx, &tty)) < 0) {
        return fail("process.terminal", err);
    }
    const int slave[3] = {tty.slave, tty.slave, tty.slave};
    int pid = spawn_init(b, c->terminal ? slave : stdio, &out->scope, uts ? &hostname : NULL, &ctx);
    if (c->terminal) {
        close(tty.slave); /* PID 1's now: its end makes the master read EIO */
    }
    if (pid < 0) {
        return -1;
    }
    if (getenv("RUNC_TEST_PAUSE") != NULL) {
        raise(SIGSTOP); /* a test kills runc here: nothing may remain (docs/runc.md) */
    }
    char *meta = make_record(b);
    if (meta == NULL) {
        return fail("record", -ENOMEM);
    }
    err = capsule_container_register(&out->scope, id, b->path, meta);
    free(meta);
    if (err < 0) {
        return fail("register", err);
    }
    /* the child holds them now; our handles would only outlive their use */
    capsule_vfs_context_close(&ctx); /* none when the mount namespace is joined */
    if (uts) {
        capsule_obj_close(&hostname);
    }
    out->pid = pid;
    out->master = tty.master;
    return 0;
}
