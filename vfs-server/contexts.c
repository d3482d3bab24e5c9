#include "contexts.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "capsule/server.h"
#include "ctx_paths.h"
#include "devfs.h"
#include "fsops.h"
#include "mount_ops.h"
#include "proc_table.h"
#include "protocol/console.h"
#include "procfs.h"
#include "protocol/server.h"
#include "protocol/vfs.h"
#include "resolve.h"

bool contexts_caller_jailed(int pid)
{
    proc_record_t rec;
    return !proc_table_lookup(pid, &rec) || (rec.flags & PROC_RECORD_JAILED) != 0;
}

/* A capability for handle index of holder, minted from vfs-server's own
 * endpoint (CAP_SERVER_ARG2, proc-server/servers.c). */
static int64_t answer_handle(client_t *holder, int index, cptr_t *reply_cap)
{
    cptr_t slot = slot_alloc();
    uint64_t badge = ctx_badge_make(holder->pid, (unsigned)index, holder->handles.gen[index]);
    if (slot == CAP_NULL || cnode_mint(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, CAP_SERVER_ARG2,
                                       RIGHT_WRITE | RIGHT_GRANT_REPLY, badge) != KERR_OK) {
        slot_free(slot);
        ctx_handle_remove(&holder->handles, (unsigned)index); /* nothing to name it with */
        return -ENOMEM;
    }
    *reply_cap = slot;
    return index;
}

/* `/` of the new context: the directory path names in c's context, shown
 * the way a bind mount shows it (its file system from that directory on,
 * read-only if the mount it was reached through is). Locked: nothing inside
 * may unmount its own root. */
static int new_root_context(client_t *c, const request_t *req, quota_t *quota, rootctx_t **out)
{
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    if (err != 0) {
        return err;
    }
    resolve_req_t r = {c->ctx, &c->root, &c->cwd, path, len, RESOLVE_DIRECTORY};
    vfs_path_t dir;
    if ((err = resolve_path(&r, &dir)) != 0) {
        return err;
    }
    unsigned flags = MOUNT_LOCKED | (dir.mnt->flags & (MOUNT_RDONLY | MOUNT_RDONLY_LOCKED));
    if ((dir.mnt->flags & MOUNT_LOCKED) && (dir.mnt->flags & MOUNT_RDONLY)) {
        flags |= MOUNT_RDONLY_LOCKED;
    }
    /* sub-mounts are not copied: a `/` with masks below it would uncover them */
    err = rootctx_bind_reveals_locked(&dir)
              ? -EINVAL
              : rootctx_new(dir.mnt->fs, dir.vn, dir.mnt->source, flags, quota, out);
    path_put(&dir);
    return err;
}

static int make_context(client_t *c, const request_t *req, quota_t *quota, rootctx_t **out)
{
    if (req->mr[0] == VFS_CONTEXT_COPY) {
        /* the whole table: a chrooted caller would get what lies outside its root */
        vfs_path_t root = rootctx_root(c->ctx);
        if (!path_equal(&c->root, &root)) {
            return -EPERM;
        }
        return rootctx_copy(c->ctx, quota, out);
    }
    return req->mr[0] == VFS_CONTEXT_NEW_ROOT ? new_root_context(c, req, quota, out) : -EINVAL;
}

/* A new context with a quota of its own: what its processes make this
 * server hold is charged there (quota.h). */
static int64_t create_context(client_t *c, const request_t *req, cptr_t *reply_cap)
{
    quota_t *quota = quota_new(VFS_CONTEXT_QUOTA_DEFAULT);
    if (quota == NULL) {
        return -ENOMEM;
    }
    rootctx_t *ctx;
    int err = make_context(c, req, quota, &ctx);
    quota_put(quota); /* the context holds its own reference */
    if (err != 0) {
        return err;
    }
    int index = ctx_handle_add(&c->handles, ctx);
    rootctx_put(ctx); /* the handle holds its own reference, if any */
    return index < 0 ? index : answer_handle(c, index, reply_cap);
}

int64_t contexts_session_request(client_t *c, const request_t *req, cptr_t *reply_cap)
{
    if (contexts_caller_jailed(c->pid)) {
        return -EPERM;
    }
    return req->label == VFS_CONTEXT_CREATE ? create_context(c, req, reply_cap) : -ENOSYS;
}

/* A path of the request resolved inside ctx, from its root: `..` and
 * symlinks never leave it (resolve.h). */
static int resolve_inside(rootctx_t *ctx, const request_t *req, unsigned flags, vfs_path_t *out)
{
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    return err != 0 ? err : ctx_paths_resolve(ctx, path, len, flags, out);
}

static int rdonly_flag(uint64_t mr, unsigned *out)
{
    if (mr & ~(uint64_t)MS_RDONLY) {
        return -EINVAL;
    }
    *out = MOUNT_LOCKED | ((mr & MS_RDONLY) ? MOUNT_RDONLY : 0);
    return 0;
}

/* A mount target inside ctx: a directory; with no_link, one whose last
 * component is no symlink (-ENOTDIR), a trailing slash notwithstanding
 * (the resolver would follow the link for "/proc/"). */
static int resolve_mount_target(rootctx_t *ctx, const request_t *req, bool no_link, vfs_path_t *out)
{
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    if (err != 0) {
        return err;
    }
    while (no_link && len > 1 && path[len - 1] == '/') {
        len--;
    }
    return ctx_paths_resolve(ctx, path, len, RESOLVE_DIRECTORY | (no_link ? RESOLVE_NOFOLLOW : 0),
                             out);
}

/* A new file system on a directory inside ctx, locked (made by the
 * runtime); a tmpfs with its size= and mode= (MR0's upper bits). */
static int64_t ctx_mount(rootctx_t *ctx, const request_t *req)
{
    char source[VFS_MOUNT_STRING_MAX + 1], type[VFS_MOUNT_STRING_MAX + 1];
    bool has_source, has_type;
    vfs_ctx_mount_args_t args = {0};
    int err = vfs_ctx_mount_args(req->mr[0], true, &args); /* the bits, before any string */
    unsigned flags = MOUNT_LOCKED | (args.rdonly ? MOUNT_RDONLY : 0);
    if (err == 0) {
        err = mount_ops_string_arg(req, 1, req->mr[1], source, &has_source);
    }
    if (err == 0) {
        err = mount_ops_string_arg(req, 2, req->mr[2], type, &has_type);
    }
    if (err == 0 && !has_type) {
        err = -EFAULT;
    }
    if (err == 0) { /* options for another type: refused, never ignored */
        err = vfs_ctx_mount_args(req->mr[0], strcmp(type, "tmpfs") == 0, &args);
    }
    vfs_fs_t *fs = NULL;
    if (err == 0) {
        err = mount_ops_new_fs(type, ctx, &args, &fs);
    }
    /* a proc or dev destination that is a symlink is refused (ENOTDIR), as
     * runtimes learned to (containers.md, create step 4): followed, it could
     * put the container's /proc where the container chose */
    bool no_link = strcmp(type, "proc") == 0 || devfs_is_type(type);
    vfs_path_t target = {NULL, NULL};
    if (err == 0) {
        err = resolve_mount_target(ctx, req, no_link, &target);
    }
    if (err == 0) {
        err = rootctx_mount(ctx, &target, fs, flags, has_source && source[0] ? source : type);
    }
    path_put(&target);
    if (fs != NULL) {
        vfs_fs_put(fs);
    }
    return err;
}

/* copy_mount: a directory or file of the holder's own context (from its
 * root and cwd) bound at a target inside ctx. */
static int64_t ctx_bind(client_t *holder, rootctx_t *ctx, const request_t *req)
{
    unsigned flags;
    char source[VFS_MOUNT_STRING_MAX + 1];
    bool has_source;
    int err = rdonly_flag(req->mr[0], &flags);
    if (err == 0) {
        err = mount_ops_string_arg(req, 1, req->mr[1], source, &has_source);
    }
    if (err == 0 && (!has_source || source[0] == '\0')) {
        err = has_source ? -ENOENT : -EFAULT;
    }
    vfs_path_t from = {NULL, NULL}, target = {NULL, NULL};
    if (err == 0) {
        resolve_req_t r = {holder->ctx, &holder->root, &holder->cwd, source, strlen(source), 0};
        err = resolve_path(&r, &from);
    }
    if (err == 0) {
        err = resolve_inside(ctx, req, 0, &target);
    }
    if (err == 0) {
        /* not even a runtime uncovers what its own context's masks hide */
        err =
            rootctx_bind_reveals_locked(&from) ? -EINVAL : rootctx_bind(ctx, &target, &from, flags);
    }
    path_put(&target);
    path_put(&from);
    return err;
}

/* mkdir -p inside ctx: each prefix made in turn, resolved inside from the
 * context's root; an existing directory is fine, anything else is not. */
static int64_t ctx_mkdir(rootctx_t *ctx, const request_t *req)
{
    if (req->mr[0] > 07777) {
        return -EINVAL;
    }
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    if (err != 0) {
        return err;
    }
    vfs_path_t root = rootctx_root(ctx);
    vfs_caller_t who = {ctx, &root, &root, 0, 0, 0};
    for (size_t end = 1; end <= len && err == 0; end++) {
        if (end == len || (path[end] == '/' && path[end - 1] != '/')) {
            vfs_name_t n = {NULL, path, end};
            err = fsops_mkdirat(&who, &n, (mode_t)req->mr[0]);
            err = err == -EEXIST ? 0 : err;
        }
    }
    vfs_path_t made;
    if (err == 0 && (err = resolve_inside(ctx, req, RESOLVE_DIRECTORY, &made)) == 0) {
        path_put(&made);
    }
    return err;
}

static int64_t ctx_set_rdonly(rootctx_t *ctx, const request_t *req)
{
    if (req->mr[0] > 1) {
        return -EINVAL;
    }
    vfs_path_t target;
    int err = resolve_inside(ctx, req, 0, &target);
    if (err != 0) {
        return err;
    }
    err = rootctx_remount(ctx, &target, req->mr[0] ? MOUNT_RDONLY : 0, MOUNT_CALLER_RUNTIME);
    path_put(&target);
    return err;
}

/* The holder's next spawn goes into ctx, at the cwd the path names inside
 * (resolved now, after the mounts; none: the root). A refused cwd leaves
 * any earlier preparation as it was. */
static int64_t ctx_prepare_spawn(client_t *holder, rootctx_t *ctx, const request_t *req)
{
    char path[VFS_PATH_MAX];
    size_t len;
    vfs_path_t cwd;
    int err = request_path(req, path, &len);
    if (err == 0) {
        err = ctx_paths_cwd(ctx, path, len, &cwd);
    }
    if (err != 0) {
        return err;
    }
    rootctx_get(ctx);
    client_drop_spawn(holder); /* a newer one replaces it */
    holder->spawn_ctx = ctx;
    holder->spawn_cwd = cwd;
    return 0;
}

/* maskedPaths and readonlyPaths: no flags, one path inside. */
static int64_t ctx_path_rule(rootctx_t *ctx, const request_t *req)
{
    if (req->mr[0] != 0) {
        return -EINVAL;
    }
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    if (err != 0) {
        return err;
    }
    return req->label == VFS_CTX_MASK ? ctx_paths_mask(ctx, path, len, mount_ops_clock())
                                      : ctx_paths_readonly(ctx, path, len);
}

/*
 * open(2) of an absolute path inside ctx into the holder's own descriptor
 * table (runc opens the container's /dev/ptmx and /dev/pts/N this way for
 * `terminal: true`): resolved from the context's root, created there with
 * O_CREAT. The descriptor has no name in /proc/<holder>/fd: its path means
 * nothing from the holder's root.
 */
static int64_t ctx_open(client_t *holder, rootctx_t *ctx, const request_t *req)
{
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    if (err != 0) {
        return err;
    }
    if (len == 0 || path[0] != '/' || req->mr[1] > UINT32_MAX || req->mr[2] > 07777) {
        return -EINVAL;
    }
    int flags = (int)req->mr[1];
    int fd = fd_alloc(&holder->fds, 0);
    if (fd < 0) {
        return fd;
    }
    vfs_path_t root = rootctx_root(ctx);
    vfs_caller_t who = {ctx, &root, &root, 0, 0, holder->umask};
    vfs_name_t name = {NULL, path, len};
    vfs_path_t opened;
    if ((err = fsops_openat(&who, &name, flags, (mode_t)req->mr[2], &opened)) != 0) {
        return err;
    }
    const device_ops_t *dev = NULL;
    if (S_ISCHR(opened.vn->mode) && (err = device_open(holder->pid, opened.vn, &dev)) != 0) {
        path_put(&opened);
        return err;
    }
    file_t *f = file_new(&opened, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC), dev);
    if (f == NULL) {
        if (dev != NULL && dev->close != NULL) {
            dev->close(dev); /* the pseudo-terminal end it opened */
        }
        path_put(&opened);
        return -ENOMEM;
    }
    fd_install(&holder->fds, fd, f, (flags & O_CLOEXEC) != 0);
    return fd;
}

/*
 * The container's /dev/console: the slave of the pseudo-terminal whose
 * master the holder has open as fd MR0 (opened with VFS_CTX_OPEN through
 * the context's /dev/ptmx), named `console` in that master's devfs
 * instance, which must be mounted in the context.
 */
static int64_t ctx_console(client_t *holder, rootctx_t *ctx, const request_t *req)
{
    const file_t *f = req->mr[0] < FD_MAX ? fd_get(&holder->fds, (int64_t)req->mr[0]) : NULL;
    if (f == NULL) {
        return -EBADF;
    }
    const device_ops_t *dev = f->dev;
    if (dev == NULL || !(dev->terminal & CONSOLE_TERMINAL_MASTER) || dev->pts_fs == NULL ||
        !rootctx_shows_fs(ctx, dev->pts_fs)) {
        return -EINVAL; /* not a pseudo-terminal master of this context's devfs */
    }
    return devfs_set_console(dev->pts_fs, dev->pts_index);
}

/* A name for dbg only: it grants nothing, so its holder may call it what
 * it likes; a longer one is cut (a container ID may be 1024 bytes). */
static int64_t ctx_label(rootctx_t *ctx, const request_t *req)
{
    char text[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, text, &len);
    if (err != 0 || len == 0) {
        return err != 0 ? err : -EINVAL;
    }
    _Static_assert(ROOTCTX_LABEL_MAX == VFS_CTX_LABEL_MAX, "one limit");
    size_t keep = len < ROOTCTX_LABEL_MAX ? len : ROOTCTX_LABEL_MAX;
    memcpy(ctx->label, text, keep);
    ctx->label[keep] = '\0';
    return 0;
}

/* Limits can shrink only to what is charged now: nothing is taken back. */
static int64_t ctx_set_quota(rootctx_t *ctx, const request_t *req)
{
    if (req->mr[0] == 0 || ctx->quota == NULL) {
        return -EINVAL;
    }
    if (req->mr[0] < ctx->quota->used) {
        return -EBUSY;
    }
    ctx->quota->limit = req->mr[0];
    return 0;
}

int64_t contexts_object_request(uint64_t badge, const request_t *req, cptr_t *reply_cap)
{
    (void)reply_cap; /* no context request answers with a capability yet */
    obj_badge_fields_t b;
    client_t *holder;
    if (!ctx_badge_decode(badge, &b) || (holder = client_find(b.holder_pid)) == NULL) {
        return -EBADF;
    }
    /* the jailed get nothing of a context, before any lookup */
    if (contexts_caller_jailed(holder->pid)) {
        return -EPERM;
    }
    rootctx_t *ctx = ctx_handle_get(&holder->handles, b.index, b.gen);
    if (ctx == NULL) {
        return -EBADF; /* closed since the capability was made */
    }
    procfs_set_reader(holder);       /* a /proc inside the context shows what the holder may see */
    quota_set_requester(ctx->quota); /* what the runtime builds inside, the context pays for */
    switch (req->label) {
    case VFS_CTX_MOUNT:
        return ctx_mount(ctx, req);
    case VFS_CTX_BIND:
        return ctx_bind(holder, ctx, req);
    case VFS_CTX_MKDIR:
        return ctx_mkdir(ctx, req);
    case VFS_CTX_SET_RDONLY:
        return ctx_set_rdonly(ctx, req);
    case VFS_CTX_CLOSE:
        ctx_handle_remove(&holder->handles, b.index);
        return 0;
    case VFS_CTX_PREPARE_SPAWN:
        return ctx_prepare_spawn(holder, ctx, req);
    case VFS_CTX_MASK:
    case VFS_CTX_READONLY:
        return ctx_path_rule(ctx, req);
    case VFS_CTX_OPEN:
        return ctx_open(holder, ctx, req);
    case VFS_CTX_CONSOLE:
        return ctx_console(holder, ctx, req);
    case VFS_CTX_LABEL:
        return ctx_label(ctx, req);
    case VFS_CTX_SET_QUOTA:
        return ctx_set_quota(ctx, req);
    default:
        return -ENOSYS;
    }
}
