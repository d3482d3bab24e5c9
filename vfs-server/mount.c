/*
 * Mount records and the paths that hold them: references, crossing mount
 * points, and the "is this still below the root" walk that confines resolution.
 * The tables themselves are in rootctx.c.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mount.h"

void mount_get(mount_t *m)
{
    m->refs++;
}

void mount_put(mount_t *m)
{
    assert(m->refs > 0);
    if (--m->refs > 0) {
        return;
    }
    assert(m->ctx == NULL && m->parent == NULL && m->children == 0);
    quota_t *q = m->quota;
    vnode_put(m->root);
    vfs_fs_put(m->fs);
    quota_free(q, m->source, strlen(m->source) + 1);
    quota_free(q, m, sizeof(*m));
    quota_put(q);
}

void path_get(const vfs_path_t *p)
{
    mount_get(p->mnt);
    vnode_get(p->vn);
}

void path_put(vfs_path_t *p)
{
    if (p->mnt == NULL) {
        return;
    }
    /* The vnode first: the mount may hold the last reference on its file system. */
    vnode_put(p->vn);
    mount_put(p->mnt);
    p->mnt = NULL;
    p->vn = NULL;
}

void path_copy(vfs_path_t *dst, const vfs_path_t *src)
{
    path_get(src);
    *dst = *src;
}

bool path_equal(const vfs_path_t *a, const vfs_path_t *b)
{
    return a->mnt == b->mnt && a->vn == b->vn;
}

mount_t *mount_child_at(const rootctx_t *ctx, const mount_t *m, const vnode_t *v)
{
    if (v->mounts == 0) {
        return NULL;
    }
    for (mount_t *c = ctx->first; c != NULL; c = c->next) {
        if (c->parent == m && c->mountpoint == v) {
            return c;
        }
    }
    return NULL;
}

void path_cross_mounts(const rootctx_t *ctx, vfs_path_t *p)
{
    mount_t *c;
    while ((c = mount_child_at(ctx, p->mnt, p->vn)) != NULL) {
        p->mnt = c;
        p->vn = c->root;
    }
}

bool path_is_under(const vfs_path_t *p, const vfs_path_t *root)
{
    vfs_path_t cur = *p;
    for (;;) {
        if (path_equal(&cur, root)) {
            return true;
        }
        if (cur.vn == cur.mnt->root) {
            if (cur.mnt->parent == NULL) {
                return false;
            }
            cur.vn = cur.mnt->mountpoint;
            cur.mnt = cur.mnt->parent;
            continue;
        }
        if (!vnode_is_dir(cur.vn)) {
            return false;
        }
        vnode_t *up = cur.vn->u.dir.parent;
        if (up == NULL || up == cur.vn) {
            return false;
        }
        cur.vn = up;
    }
}

int path_check_context(const vfs_path_t *p, const rootctx_t *ctx)
{
    return p->mnt->ctx == ctx || p->mnt->ctx == NULL ? 0 : -EXDEV;
}

bool path_is_readonly(const vfs_path_t *p)
{
    /* a synthetic tree (procfs) is changed only by its own refresh */
    return (p->mnt->flags & MOUNT_RDONLY) != 0 || p->vn->fs->refresh != NULL;
}
