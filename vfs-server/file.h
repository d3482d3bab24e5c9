/*
 * Open file descriptions and per-process descriptor tables (as MINIX 3's
 * VFS keeps them): a description holds its path (mount and vnode, held),
 * offset and status flags, and is shared by dup and fork. A description of
 * a pipe end has no path: it names the pipe instead, and counts as one of
 * its readers or writers until its last descriptor closes.
 */
#ifndef VFS_FILE_H
#define VFS_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "mount.h"
#include "pipe.h"

#define FD_MAX 256 /* descriptors per process (EMFILE past it) */

typedef struct file {
    unsigned refs;
    vfs_path_t path;
    uint64_t offset;
    int flags; /* O_ACCMODE and status flags */
    const device_ops_t *dev;
    uint64_t dir_pos; /* getdents position */
    pipe_t *pipe;     /* a pipe end (path and dev unused), or NULL */
    char *name;       /* what /proc/<pid>/fd/N shows (malloc'd); NULL: not known */
    quota_t *quota;   /* held: charged for the description (its opener's, quota.h) */
    /* Which console-server instance a terminal's description was opened
     * on: after a restart the old ones answer -EIO (console_forward.h). */
    uint32_t console_epoch;
} file_t;

/* console-server was restarted: every terminal description opened until
 * now is stale (docs/restart.md). */
void file_tty_epoch_advance(void);
/* Whether f is a terminal's description of an earlier console-server. */
bool file_tty_stale(const file_t *f);

typedef struct fd_table {
    file_t *files[FD_MAX];
    bool cloexec[FD_MAX];
} fd_table_t;

/* A new description of the held `path` (the file takes the reference). */
file_t *file_new(vfs_path_t *path, int flags, const device_ops_t *dev);
/* A new description of an end of `p` (O_RDONLY or O_WRONLY in `flags`),
 * counted as a reader or writer of it. */
file_t *file_new_pipe(pipe_t *p, int flags);
void file_put(file_t *f);
bool file_reads(const file_t *f);
bool file_writes(const file_t *f);

/* The lowest free descriptor at or above `min`, or -EMFILE. */
int fd_alloc(const fd_table_t *t, int min);
file_t *fd_get(const fd_table_t *t, int64_t fd);
/* Installs `f` (a reference the table takes) at `fd`, closing what was there. */
void fd_install(fd_table_t *t, int fd, file_t *f, bool cloexec);
int fd_close(fd_table_t *t, int64_t fd);
void fd_close_all(fd_table_t *t);
void fd_close_on_exec(fd_table_t *t);
void fd_copy(fd_table_t *dst, const fd_table_t *src);

#endif
