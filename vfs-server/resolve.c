/*
 * The path resolver (see resolve.h for the rules it keeps).
 *
 * The walk keeps a stack of path segments instead of splicing strings: the
 * request's path at the bottom and one segment per symlink being followed on
 * top. Components are taken from the top segment; an exhausted segment is
 * popped. A segment beginning with '/' moves the walk to the process root when
 * pushed. With at most 40 links followed the stack never holds more than 41.
 * Nothing is held during the walk (nothing can change under it); references
 * are taken only for the result.
 */
#include <errno.h>
#include <string.h>

#include "ramfs.h"
#include "resolve.h"

#define RESOLVE_MAX_LINKS 40

typedef struct segment {
    const char *p;
    size_t len;
} segment_t;

typedef struct walk {
    const resolve_req_t *req;
    vfs_path_t cur; /* the directory being walked (not held) */
    segment_t stack[RESOLVE_MAX_LINKS + 1];
    unsigned depth;
    unsigned links; /* symlinks followed so far */
} walk_t;

static void walk_push(walk_t *w, const char *p, size_t len)
{
    if (len > 0 && p[0] == '/') {
        w->cur = *w->req->root;
    }
    w->stack[w->depth].p = p;
    w->stack[w->depth].len = len;
    w->depth++;
}

/* Takes the next component off the stack; false when the path is used up. */
static bool walk_next(walk_t *w, const char **name, size_t *len)
{
    while (w->depth > 0) {
        segment_t *s = &w->stack[w->depth - 1];
        while (s->len > 0 && s->p[0] == '/') {
            s->p++;
            s->len--;
        }
        if (s->len == 0) {
            w->depth--;
            continue;
        }
        size_t n = 0;
        while (n < s->len && s->p[n] != '/') {
            n++;
        }
        *name = s->p;
        *len = n;
        s->p += n;
        s->len -= n;
        return true;
    }
    return false;
}

/* Whether nothing but slashes is left, i.e. the component just taken is the final one. */
static bool walk_at_end(const walk_t *w, bool *trailing_slash)
{
    *trailing_slash = false;
    for (unsigned i = w->depth; i-- > 0;) {
        for (size_t k = 0; k < w->stack[i].len; k++) {
            if (w->stack[i].p[k] != '/') {
                return false;
            }
            *trailing_slash = true;
        }
    }
    return true;
}

/* "..": stays at the process root and at a root with nothing above it. */
static int walk_dotdot(walk_t *w)
{
    const vfs_path_t *root = w->req->root;
    vfs_path_t *cur = &w->cur;
    while (!path_equal(cur, root) && cur->vn == cur->mnt->root) {
        if (cur->mnt->parent == NULL) {
            return 0;
        }
        cur->vn = cur->mnt->mountpoint;
        cur->mnt = cur->mnt->parent;
    }
    if (path_equal(cur, root)) {
        return 0;
    }
    vnode_t *up = cur->vn->u.dir.parent;
    if (up == NULL || up == cur->vn) {
        return -ENOENT; /* removed, or somehow not below its mount's root */
    }
    cur->vn = up;
    path_cross_mounts(w->req->ctx, cur);
    return 0;
}

static int walk_follow(walk_t *w, const vnode_t *link)
{
    if (++w->links > RESOLVE_MAX_LINKS) {
        return -ELOOP;
    }
    if (link->u.link.len == 0) {
        return -ENOENT;
    }
    walk_push(w, link->u.link.target, link->u.link.len);
    return 0;
}

/* Fills *res for a found object (obj) or a missing final name (obj.vn NULL). */
static int walk_finish(walk_t *w, resolve_result_t *res, const vfs_path_t *obj, resolve_last_t last,
                       bool trailing_slash)
{
    if (obj->vn != NULL && !vnode_is_dir(obj->vn) &&
        (trailing_slash || (w->req->flags & RESOLVE_DIRECTORY))) {
        return -ENOTDIR;
    }
    res->last = last;
    res->trailing_slash = trailing_slash;
    if (obj->vn != NULL) {
        path_copy(&res->obj, obj);
    }
    if (last == RESOLVE_LAST_NORM) {
        path_copy(&res->parent, &w->cur);
    }
    return 0;
}

static void set_name(resolve_result_t *res, const char *name, size_t len)
{
    memcpy(res->name, name, len);
    res->name[len] = '\0';
    res->name_len = len;
}

/*
 * One named component in w->cur. Returns 1 when it finished the walk (*res
 * filled), 0 to go on, or an error.
 */
static int walk_name(walk_t *w, const char *name, size_t len, bool last, bool trailing,
                     resolve_result_t *res)
{
    unsigned flags = w->req->flags;
    vnode_t *child;
    if (w->cur.vn->fs->refresh != NULL) {
        w->cur.vn->fs->refresh(w->cur.vn, name, len);
    }
    int err = ramfs_lookup(w->cur.vn, name, len, &child);
    if (err == -ENOENT && last && (flags & RESOLVE_CREATE)) {
        vfs_path_t none = {NULL, NULL};
        set_name(res, name, len);
        err = walk_finish(w, res, &none, RESOLVE_LAST_NORM, trailing);
        return err < 0 ? err : 1;
    }
    if (err < 0) {
        return err;
    }
    vfs_path_t next = {w->cur.mnt, child};
    path_cross_mounts(w->req->ctx, &next);
    if (vnode_is_symlink(next.vn) && (!last || trailing || !(flags & RESOLVE_NOFOLLOW))) {
        return walk_follow(w, next.vn);
    }
    if (last) {
        set_name(res, name, len);
        err = walk_finish(w, res, &next, RESOLVE_LAST_NORM, trailing);
        return err < 0 ? err : 1;
    }
    w->cur = next;
    return 0;
}

/* One component of any kind; returns as walk_name. */
static int walk_component(walk_t *w, const char *name, size_t len, resolve_result_t *res)
{
    bool trailing;
    bool last = walk_at_end(w, &trailing);
    if (len > VFS_NAME_MAX) {
        return -ENAMETOOLONG;
    }
    if (!vnode_is_dir(w->cur.vn)) {
        return -ENOTDIR;
    }
    bool dot = len == 1 && name[0] == '.';
    bool dotdot = len == 2 && name[0] == '.' && name[1] == '.';
    if (!dot && !dotdot) {
        return walk_name(w, name, len, last, trailing, res);
    }
    if (dotdot) {
        int err = walk_dotdot(w);
        if (err < 0) {
            return err;
        }
    }
    if (!last) {
        return 0;
    }
    int err = walk_finish(w, res, &w->cur, dot ? RESOLVE_LAST_DOT : RESOLVE_LAST_DOTDOT, trailing);
    return err < 0 ? err : 1;
}

/* Where a relative walk begins: the start, if it is usable by this caller. */
static int walk_check_start(const resolve_req_t *req)
{
    if (req->start == NULL || req->start->mnt == NULL) {
        return -ENOENT;
    }
    int err = path_check_context(req->start, req->ctx);
    if (err < 0) {
        return err;
    }
    if (!vnode_is_dir(req->start->vn)) {
        return -ENOTDIR;
    }
    return path_is_under(req->start, req->root) ? 0 : -ENOENT;
}

static int resolve_empty(const resolve_req_t *req, resolve_result_t *res)
{
    if (!(req->flags & RESOLVE_EMPTY_PATH) || req->start == NULL || req->start->mnt == NULL) {
        return -ENOENT;
    }
    int err = path_check_context(req->start, req->ctx);
    if (err < 0) {
        return err;
    }
    if ((req->flags & RESOLVE_DIRECTORY) && !vnode_is_dir(req->start->vn)) {
        return -ENOTDIR;
    }
    res->last = RESOLVE_LAST_EMPTY;
    path_copy(&res->obj, req->start);
    return 0;
}

int resolve(const resolve_req_t *req, resolve_result_t *res)
{
    memset(res, 0, sizeof(*res));
    size_t len = strnlen(req->path, req->len);
    if (len >= VFS_PATH_MAX) {
        return -ENAMETOOLONG;
    }
    if (len == 0) {
        return resolve_empty(req, res);
    }
    walk_t w = {.req = req};
    if (req->path[0] != '/') {
        int err = walk_check_start(req);
        if (err < 0) {
            return err;
        }
        w.cur = *req->start;
    }
    walk_push(&w, req->path, len);
    const char *name;
    size_t nlen;
    while (walk_next(&w, &name, &nlen)) {
        int done = walk_component(&w, name, nlen, res);
        if (done < 0) {
            resolve_result_put(res);
            return done;
        }
        if (done == 1) {
            return 0;
        }
    }
    /* Only slashes after the last reset to the root: the result is that root. */
    int err = walk_finish(&w, res, &w.cur, RESOLVE_LAST_ROOT, false);
    if (err < 0) {
        resolve_result_put(res);
    }
    return err;
}

void resolve_result_put(resolve_result_t *res)
{
    path_put(&res->obj);
    path_put(&res->parent);
}

int resolve_path(const resolve_req_t *req, vfs_path_t *out)
{
    resolve_req_t r = *req;
    r.flags &= ~RESOLVE_CREATE;
    resolve_result_t res;
    int err = resolve(&r, &res);
    if (err < 0) {
        return err;
    }
    *out = res.obj;
    res.obj.mnt = NULL;
    resolve_result_put(&res);
    return 0;
}

/* Moves one step up from cur towards the root for getcwd; *name is what cur is called there. */
static int getcwd_up(vfs_path_t *cur, const char **name, size_t *len)
{
    *len = 0;
    if (cur->vn == cur->mnt->root) {
        cur->vn = cur->mnt->mountpoint;
        cur->mnt = cur->mnt->parent;
        return 0;
    }
    vnode_t *up = cur->vn->u.dir.parent;
    int err = ramfs_name_of(up, cur->vn, name, len);
    cur->vn = up;
    return err;
}

int resolve_getcwd(const vfs_path_t *root, const vfs_path_t *where, char *buf, size_t size)
{
    if (!path_is_under(where, root)) {
        return -ENOENT;
    }
    if (size < 2) {
        return -ERANGE;
    }
    size_t pos = size - 1;
    buf[pos] = '\0';
    vfs_path_t cur = *where;
    while (!path_equal(&cur, root)) {
        const char *name;
        size_t len;
        int err = getcwd_up(&cur, &name, &len);
        if (err < 0) {
            return err;
        }
        if (len == 0) {
            continue;
        }
        if (pos < len + 1) {
            return -ERANGE;
        }
        pos -= len;
        memcpy(buf + pos, name, len);
        buf[--pos] = '/';
    }
    if (pos == size - 1) {
        buf[--pos] = '/';
    }
    size_t n = size - 1 - pos;
    memmove(buf, buf + pos, n + 1);
    return (int)n;
}
