/*
 * ramfs directories: lookup, creation, links, removal, rename and listing.
 *
 * A directory keeps its entries in an array sorted by cookie. Cookies grow with
 * every insert and are never reused, which is what keeps a getdents position
 * meaningful while entries come and go. Lookup by name is a linear scan.
 */
#include <errno.h>
#include <string.h>

#include "ramfs.h"

static size_t entry_size(size_t len)
{
    return sizeof(dir_entry_t) + len + 1;
}

static dir_entry_t *dir_find(const vnode_t *dir, const char *name, size_t len, size_t *index)
{
    for (size_t i = 0; i < dir->u.dir.count; i++) {
        dir_entry_t *e = dir->u.dir.entries[i];
        if (e->len == len && memcmp(e->name, name, len) == 0) {
            *index = i;
            return e;
        }
    }
    return NULL;
}

/* A directory that names may be added to or looked up in. */
static int dir_usable(const vnode_t *dir)
{
    if (!vnode_is_dir(dir)) {
        return -ENOTDIR;
    }
    return vnode_is_removed_dir(dir) ? -ENOENT : 0;
}

/* Checks dir and name for adding name: -ENOTDIR, -ENOENT, -EINVAL, -EEXIST. */
static int dir_check_new_name(const vnode_t *dir, const char *name, size_t len)
{
    int err = dir_usable(dir);
    if (err < 0) {
        return err;
    }
    err = ramfs_check_name(name, len);
    if (err < 0) {
        return err;
    }
    size_t index;
    return dir_find(dir, name, len, &index) != NULL ? -EEXIST : 0;
}

/*
 * Allocates an entry for name and room for it in dir; nothing visible changes.
 * The array grows last so that a failure leaves even the quota as it was.
 */
static int dir_prepare_entry(vnode_t *dir, const char *name, size_t len, dir_entry_t **out)
{
    quota_t *q = quota_owner(dir->fs->quota);
    dir_entry_t *e;
    int err = quota_zalloc(q, entry_size(len), (void **)&e);
    if (err < 0) {
        return err;
    }
    err = quota_reserve(dir->quota, (void **)&dir->u.dir.entries, &dir->u.dir.cap,
                        sizeof(dir_entry_t *), dir->u.dir.count + 1);
    if (err < 0) {
        quota_free(q, e, entry_size(len));
        return err;
    }
    e->quota = q;
    quota_get(q);
    e->len = (uint8_t)len;
    memcpy(e->name, name, len);
    *out = e;
    return 0;
}

/* Adds a prepared entry naming v at the end of dir. */
static void dir_append(vnode_t *dir, dir_entry_t *e, vnode_t *v)
{
    e->vn = v;
    e->cookie = dir->u.dir.next_cookie++;
    dir->u.dir.entries[dir->u.dir.count++] = e;
    vnode_touch(dir, VNODE_TOUCH_MTIME);
}

static void dir_remove_at(vnode_t *dir, size_t index)
{
    dir_entry_t *e = dir->u.dir.entries[index];
    size_t tail = dir->u.dir.count - index - 1;
    memmove(&dir->u.dir.entries[index], &dir->u.dir.entries[index + 1], tail * sizeof(e));
    dir->u.dir.count--;
    quota_t *q = e->quota;
    quota_free(q, e, entry_size(e->len));
    quota_put(q);
    vnode_touch(dir, VNODE_TOUCH_MTIME);
}

/* v lost a name (a directory: its only one); frees it if nothing holds it. */
static void vnode_drop_link(vnode_t *v)
{
    if (vnode_is_dir(v)) {
        v->nlink = 0;
        v->u.dir.parent = NULL;
    } else {
        v->nlink--;
    }
    vnode_touch(v, 0);
    if (v->nlink == 0 && v->refs == 0) {
        vnode_free(v);
    }
}

int ramfs_lookup(vnode_t *dir, const char *name, size_t len, vnode_t **out)
{
    int err = dir_usable(dir);
    if (err < 0) {
        return err;
    }
    if (len > VFS_NAME_MAX) {
        return -ENAMETOOLONG;
    }
    size_t index;
    dir_entry_t *e = dir_find(dir, name, len, &index);
    if (e == NULL) {
        return -ENOENT;
    }
    *out = e->vn;
    return 0;
}

static bool mknod_type_valid(mode_t type)
{
    return type == S_IFREG || type == S_IFDIR || type == S_IFCHR || type == S_IFBLK ||
           type == S_IFIFO || type == S_IFSOCK;
}

/* Makes a vnode of the given mode named name in dir; the common part of every create. */
static int dir_create(vnode_t *dir, const char *name, size_t len, mode_t mode, uid_t uid, gid_t gid,
                      vnode_t **out)
{
    int err = dir_check_new_name(dir, name, len);
    if (err < 0) {
        return err;
    }
    if (S_ISDIR(mode) && dir->nlink >= VFS_LINK_MAX) {
        return -EMLINK;
    }
    vnode_t *v;
    err = vnode_alloc(dir->fs, mode, uid, gid, &v);
    if (err < 0) {
        return err;
    }
    dir_entry_t *e;
    err = dir_prepare_entry(dir, name, len, &e);
    if (err < 0) {
        vnode_free(v);
        return err;
    }
    if (S_ISDIR(mode)) {
        v->nlink = 2;
        v->u.dir.parent = dir;
        dir->nlink++;
    } else {
        v->nlink = 1;
    }
    dir_append(dir, e, v);
    *out = v;
    return 0;
}

int ramfs_mknod(vnode_t *dir, const char *name, size_t len, mode_t mode, dev_t rdev, uid_t uid,
                gid_t gid, vnode_t **out)
{
    mode_t type = (mode & S_IFMT) != 0 ? (mode & S_IFMT) : S_IFREG;
    if (!mknod_type_valid(type)) {
        return -EINVAL;
    }
    vnode_t *v;
    int err = dir_create(dir, name, len, type | (mode & 07777), uid, gid, &v);
    if (err < 0) {
        return err;
    }
    if (S_ISCHR(type) || S_ISBLK(type)) {
        v->rdev = rdev;
    }
    if (out != NULL) {
        *out = v;
    }
    return 0;
}

int ramfs_symlink(vnode_t *dir, const char *name, size_t len, const char *target, size_t tlen,
                  uid_t uid, gid_t gid, vnode_t **out)
{
    if (tlen > VFS_SYMLINK_MAX) {
        return -ENAMETOOLONG;
    }
    if (tlen == 0 || memchr(target, '\0', tlen) != NULL) {
        return tlen == 0 ? -ENOENT : -EINVAL;
    }
    int err = dir_check_new_name(dir, name, len);
    if (err < 0) {
        return err;
    }
    char *copy;
    quota_t *q = quota_owner(dir->fs->quota); /* the link's own, as vnode_alloc picks it */
    err = quota_zalloc(q, tlen + 1, (void **)&copy);
    if (err < 0) {
        return err;
    }
    memcpy(copy, target, tlen);
    vnode_t *v;
    err = dir_create(dir, name, len, S_IFLNK | 0777, uid, gid, &v);
    if (err < 0) {
        quota_free(q, copy, tlen + 1);
        return err;
    }
    v->u.link.target = copy;
    v->u.link.len = tlen;
    if (out != NULL) {
        *out = v;
    }
    return 0;
}

int ramfs_link(vnode_t *dir, const char *name, size_t len, vnode_t *target)
{
    if (vnode_is_dir(target)) {
        return -EPERM;
    }
    if (target->fs != dir->fs) {
        return -EXDEV;
    }
    if (target->nlink == 0) {
        return -ENOENT; /* an unlinked open file cannot get a name back */
    }
    if (target->nlink >= VFS_LINK_MAX) {
        return -EMLINK;
    }
    int err = dir_check_new_name(dir, name, len);
    if (err < 0) {
        return err;
    }
    dir_entry_t *e;
    err = dir_prepare_entry(dir, name, len, &e);
    if (err < 0) {
        return err;
    }
    target->nlink++;
    vnode_touch(target, 0);
    dir_append(dir, e, target);
    return 0;
}

/* Finds the entry to remove: -ENOTDIR, -ENOENT, -EINVAL for "." and "..". */
static int dir_find_existing(vnode_t *dir, const char *name, size_t len, size_t *index)
{
    int err = dir_usable(dir);
    if (err < 0) {
        return err;
    }
    err = ramfs_check_name(name, len);
    if (err < 0) {
        return err;
    }
    return dir_find(dir, name, len, index) != NULL ? 0 : -ENOENT;
}

int ramfs_unlink(vnode_t *dir, const char *name, size_t len)
{
    size_t index;
    int err = dir_find_existing(dir, name, len, &index);
    if (err < 0) {
        return err;
    }
    vnode_t *v = dir->u.dir.entries[index]->vn;
    if (vnode_is_dir(v)) {
        return -EISDIR;
    }
    if (v->mounts > 0) {
        return -EBUSY;
    }
    dir_remove_at(dir, index);
    vnode_drop_link(v);
    return 0;
}

int ramfs_rmdir(vnode_t *dir, const char *name, size_t len)
{
    size_t index;
    int err = dir_find_existing(dir, name, len, &index);
    if (err < 0) {
        return err;
    }
    vnode_t *v = dir->u.dir.entries[index]->vn;
    if (!vnode_is_dir(v)) {
        return -ENOTDIR;
    }
    if (v->mounts > 0) {
        return -EBUSY;
    }
    if (v->u.dir.count > 0) {
        return -ENOTEMPTY;
    }
    dir_remove_at(dir, index);
    dir->nlink--;
    vnode_drop_link(v);
    return 0;
}

/* Whether dir is ancestor or the same as d (both in one file system). */
static bool dir_contains(const vnode_t *ancestor, const vnode_t *d)
{
    while (d != NULL) {
        if (d == ancestor) {
            return true;
        }
        if (d->u.dir.parent == d) {
            return false; /* reached the root */
        }
        d = d->u.dir.parent;
    }
    return false;
}

/* Moves directory child from its parent to new_parent, fixing link counts. */
static void dir_reparent(vnode_t *child, vnode_t *old_parent, vnode_t *new_parent)
{
    if (!vnode_is_dir(child) || old_parent == new_parent) {
        return;
    }
    old_parent->nlink--;
    new_parent->nlink++;
    child->u.dir.parent = new_parent;
}

static int rename_exchange(vnode_t *odir, dir_entry_t *oe, vnode_t *ndir, dir_entry_t *ne)
{
    vnode_t *a = oe->vn, *b = ne->vn;
    if (a == b) {
        return 0;
    }
    if (a->mounts > 0 || b->mounts > 0) {
        return -EBUSY;
    }
    if ((vnode_is_dir(a) && dir_contains(a, ndir)) || (vnode_is_dir(b) && dir_contains(b, odir))) {
        return -EINVAL;
    }
    oe->vn = b;
    ne->vn = a;
    dir_reparent(a, odir, ndir);
    dir_reparent(b, ndir, odir);
    vnode_touch(a, 0);
    vnode_touch(b, 0);
    vnode_touch(odir, VNODE_TOUCH_MTIME);
    vnode_touch(ndir, VNODE_TOUCH_MTIME);
    return 0;
}

/* The type rules of rename(2) for moving old onto new (which may be NULL). */
static int rename_check(const vnode_t *old, const vnode_t *new, const vnode_t *odir,
                        const vnode_t *ndir)
{
    if (old->mounts > 0 || (new != NULL &&new->mounts > 0)) {
        return -EBUSY;
    }
    if (!vnode_is_dir(old)) {
        return new != NULL &&vnode_is_dir(new) ? -EISDIR : 0;
    }
    if (dir_contains(old, ndir)) {
        return -EINVAL;
    }
    if (new != NULL && !vnode_is_dir(new)) {
        return -ENOTDIR;
    }
    if (new != NULL &&new->u.dir.count > 0) {
        return -ENOTEMPTY;
    }
    if (new == NULL && odir != ndir && ndir->nlink >= VFS_LINK_MAX) {
        return -EMLINK;
    }
    return 0;
}

static int rename_check_args(vnode_t *odir, const char *oname, size_t olen, vnode_t *ndir,
                             const char *nname, size_t nlen, unsigned flags)
{
    unsigned both = RAMFS_RENAME_NOREPLACE | RAMFS_RENAME_EXCHANGE;
    if ((flags & ~both) != 0 || (flags & both) == both) {
        return -EINVAL;
    }
    int err = dir_usable(odir);
    if (err == 0) {
        err = dir_usable(ndir);
    }
    if (err == 0) {
        err = ramfs_check_name(oname, olen);
    }
    if (err == 0) {
        err = ramfs_check_name(nname, nlen);
    }
    if (err == 0 && odir->fs != ndir->fs) {
        err = -EXDEV;
    }
    return err;
}

int ramfs_rename(vnode_t *odir, const char *oname, size_t olen, vnode_t *ndir, const char *nname,
                 size_t nlen, unsigned flags)
{
    int err = rename_check_args(odir, oname, olen, ndir, nname, nlen, flags);
    if (err < 0) {
        return err;
    }
    size_t oi = 0, ni = 0; /* set by the lookups below; initialised for -O2 */
    dir_entry_t *oe = dir_find(odir, oname, olen, &oi);
    dir_entry_t *ne = dir_find(ndir, nname, nlen, &ni);
    if (oe == NULL) {
        return -ENOENT;
    }
    if (flags & RAMFS_RENAME_EXCHANGE) {
        return ne == NULL ? -ENOENT : rename_exchange(odir, oe, ndir, ne);
    }
    if (ne != NULL && (flags & RAMFS_RENAME_NOREPLACE)) {
        return -EEXIST;
    }
    vnode_t *old = oe->vn;
    vnode_t *victim = ne != NULL ? ne->vn : NULL;
    if (old == victim) {
        return 0; /* two names of one file: rename(2) does nothing */
    }
    err = rename_check(old, victim, odir, ndir);
    if (err < 0) {
        return err;
    }
    dir_entry_t *fresh = NULL;
    if (ne == NULL) {
        err = dir_prepare_entry(ndir, nname, nlen, &fresh);
        if (err < 0) {
            return err;
        }
    }
    /* From here on nothing can fail. */
    if (ne != NULL) {
        ne->vn = old;
        vnode_touch(ndir, VNODE_TOUCH_MTIME);
    } else {
        dir_append(ndir, fresh, old);
    }
    dir_remove_at(odir, oi);
    dir_reparent(old, odir, ndir);
    vnode_touch(old, 0);
    if (victim != NULL) {
        if (vnode_is_dir(victim)) {
            ndir->nlink--; /* the victim's ".." */
        }
        vnode_drop_link(victim);
    }
    return 0;
}

static unsigned char dirent_type(mode_t mode)
{
    return (unsigned char)((mode & S_IFMT) >> 12); /* DT_* values are S_IFMT >> 12 */
}

/* Index of the first entry whose cookie is at least pos. */
static size_t dir_first_from(const vnode_t *dir, uint64_t pos)
{
    size_t lo = 0, hi = dir->u.dir.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dir->u.dir.entries[mid]->cookie < pos) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int ramfs_readdir(vnode_t *dir, uint64_t *pos, ramfs_fill_fn fill, void *arg)
{
    if (!vnode_is_dir(dir)) {
        return -ENOTDIR;
    }
    if (vnode_is_removed_dir(dir)) {
        return 0;
    }
    if (*pos == 0) {
        if (!fill(arg, ".", 1, dir->ino, dirent_type(dir->mode), 1)) {
            return 0;
        }
        *pos = 1;
    }
    if (*pos == 1) {
        if (!fill(arg, "..", 2, dir->u.dir.parent->ino, dirent_type(S_IFDIR), 2)) {
            return 0;
        }
        *pos = 2;
    }
    for (size_t i = dir_first_from(dir, *pos); i < dir->u.dir.count; i++) {
        const dir_entry_t *e = dir->u.dir.entries[i];
        if (!fill(arg, e->name, e->len, e->vn->ino, dirent_type(e->vn->mode), e->cookie + 1)) {
            return 0;
        }
        *pos = e->cookie + 1;
    }
    return 0;
}

int ramfs_name_of(const vnode_t *dir, const vnode_t *child, const char **name, size_t *len)
{
    for (size_t i = 0; i < dir->u.dir.count; i++) {
        const dir_entry_t *e = dir->u.dir.entries[i];
        if (e->vn == child) {
            *name = e->name;
            *len = e->len;
            return 0;
        }
    }
    return -ENOENT;
}
