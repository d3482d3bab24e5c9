#include "control.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client.h"
#include "console_forward.h"
#include "contexts.h"
#include "debug_ops.h"
#include "procfs.h"
#include "ramfs.h"
#include "resolve.h"
#include "spawn_pty.h"

#define CHUNK 65536

static rootctx_t *boot_ctx;
static const vfs_path_t *boot_console;

void control_init(rootctx_t *ctx, const vfs_path_t *console)
{
    boot_ctx = ctx;
    boot_console = console;
}

static int pid_arg(const request_t *req, uint64_t mr)
{
    return req->length > mr && req->mr[mr] > 0 && req->mr[mr] < INT32_MAX ? (int)req->mr[mr] : 0;
}

static int64_t do_create(const request_t *req)
{
    int pid = pid_arg(req, 0);
    if (pid == 0) {
        return -EINVAL;
    }
    if (req->mr[1] == 0) {
        return client_create(pid, boot_ctx, boot_console, NULL);
    }
    const client_t *parent = client_find(pid_arg(req, 1));
    return parent != NULL ? client_create(pid, NULL, NULL, parent) : -ESRCH;
}

/* MR3 of VFS_PROC_SPAWN: bits 0-31 a template PID (0, or an older
 * caller's three-register request: none), bits 32-47 the length of a cwd
 * for the child (desc 0), bit 48 VFS_SPAWN_FOREIGN. -EINVAL for anything
 * else, -ESRCH for a template without a client, -EPERM for a foreign one
 * (a joined mount namespace) in the boot context or the parent's own: a
 * container is never handed the host's root, nor its runtime's. */
static int template_arg(const request_t *req, const client_t *parent, const client_t **out,
                        size_t *cwd_len)
{
    *out = NULL;
    vfs_spawn_template_t t;
    int err = vfs_spawn_template_args(req, &t);
    *cwd_len = t.cwd_len;
    if (err != 0 || t.pid == 0) {
        return err;
    }
    *out = client_find(t.pid);
    if (*out == NULL) {
        return -ESRCH;
    }
    if (t.foreign && ((*out)->ctx == boot_ctx || (parent != NULL && (*out)->ctx == parent->ctx))) {
        *out = NULL;
        return -EPERM;
    }
    return 0;
}

/* runc exec's cwd (--cwd or process.cwd): an absolute path resolved inside
 * the template's place, from its root (symlinks and `..` stay inside), to
 * a directory. Held in *out. */
static int template_cwd(const request_t *req, const client_t *tmpl, size_t len, vfs_path_t *out)
{
    char path[VFS_PATH_MAX];
    if (len >= VFS_PATH_MAX) {
        return -ENAMETOOLONG;
    }
    if (req->descriptors < 1 || request_copy_in(0, 0, path, len) != 0) {
        return -EFAULT;
    }
    path[len] = '\0';
    if (path[0] != '/' || memchr(path, '\0', len) != NULL) {
        return -EINVAL;
    }
    resolve_req_t r = {tmpl->ctx, &tmpl->root, &tmpl->root, path, len, RESOLVE_DIRECTORY};
    return resolve_path(&r, out);
}

/* A child leading a session of its own (a container's PID 1, a process
 * joining a container) given a pseudo-terminal slave as descriptor 0 takes
 * it as its controlling terminal before its first instruction, as if it had
 * opened it itself: Linux's rule for a leader's first terminal, never taken
 * from another session. runc's process.terminal: the container's shell gets
 * job control, as runc's init gets it by TIOCSCTTY. Anything else changes
 * nothing. */
static void take_ctty(int pid, const file_t *in)
{
    if (in != NULL && in->dev != NULL) {
        console_forward_open_ctty(pid, in->dev);
    }
}

/*
 * A spawned process: its parent's place in the file system (or the context
 * the parent prepared, or a template process's place: runc exec joining a
 * container, at a cwd of its own if one is given), and only the
 * descriptors the parent chose, as 0, 1 and 2 (never any other: a spawned
 * container process must not inherit the host's descriptors). The
 * template's place is read now, so the child never joins a context the
 * template has left.
 */
static int64_t do_spawn(const request_t *req)
{
    int pid = pid_arg(req, 0);
    client_t *parent = client_find(pid_arg(req, 1));
    if (pid == 0 || req->length < 3 || req->mr[2] >> 48 != 0) {
        return -EINVAL;
    }
    client_spawn_t s = {.spawner = parent};
    size_t cwd_len;
    int err = template_arg(req, parent, &s.tmpl, &cwd_len);
    if (err != 0) {
        return err;
    }
    if (parent == NULL) {
        return -ESRCH;
    }
    for (unsigned i = 0; i < 3; i++) {
        unsigned fd = (unsigned)(req->mr[2] >> (16 * i)) & 0xffff;
        s.fds[i] = fd == VFS_SPAWN_NO_FD ? NULL : fd_get(&parent->fds, fd);
        if (fd != VFS_SPAWN_NO_FD && s.fds[i] == NULL) {
            return -EBADF;
        }
    }
    vfs_path_t cwd = {NULL, NULL};
    if (cwd_len > 0 && (err = template_cwd(req, s.tmpl, cwd_len, &cwd)) != 0) {
        return err;
    }
    s.cwd = cwd.mnt != NULL ? &cwd : NULL;
    s.spawner_jailed = parent->spawn_ctx != NULL && contexts_caller_jailed(parent->pid);
    err = client_spawn(pid, &s);
    path_put(&cwd);
    if (err == 0) {
        take_ctty(pid, s.fds[0]);
    }
    return err;
}

/* runc exec -t: the pair for a process just spawned into a container
 * (spawn_pty.h), before its first instruction. */
static int64_t do_pty(const request_t *req)
{
    int pid = pid_arg(req, 0), spawner_pid = pid_arg(req, 1);
    if (pid == 0 || spawner_pid == 0 || pid == spawner_pid) {
        return -EINVAL;
    }
    client_t *child = client_find(pid), *spawner = client_find(spawner_pid);
    if (child == NULL || spawner == NULL) {
        return -ESRCH;
    }
    return spawn_pty_open(child, spawner);
}

static int64_t do_exec(const request_t *req)
{
    client_t *c = client_find(pid_arg(req, 0));
    if (c == NULL) {
        return -ESRCH;
    }
    fd_close_on_exec(&c->fds);
    client_drop_objects(c);
    client_exe_commit(c);
    return 0;
}

static int64_t copy_file_out(vnode_t *v, uint64_t size)
{
    uint8_t *buf = malloc(CHUNK);
    if (buf == NULL) {
        return -ENOMEM;
    }
    int err = 0;
    for (uint64_t off = 0; off < size && err == 0; off += CHUNK) {
        size_t n = size - off < CHUNK ? size - off : CHUNK;
        ssize_t got = ramfs_read(v, off, buf, n);
        err = got != (ssize_t)n ? -EIO : request_copy_out(1, off, buf, n);
    }
    free(buf);
    return err;
}

/* The file's path as the process sees it: its directory's, then its name
 * (any symlink on the way followed), for /proc/<pid>/exe; and the file
 * itself, which may not be written while it runs (ETXTBSY). */
static void record_exe(client_t *c, const resolve_result_t *res)
{
    char dir[VFS_PATH_MAX];
    int n = res->last == RESOLVE_LAST_NORM
                ? resolve_getcwd(&c->root, &res->parent, dir, sizeof(dir))
                : -ENOENT;
    bool named = n >= 0 && (size_t)n + 1 + res->name_len < sizeof(dir);
    if (named) {
        if (n > 1) {
            dir[n++] = '/';
        }
        memcpy(dir + n, res->name, res->name_len + 1);
    }
    client_exe_read(c, named ? dir : NULL, &res->obj);
}

static int resolve_executable(client_t *c, const resolve_req_t *r, vfs_path_t *out)
{
    resolve_result_t res;
    int err = resolve(r, &res);
    if (err != 0) {
        return err;
    }
    if (S_ISREG(res.obj.vn->mode)) {
        record_exe(c, &res);
    }
    *out = res.obj;
    res.obj = (vfs_path_t){NULL, NULL};
    resolve_result_put(&res);
    return 0;
}

/* The executable as the process itself would open it: resolved in its own
 * context, from its root and cwd. */
static int64_t do_exec_read(const request_t *req)
{
    client_t *c = client_find(pid_arg(req, 0));
    if (c == NULL) {
        return -ESRCH;
    }
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    if (err != 0) {
        return err;
    }
    resolve_req_t r = {c->ctx, &c->root, &c->cwd, path, len, 0};
    procfs_set_reader(c); /* "/proc/self" in the path means the exec'ing process */
    vfs_path_t found;
    if ((err = resolve_executable(c, &r, &found)) != 0) {
        return err;
    }
    struct stat st;
    vnode_stat(found.vn, &st);
    int64_t result = S_ISREG(st.st_mode) ? st.st_size : -EACCES;
    if (result > 0 && req->descriptors >= 2 && (uint64_t)result <= req->mr[1]) {
        err = copy_file_out(found.vn, (uint64_t)result);
        if (err == 0 && req->descriptors >= 3) {
            /* the identity of exactly the bytes copied: nothing ran between */
            vfs_exec_identity_t id = {(uint64_t)st.st_dev, (uint64_t)st.st_ino, found.vn->version,
                                      (uint64_t)result};
            err = request_copy_out(2, 0, &id, sizeof(id));
        }
        result = err != 0 ? err : result;
    }
    path_put(&found);
    return result;
}

int64_t control_dispatch(const request_t *req)
{
    debug_ops_crash_point(req->label); /* only ever armed in a test image */
    switch (req->label) {
    case VFS_PROC_CREATE:
        return do_create(req);
    case VFS_PROC_EXIT: {
        int pid = pid_arg(req, 0);
        bool known = client_find(pid) != NULL;
        if (known) {
            client_destroy(pid);
        }
        /* also for a process this instance never knew (one from before a
         * restart): its session may still hold the console */
        if (pid > 0 && req->length >= 2 && req->mr[1] == 1) {
            console_forward_session_end(pid); /* it led its session */
        }
        return known ? 0 : -ESRCH;
    }
    case VFS_PROC_REATTACH: {
        int pid = pid_arg(req, 0);
        return pid > 0 ? client_create(pid, boot_ctx, NULL, NULL) : -EINVAL;
    }
    case VFS_PROC_EXEC:
        return do_exec(req);
    case VFS_PROC_SPAWN:
        return do_spawn(req);
    case VFS_PROC_PTY:
        return do_pty(req);
    case VFS_EXEC_READ:
        return do_exec_read(req);
    case VFS_CONSOLE_RESTARTED:
        return console_forward_restarted();
    default:
        return -ENOSYS;
    }
}
