/*
 * statfs(2) of a file system: what Linux's statfs and fstatfs fill in, from
 * what vfs-server knows of an instance. Pure: unit-tested on the host.
 *
 * f_type is Linux's magic number for the type (<linux/magic.h>): ramfs,
 * tmpfs, proc; devtmpfs reports tmpfs's, as on Linux; devfs its old own.
 * Sizes are in pages: a file system with a quota (tmpfs of a container)
 * reports the quota as its size and what is left of it as free; one without
 * reports 0 blocks, as Linux's ramfs does, since nothing bounds it but memory.
 */
#ifndef VFS_FS_STATFS_H
#define VFS_FS_STATFS_H

#include <stdbool.h>
#include <sys/statfs.h>

#include "vnode.h"

#define FS_STATFS_RAMFS_MAGIC 0x858458f6
#define FS_STATFS_TMPFS_MAGIC 0x01021994
#define FS_STATFS_PROC_MAGIC 0x9fa0
#define FS_STATFS_DEVFS_MAGIC 0x1373
#define FS_STATFS_PIPEFS_MAGIC 0x50495045

/* Fills *out for fs; rdonly: the mount the file was reached through is read-only. */
void fs_statfs(const vfs_fs_t *fs, bool rdonly, struct statfs *out);

/* Fills *out for the pipe file system (fstatfs of a pipe end). */
void fs_statfs_pipe(struct statfs *out);

#endif
