/*
 * Calls on names and attributes, as vfs-server requests 0x240..0x249, and
 * chroot and pivot_root (docs/protocols/vfs.md). A second path is lent as descriptor 1 with its
 * length in MR2's upper half. The legacy calls are their *at forms with
 * AT_FDCWD; the calls on an open file (fchmod, fchown, futimens) name it as
 * the empty path with AT_EMPTY_PATH, as fstat does.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include "name_calls.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>

#include "capsule/kernel.h"
#include "files.h"
#include "protocol/vfs.h"

int64_t user_strnlen(const char *s, size_t max);

/* Lends the NUL-terminated string at addr as descriptor 1; its length. */
RUNTIME static int64_t lend_second(uint64_t addr)
{
    int64_t len = user_strnlen((const char *)addr, VFS_PATH_MAX);
    if (len < 0) {
        return len;
    }
    if (len >= VFS_PATH_MAX) {
        return -ENAMETOOLONG;
    }
    lend(1, addr, (uint64_t)len + 1, DESC_READ);
    return len;
}

/* renameat2 and linkat: two (dirfd, path) names and the flags. */
RUNTIME static int64_t two_names(uint64_t label, int64_t olddir, uint64_t oldpath, int64_t newdir,
                                 uint64_t newpath, uint64_t flags)
{
    if (flags > UINT32_MAX) {
        return -EINVAL;
    }
    int64_t newlen = lend_second(newpath);
    if (newlen < 0) {
        return newlen;
    }
    return path_call(label, oldpath, (uint64_t)olddir, (uint64_t)newdir,
                     flags | (uint64_t)newlen << 32, 1);
}

RUNTIME static int64_t symlink_at(uint64_t target, int64_t dirfd, uint64_t linkpath)
{
    int64_t tlen = lend_second(target);
    if (tlen < 0) {
        return tlen;
    }
    return path_call(VFS_SYMLINKAT, linkpath, (uint64_t)dirfd, 0, (uint64_t)tlen, 1);
}

/* fchownat: uid and gid are C ints (glibc leaves the upper halves undefined). */
RUNTIME static int64_t chown_at(int64_t dirfd, uint64_t path, uint64_t uid, uint64_t gid,
                                uint64_t flags)
{
    return path_call(VFS_FCHOWNAT, path, (uint64_t)dirfd,
                     (uint64_t)(uint32_t)uid | (uint64_t)(uint32_t)gid << 32, flags, 0);
}

/* utimensat; a NULL path names dirfd itself (futimens). */
RUNTIME static int64_t utimens_at(int64_t dirfd, uint64_t path, uint64_t times, uint64_t flags)
{
    if (times != 0) {
        lend(1, times, 2 * sizeof(struct timespec), DESC_READ);
    }
    if (path == 0) {
        if (dirfd == AT_FDCWD) {
            return -EFAULT;
        }
        path = (uint64_t) "";
        flags |= AT_EMPTY_PATH;
    }
    return path_call(VFS_UTIMENSAT, path, (uint64_t)dirfd, flags, times != 0, times != 0);
}

RUNTIME static int64_t dispatch_attrs(const syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_chmod:
        return path_call(VFS_FCHMODAT, f->a1, (uint64_t)AT_FDCWD, f->a2, 0, 0);
    case SYS_fchmodat:
        return path_call(VFS_FCHMODAT, f->a2, f->a1, f->a3, 0, 0);
    case SYS_fchmod:
        return path_call(VFS_FCHMODAT, (uint64_t) "", f->a1, f->a2, AT_EMPTY_PATH, 0);
    case SYS_chown:
        return chown_at(AT_FDCWD, f->a1, f->a2, f->a3, 0);
    case SYS_lchown:
        return chown_at(AT_FDCWD, f->a1, f->a2, f->a3, AT_SYMLINK_NOFOLLOW);
    case SYS_fchown:
        return chown_at((int32_t)f->a1, (uint64_t) "", f->a2, f->a3, AT_EMPTY_PATH);
    case SYS_fchownat:
        return chown_at((int32_t)f->a1, f->a2, f->a3, f->a4, f->a5);
    case SYS_truncate:
        return path_call(VFS_TRUNCATE, f->a1, (uint64_t)AT_FDCWD, f->a2, 0, 0);
    case SYS_ftruncate:
        return vfs_call(VFS_FTRUNCATE, f->a1, f->a2, 0, 0, 0);
    case SYS_utimensat:
        return utimens_at((int32_t)f->a1, f->a2, f->a3, f->a4);
    case SYS_fsync:
    case SYS_fdatasync:
    case SYS_syncfs:
        return vfs_call(VFS_FSYNC, f->a1, 0, 0, 0, 0);
    case SYS_sync:
        return 0; /* every file system is in memory: nothing waits to be written */
    default:
        return -ENOSYS;
    }
}

RUNTIME int64_t name_calls_dispatch(const syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_rename:
        return two_names(VFS_RENAMEAT2, AT_FDCWD, f->a1, AT_FDCWD, f->a2, 0);
    case SYS_renameat:
        return two_names(VFS_RENAMEAT2, (int32_t)f->a1, f->a2, (int32_t)f->a3, f->a4, 0);
    case SYS_renameat2:
        return two_names(VFS_RENAMEAT2, (int32_t)f->a1, f->a2, (int32_t)f->a3, f->a4, f->a5);
    case SYS_link:
        return two_names(VFS_LINKAT, AT_FDCWD, f->a1, AT_FDCWD, f->a2, 0);
    case SYS_linkat:
        return two_names(VFS_LINKAT, (int32_t)f->a1, f->a2, (int32_t)f->a3, f->a4, f->a5);
    case SYS_symlink:
        return symlink_at(f->a1, AT_FDCWD, f->a2);
    case SYS_symlinkat:
        return symlink_at(f->a1, (int32_t)f->a2, f->a3);
    case SYS_pivot_root: {
        int64_t old_len = lend_second(f->a2);
        return old_len < 0 ? old_len
                           : path_call(VFS_PIVOT_ROOT, f->a1, 0, 0, (uint64_t)old_len << 32, 1);
    }
    case SYS_chroot:
        return path_call(VFS_CHROOT, f->a1, 0, 0, 0, 0);
    default:
        return dispatch_attrs(f);
    }
}
