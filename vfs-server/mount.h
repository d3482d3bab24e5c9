/*
 * Mounts, paths and VFS root contexts.
 *
 * A VFS root context (rootctx_t, a mount namespace) is a mount table with its own
 * root mount. Every mount belongs to exactly one context's table, until it is
 * unmounted ("detached"): then it is in no table, has no parent, and lives on
 * only while paths still name it. A mount shows one file system instance from
 * one of its directories (its root): the file system's root for a plain mount,
 * any directory or file for a bind mount. Copying a table, or copying one mount
 * into another context, makes new mount records sharing the file systems.
 *
 * A vfs_path_t names an object the way the resolver reaches it: the mount it
 * was reached through and the vnode. A held path owns one reference on each, so
 * an open file, a cwd or a root keeps its mount (and through it the file system)
 * alive even after a lazy unmount. Paths are how every other module holds
 * vnodes.
 *
 * Reference counts:
 *   mount->refs: 1 while in a table + 1 per held vfs_path_t naming it;
 *   a mount holds its file system, its root vnode and its mount point vnode;
 *   a child mount does not hold its parent: a parent with children cannot be
 *   unmounted except lazily, which detaches the children with it.
 *   rootctx->refs: processes attached + other holders (the IPC layer's
 *   capabilities); the last put detaches every mount of the table.
 *
 * The mount table is a list in mount order (a mount always after its parent),
 * which is the order /proc/mounts shows. Crossing a mount point looks the table
 * up only when the vnode is a mount point of some mount (vnode->mounts > 0).
 */
#ifndef VFS_MOUNT_H
#define VFS_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "quota.h"
#include "vnode.h"

typedef struct mount mount_t;
typedef struct rootctx rootctx_t;

typedef struct vfs_path {
    mount_t *mnt;
    vnode_t *vn;
} vfs_path_t;

/* Mount flags */
#define MOUNT_RDONLY 1u /* writes through this mount fail with EROFS */
#define MOUNT_LOCKED 2u /* made by the runtime: a process inside cannot unmount or remount it */
/* read-only for good, to a runtime too: masks, read-only paths, and binds or
 * copies of locked read-only mounts, which could otherwise be remounted
 * writable (Linux's MNT_LOCK_READONLY) */
#define MOUNT_RDONLY_LOCKED 4u

/* Who asks to change a mount: the runtime may change locked mounts, a process inside may not. */
typedef enum mount_caller {
    MOUNT_CALLER_INSIDE,
    MOUNT_CALLER_RUNTIME,
} mount_caller_t;

struct mount {
    uint32_t refs;        /* see the top of this file */
    rootctx_t *ctx;       /* table holding it; NULL once detached */
    mount_t *parent;      /* mount it sits on; NULL for a root mount or once detached */
    vnode_t *mountpoint;  /* the vnode of parent it covers (held); NULL with parent */
    vfs_fs_t *fs;         /* held */
    vnode_t *root;        /* held: what the mount shows at its mount point */
    unsigned flags;       /* MOUNT_* */
    unsigned children;    /* mounts of the table whose parent is this one */
    char *source;         /* first field of /proc/mounts */
    quota_t *quota;       /* charged for this record (held) */
    mount_t *prev, *next; /* the table, in mount order */
    mount_t *copy;        /* scratch for rootctx_copy and table_reorder only */
};

#define ROOTCTX_DEFAULT_MOUNT_LIMIT 1000u

#define ROOTCTX_LABEL_MAX 64 /* protocol/vfs.h's VFS_CTX_LABEL_MAX */

struct rootctx {
    uint32_t refs;
    uint64_t id; /* unique, never reused (the boot context is 1): dbg names it so */
    char label[ROOTCTX_LABEL_MAX + 1]; /* its runtime's name for it (a container ID), or "" */
    mount_t *root;                     /* the root mount, first in the table */
    mount_t *first, *last;             /* the table */
    unsigned count;                    /* mounts in the table, the root mount included */
    unsigned limit;                    /* more mounts than this: ENOSPC */
    quota_t *quota;                    /* charged for mount records; may be NULL */
};

/* Paths (mount.c) */

/* Takes a reference on both halves of p. */
void path_get(const vfs_path_t *p);
/* Drops both references and clears p; a cleared path is ignored. */
void path_put(vfs_path_t *p);
/* *dst = *src with references taken. */
void path_copy(vfs_path_t *dst, const vfs_path_t *src);
bool path_equal(const vfs_path_t *a, const vfs_path_t *b);
/* The mount of ctx mounted on (m, v), or NULL. */
mount_t *mount_child_at(const rootctx_t *ctx, const mount_t *m, const vnode_t *v);
/* Moves p (not held) onto the root of whatever ctx has mounted on it, repeatedly. */
void path_cross_mounts(const rootctx_t *ctx, vfs_path_t *p);
/*
 * Whether p is root or lies below it, following ".." links and mount points
 * up. False for anything moved out from under root, in a removed directory, or
 * in a detached mount not below root. p must be a directory or the root of a mount.
 */
bool path_is_under(const vfs_path_t *p, const vfs_path_t *root);
/* -EXDEV if p was reached through another context's table (a detached mount is in none). */
int path_check_context(const vfs_path_t *p, const rootctx_t *ctx);
/* Whether writes through p fail with EROFS. */
bool path_is_readonly(const vfs_path_t *p);

void mount_get(mount_t *m);
/* Drops a reference; the last one (after detach) frees the mount and releases its holds. */
void mount_put(mount_t *m);

/* Contexts (rootctx.c) */

/*
 * A new context whose root mount shows root of fs (the fs root, or any directory
 * of it: a context whose / is a bundle's rootfs). source names it in /proc/mounts.
 * The caller holds the one reference.
 */
int rootctx_new(vfs_fs_t *fs, vnode_t *root, const char *source, unsigned flags, quota_t *quota,
                rootctx_t **out);
/* A new context with a copy of every mount of src (same tree, flags and
 * limit; a locked read-only mount's copy is MOUNT_RDONLY_LOCKED too). */
int rootctx_copy(const rootctx_t *src, quota_t *quota, rootctx_t **out);
void rootctx_get(rootctx_t *ctx);
/* The last reference detaches every mount; paths into them stay valid. */
void rootctx_put(rootctx_t *ctx);
/* The context's root (not held). */
vfs_path_t rootctx_root(const rootctx_t *ctx);
/* Whether a mount of ctx's table shows file system fs. */
bool rootctx_shows_fs(const rootctx_t *ctx, const vfs_fs_t *fs);
/* Sets the mount limit; -EINVAL below the number of mounts present or for 0. */
int rootctx_set_limit(rootctx_t *ctx, unsigned limit);

/*
 * mount(2) of a file system instance on target, a held path resolved in ctx (a
 * directory). -EINVAL if target is not in ctx's table, -ENOTDIR, -ENOSPC past
 * the limit or quota, -ENOMEM. flags: MOUNT_RDONLY, MOUNT_LOCKED.
 */
int rootctx_mount(rootctx_t *ctx, const vfs_path_t *target, vfs_fs_t *fs, unsigned flags,
                  const char *source);
/* The same, showing vnode root of fs (a directory on a directory, a file on a file). */
int rootctx_mount_vnode(rootctx_t *ctx, const vfs_path_t *target, vfs_fs_t *fs, vnode_t *root,
                        unsigned flags, const char *source);
/*
 * A bind mount of source (any directory or file, reached through any context:
 * this is also copy_mount) on target in ctx. A directory binds onto a directory
 * and a file onto a file (else -ENOTDIR). The new mount is read-only
 * if flags say so or the source's mount is. Sub-mounts of source are not copied.
 */
int rootctx_bind(rootctx_t *ctx, const vfs_path_t *target, const vfs_path_t *source,
                 unsigned flags);
/*
 * Whether a bind of p by a process inside would show what a locked mount
 * hides: a locked mount sits on p's mount at p or below it (or at a file,
 * whose place cannot be told: counted). Linux refuses such a bind unless it
 * is recursive (has_locked_children); binds here never are.
 */
bool rootctx_bind_reveals_locked(const vfs_path_t *p);
/*
 * MS_REMOUNT: sets MOUNT_RDONLY as flags says. target must be a mount's root
 * (-EINVAL). A caller inside gets -EPERM for a locked mount; anyone for making
 * a MOUNT_RDONLY_LOCKED one writable.
 */
int rootctx_remount(rootctx_t *ctx, const vfs_path_t *target, unsigned flags,
                    mount_caller_t caller);

/*
 * pivot_root(2) in ctx for a caller whose root is root (the context's own:
 * -EINVAL for a chrooted caller). The mount whose root new_root names becomes
 * the context's root mount and the old root mount is mounted on put_old, which
 * must lie at or below new_root. -ENOTDIR; -EBUSY if new_root or put_old is on
 * the old root mount; -EINVAL if new_root is no mount's root, is locked, or is
 * not reachable from root, or put_old is not below new_root. A locked old root
 * hands its lock to the new one. Paths are held by the caller; processes whose
 * root or cwd was the old root are the caller's to move (clients_repoint).
 */
int rootctx_pivot(rootctx_t *ctx, const vfs_path_t *root, const vfs_path_t *new_root,
                  const vfs_path_t *put_old);

#define UMOUNT_DETACH 2u /* MNT_DETACH's value */
/*
 * umount2(2) of the mount whose root target is (the caller's held reference in
 * target is expected and not counted as a use). -EINVAL if target is not a
 * mount's root in ctx, -EPERM if the mount is locked and the caller inside (or,
 * with UMOUNT_DETACH, a locked mount lies below it); -EBUSY for
 * the context's root mount, or, unless UMOUNT_DETACH, a mount with sub-mounts or
 * with any other path in use (open files, cwd, roots). With UMOUNT_DETACH the
 * mount and every mount below it leave the table at once; their file systems
 * live until the last path into them is put.
 */
int rootctx_umount(rootctx_t *ctx, const vfs_path_t *target, unsigned flags, mount_caller_t caller);

/*
 * /proc/mounts of ctx as seen by a process whose root is root: one line per
 * mount reachable from root, in mount order ("source path type rw|ro 0 0", with
 * space, tab, newline and backslash written as octal escapes). Writes at most
 * size bytes, NUL-terminated if size > 0, and returns the full length (so a
 * caller can retry with a larger buffer).
 */
size_t rootctx_render_mounts(const rootctx_t *ctx, const vfs_path_t *root, char *buf, size_t size);

#endif
