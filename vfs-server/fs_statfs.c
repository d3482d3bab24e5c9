/* statfs(2) of a file system instance (fs_statfs.h). */
#include "fs_statfs.h"

#include <stdint.h>
#include <string.h>
#include <sys/statvfs.h>

#include "quota.h"

#define STATFS_BSIZE 4096      /* ramfs's page: the unit of its allocation */
#define STATFS_ST_VALID 0x0020 /* Linux sets it in f_flags of every answer */

static long magic_of(const char *type)
{
    if (strcmp(type, "tmpfs") == 0 || strcmp(type, "devtmpfs") == 0) {
        return FS_STATFS_TMPFS_MAGIC;
    }
    if (strcmp(type, "proc") == 0) {
        return FS_STATFS_PROC_MAGIC;
    }
    if (strcmp(type, "devfs") == 0) {
        return FS_STATFS_DEVFS_MAGIC;
    }
    return FS_STATFS_RAMFS_MAGIC;
}

static void statfs_common(struct statfs *out)
{
    memset(out, 0, sizeof(*out));
    out->f_bsize = STATFS_BSIZE;
    out->f_frsize = STATFS_BSIZE;
    out->f_namelen = VFS_NAME_MAX;
    out->f_flags = STATFS_ST_VALID;
}

void fs_statfs(const vfs_fs_t *fs, bool rdonly, struct statfs *out)
{
    statfs_common(out);
    out->f_type = magic_of(fs->type != NULL ? fs->type : "ramfs");
    const quota_t *q = fs->quota;
    if (q != NULL && q->limit != UINT64_MAX) {
        uint64_t left = q->used < q->limit ? q->limit - q->used : 0;
        out->f_blocks = q->limit / STATFS_BSIZE;
        out->f_bfree = out->f_bavail = left / STATFS_BSIZE;
    }
    out->f_fsid.__val[0] = (int)(uint32_t)fs->dev;
    out->f_fsid.__val[1] = (int)(uint32_t)(fs->dev >> 32);
    if (rdonly || fs->refresh != NULL) {
        out->f_flags |= ST_RDONLY;
    }
}

void fs_statfs_pipe(struct statfs *out)
{
    statfs_common(out);
    out->f_type = FS_STATFS_PIPEFS_MAGIC;
}
