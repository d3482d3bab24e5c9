/*
 * The requests that carry two names: renameat2 and linkat (two *at names),
 * symlinkat (a target and a name). The first name is the usual path of
 * descriptor 0 (length MR3, directory MR0); the second is descriptor 1 with
 * its length in MR2's upper half. fsops does the work and has Linux's
 * errors; here every field is checked first.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include "name_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "file_ops.h"
#include "fsops.h"
#include "ramfs.h"

#define RENAME_FLAGS (RAMFS_RENAME_NOREPLACE | RAMFS_RENAME_EXCHANGE)

/* The two names of a rename or link: the first from MR0/MR3, the second
 * relative to MR1 with its bytes in descriptor 1. */
static int two_names(const client_t *c, const request_t *req, name_arg_t *from, name_arg_t *to)
{
    if (req->length < 4) {
        return -EINVAL;
    }
    int err = name_arg(c, req, false, from);
    if (err == 0) {
        err = request_second_path(req, req->mr[2] >> 32, to->path);
    }
    if (err == 0) {
        to->len = (size_t)(req->mr[2] >> 32);
        err = dirfd_path(c, (int32_t)req->mr[1], &to->dir);
    }
    return err;
}

static int64_t do_rename_or_link(client_t *c, const request_t *req)
{
    static name_arg_t from, to; /* two paths: too big for the stack together */
    int err = two_names(c, req, &from, &to);
    if (err != 0) {
        return err;
    }
    uint32_t flags = (uint32_t)req->mr[2];
    vfs_caller_t caller = client_caller(c);
    vfs_name_t old = {from.dir, from.path, from.len};
    vfs_name_t new = {to.dir, to.path, to.len};
    if (req->label == VFS_LINKAT) {
        return fsops_linkat(&caller, &old, &new, (int)flags);
    }
    if ((err = vfs_rename_flags(flags)) != 0) {
        return err;
    }
    return fsops_renameat2(&caller, &old, &new, flags);
}

static int64_t do_symlinkat(client_t *c, const request_t *req)
{
    static name_arg_t link;
    static char target[VFS_PATH_MAX];
    if (req->length < 4) {
        return -EINVAL;
    }
    int err = name_arg(c, req, false, &link);
    if (err == 0) {
        err = request_second_path(req, req->mr[2], target);
    }
    if (err == 0 && req->mr[2] == 0) {
        err = -ENOENT; /* Linux: an empty target */
    }
    if (err != 0) {
        return err;
    }
    vfs_caller_t caller = client_caller(c);
    vfs_name_t name = {link.dir, link.path, link.len};
    return fsops_symlinkat(&caller, target, (size_t)req->mr[2], &name);
}

int64_t name_ops_dispatch(client_t *c, const request_t *req)
{
    switch (req->label) {
    case VFS_RENAMEAT2:
    case VFS_LINKAT:
        return do_rename_or_link(c, req);
    case VFS_SYMLINKAT:
        return do_symlinkat(c, req);
    default:
        return -ENOSYS;
    }
}
