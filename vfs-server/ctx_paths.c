/* Paths inside a context: resolution from its root, a spawn's cwd, masks
 * and read-only paths (ctx_paths.h). */
#include "ctx_paths.h"

#include <errno.h>
#include <sys/stat.h>

#include "ramfs.h"
#include "resolve.h"

/* Made on the container's behalf: locked, and read-only for good. */
#define CTX_PATHS_RDONLY (MOUNT_LOCKED | MOUNT_RDONLY | MOUNT_RDONLY_LOCKED)

int ctx_paths_resolve(rootctx_t *ctx, const char *path, size_t len, unsigned flags, vfs_path_t *out)
{
    vfs_path_t root = rootctx_root(ctx);
    resolve_req_t r = {ctx, &root, &root, path, len, flags};
    return resolve_path(&r, out);
}

/* An absolute path inside ctx, followed (symlinks stay inside). */
static int resolve_absolute(rootctx_t *ctx, const char *path, size_t len, unsigned flags,
                            vfs_path_t *out)
{
    if (len == 0 || path[0] != '/') {
        return -EINVAL;
    }
    return ctx_paths_resolve(ctx, path, len, flags, out);
}

int ctx_paths_cwd(rootctx_t *ctx, const char *path, size_t len, vfs_path_t *out)
{
    *out = (vfs_path_t){NULL, NULL};
    return len == 0 ? 0 : resolve_absolute(ctx, path, len, RESOLVE_DIRECTORY, out);
}

/* A missing masked or read-only path is no error: the config may name
 * files the container's image does not have. */
static int resolve_present(rootctx_t *ctx, const char *path, size_t len, vfs_path_t *out)
{
    int err = resolve_absolute(ctx, path, len, 0, out);
    return err == -ENOENT || err == -ENOTDIR ? 1 : err;
}

/* The empty regular file a mask shows, made in the instance's root. */
static int empty_file(vfs_fs_t *fs, vnode_t **out)
{
    return ramfs_mknod(fs->root, "masked", 6, S_IFREG | 0444, 0, 0, 0, out);
}

int ctx_paths_mask(rootctx_t *ctx, const char *path, size_t len, vfs_clock_fn clock)
{
    vfs_path_t target;
    int err = resolve_present(ctx, path, len, &target);
    if (err != 0) {
        return err < 0 ? err : 0;
    }
    /* an instance of its own per mask: masks never share anything a
     * process could write into */
    ramfs_opts_t opts = {.type = "tmpfs", .root_mode = 0555, .quota = ctx->quota, .clock = clock};
    vfs_fs_t *fs = NULL;
    err = ramfs_new(&opts, &fs);
    vnode_t *shown = NULL;
    if (err == 0) {
        shown = fs->root;
        if (!vnode_is_dir(target.vn)) {
            err = empty_file(fs, &shown);
        }
    }
    if (err == 0) {
        err = rootctx_mount_vnode(ctx, &target, fs, shown, CTX_PATHS_RDONLY, "tmpfs");
    }
    if (fs != NULL) {
        vfs_fs_put(fs); /* the mount holds its own reference */
    }
    path_put(&target);
    return err;
}

int ctx_paths_readonly(rootctx_t *ctx, const char *path, size_t len)
{
    vfs_path_t target;
    int err = resolve_present(ctx, path, len, &target);
    if (err != 0) {
        return err < 0 ? err : 0;
    }
    if (target.vn == target.mnt->root) {
        /* a mount's root (the runtime's, like every mount at create): made
         * read-only itself, so the mounts on it stay in sight */
        target.mnt->flags |= CTX_PATHS_RDONLY;
    } else if (rootctx_bind_reveals_locked(&target)) {
        err = -EBUSY; /* the bind would uncover masks below it */
    } else {
        err = rootctx_bind(ctx, &target, &target, CTX_PATHS_RDONLY);
    }
    path_put(&target);
    return err;
}
