/*
 * Vnode lifetime and attributes, and file system instance lifetime.
 * Directory and file contents are in ramfs_dir.c and ramfs_file.c.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vnode.h"

struct timespec vnode_now(const vnode_t *v)
{
    struct timespec zero = {0, 0};
    return v->fs->clock != NULL ? v->fs->clock() : zero;
}

void vnode_touch(vnode_t *v, unsigned what)
{
    struct timespec now = vnode_now(v);
    v->ctime = now;
    if (what & VNODE_TOUCH_MTIME) {
        v->mtime = now;
    }
}

/* The next version: above the last one handed out and not below the
 * clock's nanoseconds since boot, which no earlier run of the server can
 * have passed. */
static uint64_t next_version(void)
{
    static uint64_t last;
    struct timespec ts;
    uint64_t now = 0;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0) {
        now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    }
    last = now > last ? now : last + 1;
    return last;
}

void vnode_content_changed(vnode_t *v)
{
    v->version = next_version();
}

int vnode_alloc(vfs_fs_t *fs, mode_t mode, uid_t uid, gid_t gid, vnode_t **out)
{
    vnode_t *v;
    quota_t *q = quota_owner(fs->quota);
    int err = quota_zalloc(q, sizeof(*v), (void **)&v);
    if (err < 0) {
        return err;
    }
    v->fs = fs;
    v->quota = q;
    quota_get(q);
    v->ino = fs->next_ino++;
    v->mode = mode;
    v->uid = uid;
    v->gid = gid;
    v->atime = v->mtime = v->ctime = vnode_now(v);
    v->version = next_version();
    if (vnode_is_dir(v)) {
        v->u.dir.next_cookie = 2; /* 0 and 1 are "." and ".." */
    }
    v->fs_next = fs->vnodes;
    if (fs->vnodes != NULL) {
        fs->vnodes->fs_prev = v;
    }
    fs->vnodes = v;
    *out = v;
    return 0;
}

static void vnode_free_contents(vnode_t *v)
{
    quota_t *q = v->quota;
    if (S_ISREG(v->mode)) {
        for (size_t i = 0; i < v->u.file.count; i++) {
            file_chunk_t *c = &v->u.file.chunks[i];
            quota_free(c->quota, c->data, RAMFS_PAGE_SIZE);
            quota_put(c->quota);
        }
        quota_free_array(q, v->u.file.chunks, v->u.file.cap, sizeof(file_chunk_t));
    } else if (vnode_is_dir(v)) {
        /* Only a file system being torn down frees directories with entries. */
        for (size_t i = 0; i < v->u.dir.count; i++) {
            dir_entry_t *e = v->u.dir.entries[i];
            quota_t *eq = e->quota;
            quota_free(eq, e, sizeof(*e) + e->len + 1);
            quota_put(eq);
        }
        quota_free_array(q, v->u.dir.entries, v->u.dir.cap, sizeof(dir_entry_t *));
    } else if (vnode_is_symlink(v)) {
        quota_free(q, v->u.link.target, v->u.link.len + 1);
    }
}

void vnode_free(vnode_t *v)
{
    vfs_fs_t *fs = v->fs;
    vnode_free_contents(v);
    if (v->fs_prev != NULL) {
        v->fs_prev->fs_next = v->fs_next;
    } else {
        fs->vnodes = v->fs_next;
    }
    if (v->fs_next != NULL) {
        v->fs_next->fs_prev = v->fs_prev;
    }
    quota_t *q = v->quota;
    quota_free(q, v, sizeof(*v));
    quota_put(q);
}

void vnode_get(vnode_t *v)
{
    v->refs++;
}

void vnode_put(vnode_t *v)
{
    assert(v->refs > 0);
    if (--v->refs == 0 && v->nlink == 0) {
        vnode_free(v);
    }
}

static blkcnt_t vnode_blocks(const vnode_t *v)
{
    if (!S_ISREG(v->mode)) {
        return 0;
    }
    return (blkcnt_t)v->u.file.count * (RAMFS_PAGE_SIZE / 512);
}

static off_t vnode_size(const vnode_t *v)
{
    if (S_ISREG(v->mode)) {
        return (off_t)v->u.file.size;
    }
    if (vnode_is_dir(v)) {
        return (off_t)(v->u.dir.count + 2) * 20; /* as tmpfs reports it */
    }
    if (vnode_is_symlink(v)) {
        return (off_t)v->u.link.len;
    }
    return 0;
}

void vnode_stat(const vnode_t *v, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_dev = (dev_t)v->fs->dev;
    st->st_ino = (ino_t)v->ino;
    st->st_mode = v->mode;
    st->st_nlink = v->nlink;
    st->st_uid = v->uid;
    st->st_gid = v->gid;
    st->st_rdev = v->rdev;
    st->st_size = vnode_size(v);
    st->st_blksize = RAMFS_PAGE_SIZE;
    st->st_blocks = vnode_blocks(v);
    st->st_atim = v->atime;
    st->st_mtim = v->mtime;
    st->st_ctim = v->ctime;
}

void vnode_chmod(vnode_t *v, mode_t mode)
{
    v->mode = (v->mode & S_IFMT) | (mode & 07777);
    vnode_touch(v, 0);
}

void vnode_chown(vnode_t *v, uid_t uid, gid_t gid)
{
    if (uid != (uid_t)-1) {
        v->uid = uid;
    }
    if (gid != (gid_t)-1) {
        v->gid = gid;
    }
    vnode_touch(v, 0);
}

static bool utime_valid(const struct timespec *t)
{
    return t->tv_nsec == UTIME_NOW || t->tv_nsec == UTIME_OMIT ||
           (t->tv_nsec >= 0 && t->tv_nsec < 1000000000);
}

static void utime_apply(struct timespec *field, const struct timespec *t, struct timespec now)
{
    if (t->tv_nsec == UTIME_NOW) {
        *field = now;
    } else if (t->tv_nsec != UTIME_OMIT) {
        *field = *t;
    }
}

int vnode_utimens(vnode_t *v, const struct timespec times[2])
{
    struct timespec now = vnode_now(v);
    if (times == NULL) {
        v->atime = v->mtime = v->ctime = now;
        return 0;
    }
    if (!utime_valid(&times[0]) || !utime_valid(&times[1])) {
        return -EINVAL;
    }
    if (times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT) {
        return 0;
    }
    utime_apply(&v->atime, &times[0], now);
    utime_apply(&v->mtime, &times[1], now);
    v->ctime = now;
    return 0;
}

void vfs_fs_get(vfs_fs_t *fs)
{
    fs->refs++;
}

void vfs_fs_put(vfs_fs_t *fs)
{
    assert(fs->refs > 0);
    if (--fs->refs > 0) {
        return;
    }
    while (fs->vnodes != NULL) {
        assert(fs->vnodes->refs == 0);
        vnode_free(fs->vnodes);
    }
    quota_t *q = fs->quota;
    quota_free(q, fs, sizeof(*fs));
    quota_put(q);
}
