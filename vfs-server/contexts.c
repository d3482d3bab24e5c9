#include "contexts.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "capsule/server.h"
#include "devfs.h"
#include "fsops.h"
#include "mount_ops.h"
#include "proc_table.h"
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
static int new_root_context(client_t *c, const request_t *req, rootctx_t **out)
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
    unsigned flags = MOUNT_LOCKED | (dir.mnt->flags & MOUNT_RDONLY);
    err = rootctx_new(dir.mnt->fs, dir.vn, dir.mnt->source, flags, NULL, out);
    path_put(&dir);
    return err;
}

static int64_t create_context(client_t *c, const request_t *req, cptr_t *reply_cap)
{
    rootctx_t *ctx;
    int err;
    if (req->mr[0] == VFS_CONTEXT_COPY) {
        /* the whole table: a chrooted caller would get what lies outside its root */
        vfs_path_t root = rootctx_root(c->ctx);
        if (!path_equal(&c->root, &root)) {
            return -EPERM;
        }
        err = rootctx_copy(c->ctx, NULL, &ctx);
    } else if (req->mr[0] == VFS_CONTEXT_NEW_ROOT) {
        err = new_root_context(c, req, &ctx);
    } else {
        return -EINVAL;
    }
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
    if (err != 0) {
        return err;
    }
    vfs_path_t root = rootctx_root(ctx);
    resolve_req_t r = {ctx, &root, &root, path, len, flags};
    return resolve_path(&r, out);
}

static int rdonly_flag(uint64_t mr, unsigned *out)
{
    if (mr & ~(uint64_t)MS_RDONLY) {
        return -EINVAL;
    }
    *out = MOUNT_LOCKED | ((mr & MS_RDONLY) ? MOUNT_RDONLY : 0);
    return 0;
}

/* A new file system on a directory inside ctx, locked (made by the runtime). */
static int64_t ctx_mount(rootctx_t *ctx, const request_t *req)
{
    unsigned flags;
    char source[VFS_MOUNT_STRING_MAX + 1], type[VFS_MOUNT_STRING_MAX + 1];
    bool has_source, has_type;
    int err = rdonly_flag(req->mr[0], &flags);
    if (err == 0) {
        err = mount_ops_string_arg(req, 1, req->mr[1], source, &has_source);
    }
    if (err == 0) {
        err = mount_ops_string_arg(req, 2, req->mr[2], type, &has_type);
    }
    if (err == 0 && !has_type) {
        err = -EFAULT;
    }
    vfs_fs_t *fs = NULL;
    if (err == 0) {
        err = mount_ops_new_fs(type, ctx, &fs);
    }
    /* a proc or dev destination that is a symlink is refused (ENOTDIR), as
     * runtimes learned to (containers.md, create step 4): followed, it could
     * put the container's /proc where the container chose */
    bool no_link = strcmp(type, "proc") == 0 || devfs_is_type(type);
    vfs_path_t target = {NULL, NULL};
    if (err == 0) {
        err =
            resolve_inside(ctx, req, RESOLVE_DIRECTORY | (no_link ? RESOLVE_NOFOLLOW : 0), &target);
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
        err = rootctx_bind(ctx, &target, &from, flags);
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

static int64_t ctx_prepare_spawn(client_t *holder, rootctx_t *ctx)
{
    rootctx_get(ctx);
    if (holder->spawn_ctx != NULL) {
        rootctx_put(holder->spawn_ctx); /* a newer one replaces it */
    }
    holder->spawn_ctx = ctx;
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
        return ctx_prepare_spawn(holder, ctx);
    default:
        return -ENOSYS;
    }
}
