/*
 * VFS root contexts: mount tables. Creating, copying and destroying them,
 * mount, bind (also copy_mount across contexts), remount, umount (plain and
 * lazy), pivot_root, the mount limit, and the /proc/mounts text of one context.
 *
 * The table is a list in mount order; a mount is always after its parent, so
 * detaching from the end backwards never leaves a child without its parent.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mount.h"
#include "resolve.h"

#define MOUNT_FLAGS (MOUNT_RDONLY | MOUNT_LOCKED | MOUNT_RDONLY_LOCKED)

/* A mount record not yet in any table, holding fs and root; refs = 1 for the table. */
static int mount_alloc(quota_t *q, vfs_fs_t *fs, vnode_t *root, unsigned flags, const char *source,
                       mount_t **out)
{
    size_t slen = strlen(source);
    mount_t *m;
    int err = quota_zalloc(q, sizeof(*m), (void **)&m);
    if (err < 0) {
        return err;
    }
    err = quota_zalloc(q, slen + 1, (void **)&m->source);
    if (err < 0) {
        quota_free(q, m, sizeof(*m));
        return err;
    }
    memcpy(m->source, source, slen);
    m->refs = 1;
    m->fs = fs;
    vfs_fs_get(fs);
    m->root = root;
    vnode_get(root);
    m->flags = flags & MOUNT_FLAGS;
    m->quota = q;
    quota_get(q);
    *out = m;
    return 0;
}

static void table_attach(rootctx_t *ctx, mount_t *m, mount_t *parent, vnode_t *mountpoint)
{
    m->ctx = ctx;
    m->parent = parent;
    if (parent != NULL) {
        parent->children++;
        m->mountpoint = mountpoint;
        vnode_get(mountpoint);
        mountpoint->mounts++;
    }
    m->prev = ctx->last;
    m->next = NULL;
    if (ctx->last != NULL) {
        ctx->last->next = m;
    } else {
        ctx->first = m;
    }
    ctx->last = m;
    ctx->count++;
}

/* Takes m out of its table and drops the table's reference. m has no children left. */
static void table_detach(rootctx_t *ctx, mount_t *m)
{
    assert(m->ctx == ctx && m->children == 0);
    if (m->prev != NULL) {
        m->prev->next = m->next;
    } else {
        ctx->first = m->next;
    }
    if (m->next != NULL) {
        m->next->prev = m->prev;
    } else {
        ctx->last = m->prev;
    }
    m->prev = m->next = NULL;
    ctx->count--;
    m->ctx = NULL;
    if (m->parent != NULL) {
        m->parent->children--;
        m->mountpoint->mounts--;
        vnode_put(m->mountpoint);
        m->parent = NULL;
        m->mountpoint = NULL;
    }
    if (ctx->root == m) {
        ctx->root = NULL;
    }
    mount_put(m);
}

int rootctx_new(vfs_fs_t *fs, vnode_t *root, const char *source, unsigned flags, quota_t *quota,
                rootctx_t **out)
{
    rootctx_t *ctx;
    int err = quota_zalloc(quota, sizeof(*ctx), (void **)&ctx);
    if (err < 0) {
        return err;
    }
    mount_t *m;
    err = mount_alloc(quota, fs, root, flags, source, &m);
    if (err < 0) {
        quota_free(quota, ctx, sizeof(*ctx));
        return err;
    }
    static uint64_t next_id = 1;
    ctx->refs = 1;
    ctx->id = next_id++;
    ctx->limit = ROOTCTX_DEFAULT_MOUNT_LIMIT;
    ctx->quota = quota;
    quota_get(quota);
    table_attach(ctx, m, NULL, NULL);
    ctx->root = m;
    *out = ctx;
    return 0;
}

int rootctx_copy(const rootctx_t *src, quota_t *quota, rootctx_t **out)
{
    const mount_t *sroot = src->root;
    rootctx_t *ctx;
    int err = rootctx_new(sroot->fs, sroot->root, sroot->source, sroot->flags, quota, &ctx);
    if (err < 0) {
        return err;
    }
    ctx->limit = src->limit;
    src->first->copy = ctx->root;
    for (mount_t *m = src->first->next; m != NULL; m = m->next) {
        mount_t *c;
        /* a copy of a locked read-only mount stays read-only for good: its
         * new holder is a runtime for the copy, not for what it copies */
        unsigned flags = m->flags;
        if ((flags & MOUNT_LOCKED) && (flags & MOUNT_RDONLY)) {
            flags |= MOUNT_RDONLY_LOCKED;
        }
        err = mount_alloc(quota, m->fs, m->root, flags, m->source, &c);
        if (err < 0) {
            rootctx_put(ctx);
            return err;
        }
        table_attach(ctx, c, m->parent->copy, m->mountpoint);
        m->copy = c;
    }
    *out = ctx;
    return 0;
}

void rootctx_get(rootctx_t *ctx)
{
    ctx->refs++;
}

void rootctx_put(rootctx_t *ctx)
{
    assert(ctx->refs > 0);
    if (--ctx->refs > 0) {
        return;
    }
    while (ctx->last != NULL) {
        table_detach(ctx, ctx->last);
    }
    quota_t *q = ctx->quota;
    quota_free(q, ctx, sizeof(*ctx));
    quota_put(q);
}

vfs_path_t rootctx_root(const rootctx_t *ctx)
{
    vfs_path_t p = {ctx->root, ctx->root->root};
    return p;
}

bool rootctx_shows_fs(const rootctx_t *ctx, const vfs_fs_t *fs)
{
    for (const mount_t *m = ctx->first; m != NULL; m = m->next) {
        if (m->fs == fs) {
            return true;
        }
    }
    return false;
}

int rootctx_set_limit(rootctx_t *ctx, unsigned limit)
{
    if (limit == 0 || limit < ctx->count) {
        return -EINVAL;
    }
    ctx->limit = limit;
    return 0;
}

/*
 * Finds where a new mount on target goes: the top of whatever is mounted there
 * already, in ctx's table, and still linked. want_dir says the type needed.
 */
static int mount_target(const rootctx_t *ctx, const vfs_path_t *target, bool want_dir,
                        vfs_path_t *at)
{
    if (target->mnt->ctx != ctx) {
        return -EINVAL;
    }
    *at = *target;
    path_cross_mounts(ctx, at);
    if (at->vn->nlink == 0) {
        return -ENOENT;
    }
    if (vnode_is_dir(at->vn) != want_dir) {
        return -ENOTDIR; /* either way round, as Linux answers */
    }
    return ctx->count >= ctx->limit ? -ENOSPC : 0;
}

/* The common part of mount and bind: a new mount showing root of fs on target. */
static int mount_add(rootctx_t *ctx, const vfs_path_t *target, vfs_fs_t *fs, vnode_t *root,
                     unsigned flags, const char *source)
{
    vfs_path_t at;
    int err = mount_target(ctx, target, vnode_is_dir(root), &at);
    if (err < 0) {
        return err;
    }
    mount_t *m;
    err = mount_alloc(ctx->quota, fs, root, flags, source, &m);
    if (err < 0) {
        return err;
    }
    table_attach(ctx, m, at.mnt, at.vn);
    return 0;
}

int rootctx_mount(rootctx_t *ctx, const vfs_path_t *target, vfs_fs_t *fs, unsigned flags,
                  const char *source)
{
    return mount_add(ctx, target, fs, fs->root, flags, source);
}

int rootctx_mount_vnode(rootctx_t *ctx, const vfs_path_t *target, vfs_fs_t *fs, vnode_t *root,
                        unsigned flags, const char *source)
{
    return mount_add(ctx, target, fs, root, flags, source);
}

/* Whether vnode v of a file system lies at dir or below it (v a directory). */
static bool vnode_below(const vnode_t *v, const vnode_t *dir)
{
    while (v != dir) {
        const vnode_t *up = v->u.dir.parent;
        if (up == NULL || up == v) {
            return false;
        }
        v = up;
    }
    return true;
}

bool rootctx_bind_reveals_locked(const vfs_path_t *p)
{
    const rootctx_t *ctx = p->mnt->ctx;
    if (ctx == NULL || p->mnt->children == 0 || !vnode_is_dir(p->vn)) {
        return false; /* nothing lies below a file (a mount on it was crossed) */
    }
    for (const mount_t *c = ctx->first; c != NULL; c = c->next) {
        if (c->parent != p->mnt || !(c->flags & MOUNT_LOCKED)) {
            continue;
        }
        /* a file has no parent link: where it lies cannot be told, so it counts */
        if (!vnode_is_dir(c->mountpoint) || vnode_below(c->mountpoint, p->vn)) {
            return true;
        }
    }
    return false;
}

int rootctx_bind(rootctx_t *ctx, const vfs_path_t *target, const vfs_path_t *source, unsigned flags)
{
    if (source->vn->nlink == 0) {
        return -ENOENT;
    }
    /* A bind never grants more than the mount it copies: read-only stays
     * read-only, and a copy of a read-only mount the runtime locked stays
     * read-only to those inside. */
    unsigned from = source->mnt->flags;
    flags |= from & (MOUNT_RDONLY | MOUNT_RDONLY_LOCKED);
    if ((from & MOUNT_LOCKED) && (from & MOUNT_RDONLY)) {
        flags |= MOUNT_RDONLY_LOCKED;
    }
    return mount_add(ctx, target, source->mnt->fs, source->vn, flags, source->mnt->source);
}

/* The mount whose root target names, in ctx: -EINVAL if there is none. */
static int mount_at_root(const rootctx_t *ctx, const vfs_path_t *target, mount_t **out)
{
    if (target->mnt->ctx != ctx || target->vn != target->mnt->root) {
        return -EINVAL;
    }
    *out = target->mnt;
    return 0;
}

int rootctx_remount(rootctx_t *ctx, const vfs_path_t *target, unsigned flags, mount_caller_t caller)
{
    mount_t *m;
    int err = mount_at_root(ctx, target, &m);
    if (err < 0) {
        return err;
    }
    if ((caller != MOUNT_CALLER_RUNTIME && (m->flags & MOUNT_LOCKED)) ||
        ((m->flags & MOUNT_RDONLY_LOCKED) && !(flags & MOUNT_RDONLY))) {
        return -EPERM; /* read-only for good: not even a runtime undoes it */
    }
    m->flags = (m->flags & ~MOUNT_RDONLY) | (flags & MOUNT_RDONLY);
    return 0;
}

static bool mount_is_below(const mount_t *c, const mount_t *ancestor)
{
    for (const mount_t *p = c->parent; p != NULL; p = p->parent) {
        if (p == ancestor) {
            return true;
        }
    }
    return false;
}

/* Whether a locked mount lies below m (a lazy unmount would take it along). */
static bool locked_below(const rootctx_t *ctx, const mount_t *m)
{
    for (const mount_t *c = ctx->first; c != NULL; c = c->next) {
        if ((c->flags & MOUNT_LOCKED) && mount_is_below(c, m)) {
            return true;
        }
    }
    return false;
}

/* Detaches m and every mount below it, children first. */
static void detach_tree(rootctx_t *ctx, mount_t *m)
{
    mount_t *c = ctx->last;
    while (c != m) {
        mount_t *prev = c->prev;
        if (mount_is_below(c, m)) {
            table_detach(ctx, c);
        }
        c = prev;
    }
    table_detach(ctx, m);
}

int rootctx_umount(rootctx_t *ctx, const vfs_path_t *target, unsigned flags, mount_caller_t caller)
{
    if ((flags & ~UMOUNT_DETACH) != 0) {
        return -EINVAL;
    }
    mount_t *m;
    int err = mount_at_root(ctx, target, &m);
    if (err < 0) {
        return err;
    }
    if ((m->flags & MOUNT_LOCKED) && caller != MOUNT_CALLER_RUNTIME) {
        return -EPERM; /* made on the container's behalf: not its own to remove */
    }
    if (m == ctx->root) {
        return -EBUSY;
    }
    if ((flags & UMOUNT_DETACH) && caller != MOUNT_CALLER_RUNTIME && locked_below(ctx, m)) {
        return -EPERM; /* a mount of its own, but with the runtime's on it */
    }
    /* In use beyond the table's reference and the caller's own target path. */
    if (!(flags & UMOUNT_DETACH) && (m->children > 0 || m->refs > 2)) {
        return -EBUSY;
    }
    detach_tree(ctx, m);
    return 0;
}

/*
 * Puts the table back in an order where every mount follows its parent,
 * keeping the old order otherwise: pivot_root gives two mounts new parents.
 * `copy` marks the mounts already placed.
 */
static void table_reorder(rootctx_t *ctx)
{
    for (mount_t *m = ctx->first; m != NULL; m = m->next) {
        m->copy = NULL; /* rootctx_copy leaves its last copies behind */
    }
    mount_t *rest = ctx->first;
    ctx->first = ctx->last = NULL;
    while (rest != NULL) {
        mount_t *m = rest;
        while (m != NULL && m->parent != NULL && m->parent->copy != m->parent) {
            m = m->next;
        }
        assert(m != NULL); /* a mount of the table always has its parent in it */
        if (m->prev != NULL) {
            m->prev->next = m->next;
        } else {
            rest = m->next;
        }
        if (m->next != NULL) {
            m->next->prev = m->prev;
        }
        m->prev = ctx->last;
        m->next = NULL;
        *(ctx->last != NULL ? &ctx->last->next : &ctx->first) = m;
        ctx->last = m;
        m->copy = m;
    }
    for (mount_t *m = ctx->first; m != NULL; m = m->next) {
        m->copy = NULL;
    }
}

static int pivot_check(const rootctx_t *ctx, const vfs_path_t *root, const vfs_path_t *new_root,
                       const vfs_path_t *put_old)
{
    if (new_root->mnt->ctx != ctx || put_old->mnt->ctx != ctx) {
        return -EINVAL;
    }
    if (!vnode_is_dir(new_root->vn) || !vnode_is_dir(put_old->vn)) {
        return -ENOTDIR;
    }
    if (new_root->mnt == ctx->root || put_old->mnt == ctx->root) {
        return -EBUSY; /* on the file system being put away */
    }
    vfs_path_t ctx_root = rootctx_root(ctx);
    if (!path_equal(root, &ctx_root) || new_root->vn != new_root->mnt->root) {
        return -EINVAL; /* the caller's root and new_root must both be mounts' roots */
    }
    if (new_root->mnt->flags & MOUNT_LOCKED) {
        return -EINVAL; /* taking it off its mount point would show what it covers */
    }
    if (!path_is_under(put_old, new_root) || !path_is_under(new_root, root)) {
        return -EINVAL;
    }
    return put_old->vn->nlink == 0 ? -ENOENT : 0;
}

int rootctx_pivot(rootctx_t *ctx, const vfs_path_t *root, const vfs_path_t *new_root,
                  const vfs_path_t *put_old)
{
    int err = pivot_check(ctx, root, new_root, put_old);
    if (err < 0) {
        return err;
    }
    mount_t *old = ctx->root, *new = new_root->mnt;
    new->parent->children--;
    new->mountpoint->mounts--;
    vnode_put(new->mountpoint);
    new->parent = NULL;
    new->mountpoint = NULL;
    old->parent = put_old->mnt;
    put_old->mnt->children++;
    old->mountpoint = put_old->vn;
    vnode_get(put_old->vn);
    put_old->vn->mounts++;
    if (old->flags & MOUNT_LOCKED) {
        /* The runtime's lock goes with the root, as Linux moves it; the old
         * root now covers nothing, but a read-only one stays read-only. */
        new->flags |= MOUNT_LOCKED;
        old->flags &= ~MOUNT_LOCKED;
        if (old->flags & MOUNT_RDONLY) {
            old->flags |= MOUNT_RDONLY_LOCKED;
        }
    }
    ctx->root = new;
    table_reorder(ctx);
    return 0;
}

/* A growing text that counts what it could not store. */
typedef struct text {
    char *buf;
    size_t size, len;
} text_t;

static void text_putc(text_t *t, char c)
{
    if (t->len + 1 < t->size) {
        t->buf[t->len] = c;
    }
    t->len++;
}

/* Writes s with /proc/mounts escapes for the characters that would split fields. */
static void text_put_escaped(text_t *t, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\') {
            text_putc(t, '\\');
            text_putc(t, (char)('0' + ((*s >> 6) & 7)));
            text_putc(t, (char)('0' + ((*s >> 3) & 7)));
            text_putc(t, (char)('0' + (*s & 7)));
        } else {
            text_putc(t, *s);
        }
    }
}

static void text_puts(text_t *t, const char *s)
{
    for (; *s != '\0'; s++) {
        text_putc(t, *s);
    }
}

size_t rootctx_render_mounts(const rootctx_t *ctx, const vfs_path_t *root, char *buf, size_t size)
{
    text_t t = {buf, size, 0};
    char *where = malloc(VFS_PATH_MAX);
    for (const mount_t *m = ctx->first; m != NULL && where != NULL; m = m->next) {
        vfs_path_t p = {(mount_t *)m, m->root};
        if (resolve_getcwd(root, &p, where, VFS_PATH_MAX) < 0) {
            continue; /* not reachable from the reader's root */
        }
        text_put_escaped(&t, m->source);
        text_putc(&t, ' ');
        text_put_escaped(&t, where);
        text_putc(&t, ' ');
        text_puts(&t, m->fs->type);
        text_puts(&t, (m->flags & MOUNT_RDONLY) ? " ro 0 0\n" : " rw 0 0\n");
    }
    free(where);
    if (size > 0) {
        buf[t.len < size ? t.len : size - 1] = '\0';
    }
    return t.len;
}
