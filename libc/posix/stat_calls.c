/*
 * statx(2) and statfs(2)/fstatfs(2). statx is built here from the struct
 * stat of VFS_FSTATAT: ramfs keeps nothing statx adds (no birth time, no
 * attributes), so the basic fields are all it can honestly report, and its
 * mask says exactly those.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH, AT_NO_AUTOMOUNT */
#include "stat_calls.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "capsule/kernel.h"
#include "files.h"
#include "process.h"
#include "protocol/vfs.h"

#define STATX_BASIC_STATS_MASK 0x7ffu /* type, mode, nlink, uid, gid, times, ino, size, blocks */
#define STATX_RESERVED_MASK 0x80000000u
#define STATX_SYNC_TYPE 0x6000 /* AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC */

/* Linux's struct statx (include/uapi/linux/stat.h), 256 bytes. */
typedef struct {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
} statx_time_t;

typedef struct {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    statx_time_t atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t mnt_id;
    uint32_t dio_mem_align, dio_offset_align;
    uint64_t spare3[12];
} linux_statx_t;

_Static_assert(sizeof(linux_statx_t) == 256, "struct statx is 256 bytes");

RUNTIME static uint32_t dev_major(uint64_t dev)
{
    return (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull));
}

RUNTIME static uint32_t dev_minor(uint64_t dev)
{
    return (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffull));
}

RUNTIME static statx_time_t statx_time(const struct timespec *ts)
{
    return (statx_time_t){ts->tv_sec, (uint32_t)ts->tv_nsec, 0};
}

RUNTIME static void statx_from_stat(const struct stat *st, linux_statx_t *sx)
{
    *sx = (linux_statx_t){0};
    sx->mask = STATX_BASIC_STATS_MASK;
    sx->blksize = (uint32_t)st->st_blksize;
    sx->nlink = (uint32_t)st->st_nlink;
    sx->uid = st->st_uid;
    sx->gid = st->st_gid;
    sx->mode = (uint16_t)st->st_mode;
    sx->ino = st->st_ino;
    sx->size = (uint64_t)st->st_size;
    sx->blocks = (uint64_t)st->st_blocks;
    sx->atime = statx_time(&st->st_atim);
    sx->ctime = statx_time(&st->st_ctim);
    sx->mtime = statx_time(&st->st_mtim);
    sx->rdev_major = dev_major(st->st_rdev), sx->rdev_minor = dev_minor(st->st_rdev);
    sx->dev_major = dev_major(st->st_dev), sx->dev_minor = dev_minor(st->st_dev);
}

RUNTIME static int64_t statx_call(int64_t dirfd, uint64_t path, uint64_t flags, uint64_t mask,
                                  uint64_t buf)
{
    uint64_t allowed = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | STATX_SYNC_TYPE;
    if ((flags & ~allowed) || (flags & STATX_SYNC_TYPE) == STATX_SYNC_TYPE ||
        ((uint32_t)mask & STATX_RESERVED_MASK)) {
        return -EINVAL;
    }
    struct stat st;
    lend(1, (uint64_t)&st, sizeof(st), DESC_WRITE);
    int64_t err =
        path_call(VFS_FSTATAT, path, (uint64_t)dirfd, flags & ~(uint64_t)STATX_SYNC_TYPE, 0, 1);
    if (err != 0) {
        return err;
    }
    linux_statx_t sx;
    statx_from_stat(&st, &sx);
    return user_put(buf, &sx, sizeof(sx));
}

RUNTIME static int64_t statfs_call(int64_t dirfd, uint64_t path, uint64_t flags, uint64_t buf)
{
    lend(1, buf, sizeof(struct statfs), DESC_WRITE);
    return path_call(VFS_STATFS, path, (uint64_t)dirfd, flags, 0, 1);
}

RUNTIME int64_t stat_calls_dispatch(const syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_statx:
        return statx_call((int32_t)f->a1, f->a2, f->a3, f->a4, f->a5);
    case SYS_statfs:
        return statfs_call(AT_FDCWD, f->a1, 0, f->a2);
    case SYS_fstatfs:
        return statfs_call((int32_t)f->a1, (uint64_t) "", AT_EMPTY_PATH, f->a2);
    default:
        return -ENOSYS;
    }
}
