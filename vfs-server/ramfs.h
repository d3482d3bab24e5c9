/*
 * ramfs: the in-memory file system (also serving as tmpfs and the initrd's root).
 *
 * Every function acts on vnodes already found by the resolver; names passed in
 * are single components (1-255 bytes, no '/', not "." or ".."), given as a
 * pointer and a length. Errors are negative errno values and a failed call
 * changes nothing. Vnodes handed back through *out are borrowed: valid until the
 * next call that may free them; take vnode_get() to keep one.
 *
 * A vnode that is the mount point of any mount (v->mounts > 0) cannot be
 * removed, renamed or replaced (-EBUSY), whichever context the mount is in.
 */
#ifndef VFS_RAMFS_H
#define VFS_RAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vnode.h"

typedef struct ramfs_opts {
    const char *type; /* name in /proc/mounts: "ramfs" (default) or "tmpfs" */
    mode_t root_mode; /* permission bits of the root directory */
    uid_t root_uid;
    gid_t root_gid;
    quota_t *quota;     /* charged for pages, vnodes and names; NULL: unlimited */
    vfs_clock_fn clock; /* NULL: timestamps stay zero */
} ramfs_opts_t;

/* A new, empty ramfs; the caller holds its one reference (vfs_fs_put). */
int ramfs_new(const ramfs_opts_t *opts, vfs_fs_t **out);

/* Checks a single component: -ENAMETOOLONG past 255, -EINVAL if empty, ".", ".." or with '/' or
 * NUL. */
int ramfs_check_name(const char *name, size_t len);

/* Directories (ramfs_dir.c) */

/* The vnode named name in dir. -ENOTDIR, -ENOENT (also in a removed directory). */
int ramfs_lookup(vnode_t *dir, const char *name, size_t len, vnode_t **out);
/*
 * Creates a regular file, directory, FIFO, socket or device node (type from mode's
 * S_IFMT; 0 means regular). -EEXIST if the name is taken, -EINVAL for other types.
 */
int ramfs_mknod(vnode_t *dir, const char *name, size_t len, mode_t mode, dev_t rdev, uid_t uid,
                gid_t gid, vnode_t **out);
/* Creates a symbolic link to target (1..VFS_SYMLINK_MAX bytes, no NUL). */
int ramfs_symlink(vnode_t *dir, const char *name, size_t len, const char *target, size_t tlen,
                  uid_t uid, gid_t gid, vnode_t **out);
/* A new name for target. -EPERM for a directory, -EXDEV across file systems, -EMLINK. */
int ramfs_link(vnode_t *dir, const char *name, size_t len, vnode_t *target);
/* Removes a non-directory name. -EISDIR for a directory, -EBUSY for a mount point. */
int ramfs_unlink(vnode_t *dir, const char *name, size_t len);
/* Removes an empty directory. -ENOTDIR, -ENOTEMPTY, -EBUSY for a mount point. */
int ramfs_rmdir(vnode_t *dir, const char *name, size_t len);

/* renameat2 flags, as Linux numbers them */
#define RAMFS_RENAME_NOREPLACE 1u
#define RAMFS_RENAME_EXCHANGE 2u
/*
 * rename(2) with Linux's rules: replacing an existing name, -EISDIR (file over a
 * directory), -ENOTDIR (directory over a file), -ENOTEMPTY, -EINVAL (a directory
 * into itself or below itself), -EXDEV across file systems, -EBUSY for mount
 * points; renaming a name onto another name of the same file does nothing.
 */
int ramfs_rename(vnode_t *odir, const char *oname, size_t olen, vnode_t *ndir, const char *nname,
                 size_t nlen, unsigned flags);

/*
 * getdents: called for each entry from position *pos on ("." is position 0,
 * ".." 1, then the entries in creation order). next_pos is what *pos becomes once
 * that entry is consumed. fill returns false to stop before consuming the entry
 * (the buffer is full). Positions stay valid across inserts and removals: an
 * entry is never returned twice and entries present throughout are never missed.
 * A removed directory lists nothing. Returns 0 or -ENOTDIR.
 */
typedef bool (*ramfs_fill_fn)(void *arg, const char *name, size_t len, uint64_t ino,
                              unsigned char d_type, uint64_t next_pos);
int ramfs_readdir(vnode_t *dir, uint64_t *pos, ramfs_fill_fn fill, void *arg);

/* The name under which dir lists child, for getcwd. -ENOENT if none. */
int ramfs_name_of(const vnode_t *dir, const vnode_t *child, const char **name, size_t *len);

/* Files (ramfs_file.c) */

/* Reads up to len bytes at off; holes read as zeros. Returns the count, 0 at EOF. */
ssize_t ramfs_read(vnode_t *v, uint64_t off, void *buf, size_t len);
/* Writes all len bytes at off or nothing: -EFBIG, -ENOSPC, -ENOMEM. Returns len. */
ssize_t ramfs_write(vnode_t *v, uint64_t off, const void *buf, size_t len);
/* Sets the size; pages past it are freed, growing leaves a hole. -EISDIR, -EINVAL, -EFBIG. */
int ramfs_truncate(vnode_t *v, uint64_t size);
/* Copies at most size bytes of the link target (no NUL). Returns the count or -EINVAL. */
ssize_t ramfs_readlink(const vnode_t *v, char *buf, size_t size);

#endif
