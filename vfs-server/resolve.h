/*
 * The path resolver: the one walk from a path string to a held (mount, vnode),
 * used by every operation that takes a path.
 *
 * Confinement, by construction:
 *   - ".." at the process root (which is the context root unless the process
 *     chrooted) stays there; ".." at a mount's root moves to its mount point in
 *     the caller's own table, then up;
 *   - mount points are crossed only through the caller's table;
 *   - absolute symlink targets start again at the process root, and ".." inside
 *     targets obeys the same rules;
 *   - a relative walk starts only from a directory still below the process root
 *     (-ENOENT otherwise: it was moved out from under the root, or removed), and
 *     only from a directory reached through the caller's own context (-EXDEV).
 * Linux rules: -ELOOP past 40 symlinks, -ENAMETOOLONG for a path of 4096 bytes
 * or more or a component past 255, "" is -ENOENT unless RESOLVE_EMPTY_PATH,
 * "//" is "/", "a/" must be a directory (-ENOTDIR) and follows a final symlink
 * even with RESOLVE_NOFOLLOW.
 *
 * vfs-server is single-threaded, so nothing changes during a walk; the result
 * is held (references taken), so a request uses what was resolved and never
 * looks the name up again.
 */
#ifndef VFS_RESOLVE_H
#define VFS_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "mount.h"
#include "vnode.h"

/* Resolve flags */
#define RESOLVE_NOFOLLOW 1u   /* a final symlink is the result (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW) */
#define RESOLVE_EMPTY_PATH 2u /* "" names the start (AT_EMPTY_PATH) */
#define RESOLVE_CREATE 4u     /* the final component may be missing: give its parent and name */
#define RESOLVE_DIRECTORY 8u  /* the result must be a directory (O_DIRECTORY) */

typedef struct resolve_req {
    rootctx_t *ctx;          /* the caller's context: the only table crossed */
    const vfs_path_t *root;  /* the caller's root (context root or chroot) */
    const vfs_path_t *start; /* cwd or dirfd, for relative paths; may be NULL for absolute ones */
    const char *path;        /* not necessarily NUL-terminated */
    size_t len;              /* bytes of path */
    unsigned flags;          /* RESOLVE_* */
} resolve_req_t;

/* What the final component was. */
typedef enum resolve_last {
    RESOLVE_LAST_NORM,   /* a name: parent and name are set */
    RESOLVE_LAST_DOT,    /* "." */
    RESOLVE_LAST_DOTDOT, /* ".." */
    RESOLVE_LAST_ROOT,   /* only slashes: "/" */
    RESOLVE_LAST_EMPTY,  /* "" with RESOLVE_EMPTY_PATH */
} resolve_last_t;

typedef struct resolve_result {
    vfs_path_t obj;    /* held; obj.vn NULL if missing (RESOLVE_CREATE only) */
    vfs_path_t parent; /* held; the directory holding name, only for RESOLVE_LAST_NORM */
    resolve_last_t last;
    char name[VFS_NAME_MAX + 1]; /* the final component, NUL-terminated, for RESOLVE_LAST_NORM */
    size_t name_len;
    bool trailing_slash; /* the path ended in '/' after its final component */
} resolve_result_t;

/*
 * Resolves req->path. On success every path in *res is held: release with
 * resolve_result_put. A final symlink is followed unless RESOLVE_NOFOLLOW (and no
 * trailing slash), in which case obj is the link itself; with RESOLVE_CREATE and
 * the final name missing, obj is empty and parent/name say where to create it
 * (after following a final dangling symlink unless RESOLVE_NOFOLLOW, as
 * open(O_CREAT) does). On failure *res is empty.
 */
int resolve(const resolve_req_t *req, resolve_result_t *res);
void resolve_result_put(resolve_result_t *res);

/* Convenience: resolves to an existing object and hands back just that, held. */
int resolve_path(const resolve_req_t *req, vfs_path_t *out);

/*
 * getcwd(2): the path of where (a directory or a mount root) as seen from root,
 * written to buf with its NUL. Returns the length without the NUL, -ENOENT if
 * where is not below root (moved out, removed, or another tree), -ERANGE if
 * size is too small.
 */
int resolve_getcwd(const vfs_path_t *root, const vfs_path_t *where, char *buf, size_t size);

#endif
