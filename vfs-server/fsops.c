/*
 * Name operations: resolve, check, call ramfs (see fsops.h). Each takes
 * everything it needs from the resolver's held result and releases it on every
 * path out, so a failure leaves nothing held and nothing changed.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH, in glibc and musl alike */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "fsops.h"
#include "ramfs.h"
#include "resolve.h"

static int lookup(const vfs_caller_t *c, const vfs_name_t *n, unsigned flags, resolve_result_t *res)
{
    resolve_req_t req = {
        .ctx = c->ctx,
        .root = c->root,
        .start = n->dirfd != NULL ? n->dirfd : c->cwd,
        .path = n->path,
        .len = n->len,
        .flags = flags,
    };
    return resolve(&req, res);
}

/* Resolves a name to create: -EEXIST if it is there, or is ".", ".." or "/". */
static int lookup_new(const vfs_caller_t *c, const vfs_name_t *n, resolve_result_t *res)
{
    int err = lookup(c, n, RESOLVE_CREATE | RESOLVE_NOFOLLOW, res);
    if (err < 0) {
        return err;
    }
    if (res->last != RESOLVE_LAST_NORM || res->obj.vn != NULL) {
        resolve_result_put(res);
        return -EEXIST;
    }
    if (path_is_readonly(&res->parent)) {
        resolve_result_put(res);
        return -EROFS;
    }
    return 0;
}

static int create_node(const vfs_caller_t *c, const vfs_name_t *n, mode_t mode, dev_t dev)
{
    resolve_result_t res;
    int err = lookup_new(c, n, &res);
    if (err < 0) {
        return err;
    }
    vfs_fs_t *fs = res.parent.vn->fs;
    bool device = S_ISCHR(mode) || S_ISBLK(mode);
    if (res.trailing_slash && !S_ISDIR(mode)) {
        err = -ENOENT;
    } else if (device && fs->may_mknod != NULL) {
        err = fs->may_mknod(fs, mode, dev); /* devfs: only its own devices */
    }
    if (err == 0) {
        err = ramfs_mknod(res.parent.vn, res.name, res.name_len, mode, dev, c->uid, c->gid, NULL);
    }
    resolve_result_put(&res);
    return err;
}

int fsops_mkdirat(const vfs_caller_t *c, const vfs_name_t *n, mode_t mode)
{
    return create_node(c, n, S_IFDIR | (mode & 07777 & ~c->umask), 0);
}

int fsops_mknodat(const vfs_caller_t *c, const vfs_name_t *n, mode_t mode, dev_t dev)
{
    mode_t type = mode & S_IFMT;
    if (type == S_IFDIR || type == S_IFLNK) {
        return -EINVAL;
    }
    return create_node(c, n, (type != 0 ? type : S_IFREG) | (mode & 07777 & ~c->umask), dev);
}

int fsops_symlinkat(const vfs_caller_t *c, const char *target, size_t tlen, const vfs_name_t *n)
{
    resolve_result_t res;
    int err = lookup_new(c, n, &res);
    if (err < 0) {
        return err;
    }
    if (res.trailing_slash) {
        err = -ENOENT;
    } else {
        err = ramfs_symlink(res.parent.vn, res.name, res.name_len, target, tlen, c->uid, c->gid,
                            NULL);
    }
    resolve_result_put(&res);
    return err;
}

int fsops_linkat(const vfs_caller_t *c, const vfs_name_t *from, const vfs_name_t *to, int flags)
{
    if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
        return -EINVAL;
    }
    unsigned rflags = (flags & AT_SYMLINK_FOLLOW) ? 0 : RESOLVE_NOFOLLOW;
    rflags |= (flags & AT_EMPTY_PATH) ? RESOLVE_EMPTY_PATH : 0;
    resolve_result_t old, new;
    int err = lookup(c, from, rflags, &old);
    if (err < 0) {
        return err;
    }
    err = lookup_new(c, to, &new);
    if (err < 0) {
        resolve_result_put(&old);
        return err;
    }
    if (old.obj.mnt != new.parent.mnt) {
        err = -EXDEV;
    } else if (new.trailing_slash) {
        err = vnode_is_dir(old.obj.vn) ? -EPERM : -ENOENT;
    } else {
        err = ramfs_link(new.parent.vn, new.name, new.name_len, old.obj.vn);
    }
    resolve_result_put(&new);
    resolve_result_put(&old);
    return err;
}

/* unlink/rmdir of ".", ".." or "/", with Linux's errors. */
static int unlink_special(resolve_last_t last, bool rmdir)
{
    if (!rmdir) {
        return -EISDIR;
    }
    if (last == RESOLVE_LAST_DOT) {
        return -EINVAL;
    }
    return last == RESOLVE_LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
}

int fsops_unlinkat(const vfs_caller_t *c, const vfs_name_t *n, int flags)
{
    if ((flags & ~AT_REMOVEDIR) != 0) {
        return -EINVAL;
    }
    bool rmdir = (flags & AT_REMOVEDIR) != 0;
    resolve_result_t res;
    int err = lookup(c, n, RESOLVE_NOFOLLOW, &res);
    if (err < 0) {
        return err;
    }
    if (res.last != RESOLVE_LAST_NORM) {
        err = unlink_special(res.last, rmdir);
    } else if (path_is_readonly(&res.parent)) {
        err = -EROFS;
    } else if (rmdir) {
        err = ramfs_rmdir(res.parent.vn, res.name, res.name_len);
    } else if (res.trailing_slash) {
        err = -EISDIR; /* the resolver let "name/" through: it is a directory */
    } else {
        err = ramfs_unlink(res.parent.vn, res.name, res.name_len);
    }
    resolve_result_put(&res);
    return err;
}

static int rename_check(const resolve_result_t *old, const resolve_result_t *new)
{
    if (old->last != RESOLVE_LAST_NORM || new->last != RESOLVE_LAST_NORM) {
        return -EBUSY;
    }
    if (old->parent.mnt != new->parent.mnt) {
        return -EXDEV;
    }
    if (path_is_readonly(&old->parent)) {
        return -EROFS;
    }
    if (!vnode_is_dir(old->obj.vn) && (old->trailing_slash || new->trailing_slash)) {
        return -ENOTDIR;
    }
    return 0;
}

int fsops_renameat2(const vfs_caller_t *c, const vfs_name_t *from, const vfs_name_t *to,
                    unsigned flags)
{
    resolve_result_t old, new;
    int err = lookup(c, from, RESOLVE_NOFOLLOW, &old);
    if (err < 0) {
        return err;
    }
    err = lookup(c, to, RESOLVE_NOFOLLOW | RESOLVE_CREATE, &new);
    if (err < 0) {
        resolve_result_put(&old);
        return err;
    }
    err = rename_check(&old, &new);
    if (err == 0) {
        err = ramfs_rename(old.parent.vn, old.name, old.name_len, new.parent.vn, new.name,
                           new.name_len, flags);
    }
    resolve_result_put(&new);
    resolve_result_put(&old);
    return err;
}

int fsops_chdir(const vfs_caller_t *c, const vfs_name_t *n, vfs_path_t *out)
{
    resolve_req_t req = {c->ctx,  c->root, n->dirfd != NULL ? n->dirfd : c->cwd,
                         n->path, n->len,  RESOLVE_DIRECTORY};
    return resolve_path(&req, out);
}

/* Creates the missing regular file of an O_CREAT open; res->obj becomes it. */
static int open_create(const vfs_caller_t *c, resolve_result_t *res, mode_t mode)
{
    if (res->trailing_slash) {
        return -EISDIR;
    }
    if (path_is_readonly(&res->parent)) {
        return -EROFS;
    }
    vnode_t *v;
    int err = ramfs_mknod(res->parent.vn, res->name, res->name_len,
                          S_IFREG | (mode & 07777 & ~c->umask), 0, c->uid, c->gid, &v);
    if (err < 0) {
        return err;
    }
    vfs_path_t made = {res->parent.mnt, v};
    path_copy(&res->obj, &made);
    return 0;
}

/* The checks on an existing object being opened. */
static int open_check(const resolve_result_t *res, int flags)
{
    const vnode_t *v = res->obj.vn;
    bool writes = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
    if ((flags & O_CREAT) && (flags & O_EXCL)) {
        return -EEXIST;
    }
    if (vnode_is_symlink(v)) {
        return -ELOOP; /* only reached with O_NOFOLLOW */
    }
    if (vnode_is_dir(v) && (writes || (flags & O_CREAT))) {
        return -EISDIR;
    }
    if (writes && path_is_readonly(&res->obj)) {
        return -EROFS;
    }
    return writes && v->exec_users > 0 ? -ETXTBSY : 0;
}

int fsops_openat(const vfs_caller_t *c, const vfs_name_t *n, int flags, mode_t mode,
                 vfs_path_t *out)
{
    unsigned rflags = (flags & O_DIRECTORY) ? RESOLVE_DIRECTORY : 0;
    if ((flags & O_NOFOLLOW) || ((flags & O_CREAT) && (flags & O_EXCL))) {
        rflags |= RESOLVE_NOFOLLOW;
    }
    rflags |= (flags & O_CREAT) ? RESOLVE_CREATE : 0;
    resolve_result_t res;
    int err = lookup(c, n, rflags, &res);
    if (err < 0) {
        return err;
    }
    if ((flags & O_CREAT) && res.last != RESOLVE_LAST_NORM) {
        err = -EISDIR;
    } else if (res.obj.vn == NULL) {
        err = open_create(c, &res, mode);
    } else {
        err = open_check(&res, flags);
        if (err == 0 && (flags & O_TRUNC) && S_ISREG(res.obj.vn->mode)) {
            err = ramfs_truncate(res.obj.vn, 0);
        }
    }
    if (err == 0) {
        *out = res.obj;
        res.obj.mnt = NULL;
    }
    resolve_result_put(&res);
    return err;
}
