/*
 * Vnodes and file system instances.
 *
 * A vnode is one file of one file system instance (vfs_fs_t): a regular file, a
 * directory, a symbolic link or a special file. Its lifetime follows two counts:
 *   nlink - directory entries naming it (a directory: 2 + subdirectories while
 *           linked, 0 once removed);
 *   refs  - in-memory holders: open files, cwd/root, resolved paths, mounts.
 * It is freed when both are zero, so an unlinked file lives until its last holder
 * lets go. A vnode reference is only valid while its file system is held too;
 * vfs_path_t (mount.h) holds both, which is how everything outside ramfs keeps one.
 *
 * A file system instance is reference counted by the mounts showing it and by
 * whoever created it; when the last reference goes, every vnode it still has is
 * freed (by then no vnode may have refs left).
 *
 * The fields are owned by vnode.c and the ramfs_*.c files. Other modules read
 * them through the inline helpers below. vfs-server is single-threaded: nothing
 * here is locked.
 */
#ifndef VFS_VNODE_H
#define VFS_VNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "quota.h"

#define VFS_NAME_MAX 255      /* bytes in one path component */
#define VFS_PATH_MAX 4096     /* bytes in a path, counting its NUL */
#define VFS_SYMLINK_MAX 4095  /* bytes in a symlink target */
#define VFS_LINK_MAX 65000    /* hard links to one file (EMLINK past it) */
#define RAMFS_PAGE_SIZE 4096u /* file data is kept in chunks of this size */
#define RAMFS_MAX_FILE_SIZE (1ull << 44)

/* Source of timestamps; the server passes one reading its clock. */
typedef struct timespec (*vfs_clock_fn)(void);

typedef struct vnode vnode_t;
typedef struct vfs_fs vfs_fs_t;

/* One name in a directory. Entries keep the order they were made in. */
typedef struct dir_entry {
    vnode_t *vn;
    uint64_t cookie; /* getdents position: unique in its directory, never reused */
    quota_t *quota;  /* held: charged for this entry (quota.h, quota_owner) */
    uint8_t len;
    char name[]; /* len bytes, NUL-terminated for convenience */
} dir_entry_t;

/* One page of file data. Pages not present read as zeros (sparse files). */
typedef struct file_chunk {
    uint64_t index; /* offset / RAMFS_PAGE_SIZE */
    uint8_t *data;  /* RAMFS_PAGE_SIZE bytes */
    quota_t *quota; /* held: charged for data (quota_owner when it was made) */
} file_chunk_t;

struct vnode {
    uint64_t ino;
    mode_t mode; /* S_IFMT type and permission bits */
    uid_t uid;
    gid_t gid;
    nlink_t nlink;
    dev_t rdev; /* device number of a character or block special file */
    struct timespec atime, mtime, ctime;
    uint32_t refs;   /* in-memory holders (see above) */
    uint32_t mounts; /* mounts, in any context, whose mount point is this vnode */
    /* processes whose running image exec read from it: while any, it may
     * not be opened for writing or truncated (ETXTBSY) */
    uint32_t exec_users;
    /* the content's version: a new value whenever the bytes of a regular
     * file may have changed (vnode_content_changed), never one that any
     * vnode had before, so proc-server keys its cache of executable frames
     * on it (VFS_EXEC_READ) */
    uint64_t version;
    vfs_fs_t *fs;
    /* held: charged for the vnode, its arrays and its link target: the fs's
     * quota, or the requester's in a file system without one (quota_owner) */
    quota_t *quota;
    vnode_t *fs_prev, *fs_next; /* every vnode of fs, for teardown */
    union {
        struct {
            uint64_t size;
            file_chunk_t *chunks; /* sorted by index */
            size_t count, cap;
        } file;
        struct {
            vnode_t *parent;       /* ".."; itself for the fs root, NULL once removed */
            dir_entry_t **entries; /* sorted by cookie */
            size_t count, cap;
            uint64_t next_cookie;
        } dir;
        struct {
            char *target;
            size_t len;
        } link;
    } u;
};

struct vfs_fs {
    uint32_t refs;    /* mounts showing it + its creator's reference */
    const char *type; /* file system type for /proc/mounts: "ramfs", "tmpfs" */
    vnode_t *root;
    vnode_t *vnodes; /* every vnode, linked through fs_next */
    uint64_t next_ino;
    uint64_t dev;   /* st_dev of its files */
    quota_t *quota; /* charged for everything it allocates; may be NULL */
    vfs_clock_fn clock;
    /*
     * A synthetic file system (procfs) keeps its tree in ramfs vnodes and
     * brings it up to date here: before name is looked up in dir, or before
     * dir is listed (name NULL). Errors are ignored: the walk then sees what
     * is there. NULL for ramfs. A file system with it is read-only to callers.
     */
    void (*refresh)(vnode_t *dir, const char *name, size_t len);
    /*
     * Whether a device node (S_IFCHR or S_IFBLK in mode) of number rdev may
     * be made here: 0 or -errno. NULL: any (ramfs). devfs allows only the
     * devices its instance was created with.
     */
    int (*may_mknod)(const vfs_fs_t *fs, mode_t mode, dev_t rdev);
    const void *type_data; /* the file system type's own (devfs: its device set) */
};

static inline bool vnode_is_dir(const vnode_t *v)
{
    return S_ISDIR(v->mode);
}

static inline bool vnode_is_symlink(const vnode_t *v)
{
    return S_ISLNK(v->mode);
}

/* A directory that has been removed: nothing can be looked up or created in it. */
static inline bool vnode_is_removed_dir(const vnode_t *v)
{
    return vnode_is_dir(v) && v->u.dir.parent == NULL;
}

void vnode_get(vnode_t *v);
/* Drops a reference; frees the vnode if it was the last and no name is left. */
void vnode_put(vnode_t *v);

/* Fills st from v (st_dev, st_ino, st_mode, st_nlink, owners, size, blocks, times). */
void vnode_stat(const vnode_t *v, struct stat *st);

/* chmod: only the permission bits (07777) of mode are used. Updates ctime. */
void vnode_chmod(vnode_t *v, mode_t mode);
/* chown: (uid_t)-1 or (gid_t)-1 leaves that owner unchanged. Updates ctime. */
void vnode_chown(vnode_t *v, uid_t uid, gid_t gid);
/*
 * utimensat: times[0] is atime, times[1] mtime; NULL means both now; a tv_nsec of
 * UTIME_NOW or UTIME_OMIT works as in utimensat(2). -EINVAL for a bad tv_nsec.
 */
int vnode_utimens(vnode_t *v, const struct timespec times[2]);

/* The current time from the file system's clock. */
struct timespec vnode_now(const vnode_t *v);
/* Marks v changed: ctime, and with VNODE_TOUCH_MTIME also mtime, become now. */
#define VNODE_TOUCH_MTIME 1u
void vnode_touch(vnode_t *v, unsigned what);

/* Gives v a new content version: every write and truncate of a file. The
 * versions are a server-wide sequence that starts from the monotonic clock,
 * so a restarted vfs-server never hands out a version seen before. */
void vnode_content_changed(vnode_t *v);

/* Internal to ramfs: allocation and release of a vnode of type mode & S_IFMT. */
int vnode_alloc(vfs_fs_t *fs, mode_t mode, uid_t uid, gid_t gid, vnode_t **out);
void vnode_free(vnode_t *v);

void vfs_fs_get(vfs_fs_t *fs);
/* Drops a reference; the last one frees the whole file system. */
void vfs_fs_put(vfs_fs_t *fs);

#endif
