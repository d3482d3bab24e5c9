/*
 * Name operations for the IPC handlers: openat, mkdirat, mknodat, symlinkat,
 * linkat, unlinkat, renameat2, chdir and chroot, each one resolve() plus the
 * ramfs call plus the checks that belong between them (EROFS on read-only
 * mounts, EXDEV across mounts, EEXIST/EISDIR/ENOTDIR/EBUSY for ".", ".." and
 * "/" as Linux answers). Handlers unpack a request, call one of these, reply.
 *
 * Paths arrive as (pointer, length) and need no NUL. dirfd is the held path of
 * the descriptor (or NULL to use the caller's cwd, as AT_FDCWD). Nothing here
 * checks permissions (Capsule has no users yet) and nothing keeps the caller's
 * state: a chdir or open hands back a held path for the caller to store.
 */
#ifndef VFS_FSOPS_H
#define VFS_FSOPS_H

#include <stddef.h>
#include <sys/types.h>

#include "mount.h"

/* Who is asking: what the per-process state of the IPC layer provides. */
typedef struct vfs_caller {
    rootctx_t *ctx;         /* attached context */
    const vfs_path_t *root; /* process root (context root unless chrooted) */
    const vfs_path_t *cwd;
    uid_t uid;
    gid_t gid;
    mode_t umask;
} vfs_caller_t;

/* A path argument: the directory it is relative to (NULL: cwd) and its bytes. */
typedef struct vfs_name {
    const vfs_path_t *dirfd;
    const char *path;
    size_t len;
} vfs_name_t;

/*
 * openat(2) as far as names go: O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY,
 * O_NOFOLLOW and the access mode are honoured; other flags are the caller's
 * (O_APPEND, O_CLOEXEC, O_NONBLOCK live in its open file description). Returns
 * the opened object held in *out.
 */
int fsops_openat(const vfs_caller_t *c, const vfs_name_t *n, int flags, mode_t mode,
                 vfs_path_t *out);
int fsops_mkdirat(const vfs_caller_t *c, const vfs_name_t *n, mode_t mode);
/* mknodat(2): regular files, FIFOs, sockets and device nodes. */
int fsops_mknodat(const vfs_caller_t *c, const vfs_name_t *n, mode_t mode, dev_t dev);
int fsops_symlinkat(const vfs_caller_t *c, const char *target, size_t tlen, const vfs_name_t *n);
/* linkat(2); flags: AT_SYMLINK_FOLLOW, AT_EMPTY_PATH. */
int fsops_linkat(const vfs_caller_t *c, const vfs_name_t *from, const vfs_name_t *to, int flags);
/* unlinkat(2); flags: AT_REMOVEDIR. */
int fsops_unlinkat(const vfs_caller_t *c, const vfs_name_t *n, int flags);
/* renameat2(2); flags: RENAME_NOREPLACE, RENAME_EXCHANGE. */
int fsops_renameat2(const vfs_caller_t *c, const vfs_name_t *from, const vfs_name_t *to,
                    unsigned flags);
/* chdir(2)/chroot(2): the directory, held in *out, for the caller to store. */
int fsops_chdir(const vfs_caller_t *c, const vfs_name_t *n, vfs_path_t *out);

#endif
