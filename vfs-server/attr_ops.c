/*
 * Attributes of an existing file, named by a *at name (an open file is the
 * empty name with AT_EMPTY_PATH): mode, owners, size, times; and fsync of an
 * open file. Every field is checked before anything changes; a file on a
 * read-only mount (procfs included) is -EROFS. Capsule's one user is root,
 * which Linux lets change any of these; a caller that is not root may only
 * give a file to itself (the rule for owners without CAP_CHOWN).
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include "attr_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "file_ops.h"
#include "fs_statfs.h"
#include "ramfs.h"
#include "resolve.h"

/* The file a request names (MR0 dir, path), held in *out: a final symlink
 * is followed unless AT_SYMLINK_NOFOLLOW; `flags` must be within `allowed`. */
static int attr_target(const client_t *c, const request_t *req, int flags, int allowed,
                       vfs_path_t *out)
{
    unsigned rflags;
    int err = vfs_at_flags(flags, allowed, &rflags);
    if (err != 0) {
        return err;
    }
    name_arg_t *n = &(name_arg_t){0};
    if ((err = name_arg(c, req, false, n)) != 0) {
        return err;
    }
    if ((err = resolve_name(c, n, rflags, out)) != 0) {
        return err;
    }
    if (path_is_readonly(out) || out->vn->fs->refresh != NULL) {
        path_put(out);
        return -EROFS;
    }
    return 0;
}

static int64_t do_fchmodat(client_t *c, const request_t *req)
{
    vfs_path_t p;
    int err = attr_target(c, req, (int)req->mr[2], AT_EMPTY_PATH, &p);
    if (err != 0) {
        return err;
    }
    vnode_chmod(p.vn, (mode_t)req->mr[1] & 07777);
    path_put(&p);
    return 0;
}

static int64_t do_fchownat(client_t *c, const request_t *req)
{
    uid_t uid = (uid_t)req->mr[1];
    gid_t gid = (gid_t)(req->mr[1] >> 32);
    vfs_path_t p;
    int err = attr_target(c, req, (int)req->mr[2], AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, &p);
    if (err != 0) {
        return err;
    }
    vfs_caller_t caller = client_caller(c);
    bool own = uid == (uid_t)-1 || uid == p.vn->uid;
    if (caller.uid != 0 && (!own || p.vn->uid != caller.uid)) {
        path_put(&p);
        return -EPERM;
    }
    /* as Linux: a change of owner drops set-user-ID, and set-group-ID
     * where it means that (group execute set), from a non-directory */
    if ((uid != (uid_t)-1 || gid != (gid_t)-1) && !S_ISDIR(p.vn->mode)) {
        mode_t clear = S_ISUID | ((p.vn->mode & S_IXGRP) ? S_ISGID : 0);
        if (p.vn->mode & clear) {
            vnode_chmod(p.vn, p.vn->mode & 07777 & ~clear);
        }
    }
    vnode_chown(p.vn, uid, gid);
    path_put(&p);
    return 0;
}

/* The size change common to truncate and ftruncate. */
static int set_size(vnode_t *v, int64_t length)
{
    if (length < 0) {
        return -EINVAL;
    }
    if (S_ISDIR(v->mode)) {
        return -EISDIR;
    }
    if (!S_ISREG(v->mode)) {
        return -EINVAL;
    }
    int err = ramfs_truncate(v, (uint64_t)length);
    if (err == 0) {
        vnode_touch(v, VNODE_TOUCH_MTIME);
    }
    return err;
}

static int64_t do_truncate(client_t *c, const request_t *req)
{
    if ((int64_t)req->mr[1] < 0) {
        return -EINVAL;
    }
    vfs_path_t p;
    int err = attr_target(c, req, 0, 0, &p);
    if (err != 0) {
        return err;
    }
    err = p.vn->exec_users > 0 ? -ETXTBSY : set_size(p.vn, (int64_t)req->mr[1]);
    path_put(&p);
    return err;
}

static int64_t do_ftruncate(client_t *c, const request_t *req)
{
    file_t *f = fd_get(&c->fds, (int64_t)req->mr[0]);
    if (f == NULL) {
        return -EBADF;
    }
    /* Linux: not open for writing, or not a regular file: EINVAL */
    if (f->pipe != NULL || f->dev != NULL || !file_writes(f)) {
        return -EINVAL;
    }
    if (path_is_readonly(&f->path)) {
        return -EROFS;
    }
    return set_size(f->path.vn, (int64_t)req->mr[1]);
}

static int64_t do_utimensat(client_t *c, const request_t *req)
{
    struct timespec times[2];
    bool given;
    int err = vfs_utimens_args(req, &given);
    if (err != 0) {
        return err;
    }
    if (given && request_copy_in(1, 0, times, sizeof(times)) != 0) {
        return -EFAULT;
    }
    vfs_path_t p;
    err = attr_target(c, req, (int)req->mr[1], AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, &p);
    if (err != 0) {
        return err;
    }
    err = vnode_utimens(p.vn, given ? times : NULL);
    path_put(&p);
    return err;
}

/* ramfs keeps everything in memory: nothing to flush, but the descriptor
 * must be one that Linux would sync (not a pipe or the console). */
static int64_t do_fsync(client_t *c, const request_t *req)
{
    file_t *f = fd_get(&c->fds, (int64_t)req->mr[0]);
    if (f == NULL) {
        return -EBADF;
    }
    return f->pipe != NULL || f->dev != NULL ? -EINVAL : 0;
}

/* statfs/fstatfs: the file system the name (or, empty with AT_EMPTY_PATH,
 * the open file) lies on; a pipe end is on the pipe file system. */
static int64_t do_statfs(client_t *c, const request_t *req)
{
    int flags = (int)req->mr[1];
    unsigned rflags;
    if (vfs_at_flags(flags, AT_EMPTY_PATH, &rflags) != 0) {
        return -EINVAL;
    }
    if (req->descriptors < 2) {
        return -EFAULT;
    }
    struct statfs st;
    const file_t *f = fd_get(&c->fds, (int64_t)req->mr[0]);
    bool empty_path = (req->length > 3 ? req->mr[3] : 0) == 0;
    if (f != NULL && f->pipe != NULL && empty_path && (flags & AT_EMPTY_PATH)) {
        fs_statfs_pipe(&st);
        return request_copy_out(1, 0, &st, sizeof(st));
    }
    name_arg_t *n = &(name_arg_t){0};
    int err = name_arg(c, req, false, n);
    vfs_path_t p;
    if (err != 0 || (err = resolve_name(c, n, rflags, &p)) != 0) {
        return err;
    }
    fs_statfs(p.vn->fs, path_is_readonly(&p), &st);
    path_put(&p);
    return request_copy_out(1, 0, &st, sizeof(st));
}

int64_t attr_ops_dispatch(client_t *c, const request_t *req)
{
    switch (req->label) {
    case VFS_FCHMODAT:
        return do_fchmodat(c, req);
    case VFS_FCHOWNAT:
        return do_fchownat(c, req);
    case VFS_TRUNCATE:
        return do_truncate(c, req);
    case VFS_FTRUNCATE:
        return do_ftruncate(c, req);
    case VFS_UTIMENSAT:
        return do_utimensat(c, req);
    case VFS_FSYNC:
        return do_fsync(c, req);
    case VFS_STATFS:
        return do_statfs(c, req);
    default:
        return -ENOSYS;
    }
}
