/*
 * libFuzzer target for the path resolver (vfs-server/resolve.c).
 *
 * A host process builds a small tree with a jail at /jail and a tmpfs mounted
 * at /jail/mnt; a second process is chrooted into /jail. The input is a list
 * of operations: the jailed process makes symlinks with arbitrary targets,
 * directories, renames and chdirs, the host renames things (which can move the
 * jailed process's cwd out from under its root), and both resolve arbitrary
 * paths with arbitrary flags; the host also mounts tmpfs instances and binds
 * directories (from outside the jail too) at arbitrary paths, and unmounts.
 * After every resolution by the jailed process the result must lie below its
 * root, checked twice: by path_is_under, and against a model that knows
 * nothing of the resolver — the (mount, vnode) pairs reached from the root
 * by going down only, through directory entries and into the mounts of the
 * context's table. A result outside that set is an escape; the target aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../vfs-server/fsops.h"
#include "../../vfs-server/ramfs.h"
#include "../../vfs-server/resolve.h"

typedef struct proc {
    rootctx_t *ctx;
    vfs_path_t root, cwd;
} proc_t;

typedef struct input {
    const uint8_t *p;
    size_t left;
} input_t;

static uint8_t take_byte(input_t *in)
{
    if (in->left == 0) {
        return 0;
    }
    in->left--;
    return *in->p++;
}

/* A length-prefixed string of the input (at most 255 bytes, NUL-terminated in buf). */
static size_t take_string(input_t *in, char *buf)
{
    size_t n = take_byte(in);
    if (n > in->left) {
        n = in->left;
    }
    memcpy(buf, in->p, n);
    buf[n] = '\0';
    in->p += n;
    in->left -= n;
    return n;
}

static vfs_caller_t caller(const proc_t *p)
{
    vfs_caller_t c = {p->ctx, &p->root, &p->cwd, 0, 0, 022};
    return c;
}

static vfs_name_t name_of(const char *s, size_t n)
{
    vfs_name_t v = {NULL, s, n};
    return v;
}

static void mkdir_at(proc_t *p, const char *path)
{
    vfs_caller_t c = caller(p);
    vfs_name_t n = name_of(path, strlen(path));
    fsops_mkdirat(&c, &n, 0755);
}

/* The model: the pairs reachable from a root going down only. */
typedef struct reach {
    vfs_path_t *at;
    size_t count, cap;
} reach_t;

static bool reach_has(const reach_t *r, const mount_t *m, const vnode_t *v)
{
    for (size_t i = 0; i < r->count; i++) {
        if (r->at[i].mnt == m && r->at[i].vn == v) {
            return true;
        }
    }
    return false;
}

static void reach_visit(reach_t *r, const rootctx_t *ctx, mount_t *m, vnode_t *v);

/* (m, v) and whatever the table mounts on it, each reached. */
static void reach_enter(reach_t *r, const rootctx_t *ctx, mount_t *m, vnode_t *v)
{
    reach_visit(r, ctx, m, v);
    for (mount_t *c = ctx->first; c != NULL; c = c->next) {
        if (c->parent == m && c->mountpoint == v) {
            reach_enter(r, ctx, c, c->root);
        }
    }
}

static void reach_visit(reach_t *r, const rootctx_t *ctx, mount_t *m, vnode_t *v)
{
    if (reach_has(r, m, v)) {
        return;
    }
    if (r->count == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->at = realloc(r->at, r->cap * sizeof(r->at[0]));
    }
    r->at[r->count++] = (vfs_path_t){m, v};
    if (!vnode_is_dir(v)) {
        return;
    }
    for (size_t i = 0; i < v->u.dir.count; i++) {
        reach_enter(r, ctx, m, v->u.dir.entries[i]->vn);
    }
}

/* Whether p is in the model of what lies below root. */
static bool model_confined(const proc_t *p, const vfs_path_t *where)
{
    reach_t r = {0};
    reach_enter(&r, p->ctx, p->root.mnt, p->root.vn);
    bool in = reach_has(&r, where->mnt, where->vn);
    free(r.at);
    return in;
}

/* Where a result lies: its directory, or for a file the directory it was found in. */
static void check_confined(const proc_t *p, const resolve_result_t *res)
{
    if (res->last == RESOLVE_LAST_EMPTY) {
        return; /* the start itself: held already, not reached by a walk */
    }
    const vfs_path_t *where = &res->obj;
    if (where->vn == NULL || (!vnode_is_dir(where->vn) && where->vn != where->mnt->root)) {
        where = &res->parent;
    }
    if (where->vn == NULL || !path_is_under(where, &p->root) || !model_confined(p, where)) {
        abort();
    }
    if (res->obj.vn != NULL && !model_confined(p, &res->obj)) {
        abort();
    }
    if (res->obj.mnt != NULL && res->obj.mnt->ctx != p->ctx) {
        abort();
    }
}

static void do_resolve(proc_t *p, const char *path, size_t n, uint8_t flags, int confined)
{
    resolve_req_t req = {p->ctx, &p->root, &p->cwd, path, n, flags & 15u};
    resolve_result_t res;
    if (resolve(&req, &res) < 0) {
        return;
    }
    if (confined) {
        check_confined(p, &res);
    }
    resolve_result_put(&res);
}

static void do_chdir(proc_t *p, const char *path, size_t n)
{
    vfs_caller_t c = caller(p);
    vfs_name_t nm = name_of(path, n);
    vfs_path_t d;
    if (fsops_chdir(&c, &nm, &d) == 0) {
        path_put(&p->cwd);
        p->cwd = d;
    }
}

/* Host renames that move the jailed process's directories out of its root and back. */
static const char *const host_moves[][2] = {
    {"/jail/a", "/outside/a"},   {"/outside/a", "/jail/a"},    {"/jail/a/b", "/outside/b"},
    {"/outside/b", "/jail/a/b"}, {"/jail/a/b", "/jail/mnt/b"}, {"/jail/a", "/outside/a/b/x"},
};

static void host_move(proc_t *host, uint8_t which)
{
    const char *const *m = host_moves[which % (sizeof(host_moves) / sizeof(host_moves[0]))];
    vfs_caller_t c = caller(host);
    vfs_name_t from = name_of(m[0], strlen(m[0])), to = name_of(m[1], strlen(m[1]));
    fsops_renameat2(&c, &from, &to, 0);
}

/* The host mounts at a path: a new tmpfs, or a bind of `source` (anywhere,
 * outside the jail too), or unmounts what is there. */
static void host_mount(proc_t *host, uint8_t how, const char *path, size_t n, const char *source,
                       size_t ns)
{
    vfs_caller_t c = caller(host);
    vfs_name_t nm = name_of(path, n), src = name_of(source, ns);
    vfs_path_t target, from;
    if (fsops_chdir(&c, &nm, &target) != 0) {
        return;
    }
    if (how % 3 == 0) {
        ramfs_opts_t opts = {.root_mode = 0755};
        vfs_fs_t *fs;
        if (ramfs_new(&opts, &fs) == 0) {
            rootctx_mount(host->ctx, &target, fs, 0, "tmpfs");
            vfs_fs_put(fs);
        }
    } else if (how % 3 == 1) {
        if (fsops_chdir(&c, &src, &from) == 0) {
            rootctx_bind(host->ctx, &target, &from, 0);
            path_put(&from);
        }
    } else {
        rootctx_umount(host->ctx, &target, UMOUNT_DETACH, MOUNT_CALLER_RUNTIME);
    }
    path_put(&target);
}

static void run(proc_t *host, proc_t *jail, input_t *in)
{
    char a[256], b[256];
    while (in->left > 0) {
        uint8_t op = take_byte(in);
        size_t na = take_string(in, a);
        size_t nb = take_string(in, b);
        vfs_caller_t cj = caller(jail), ch = caller(host);
        vfs_name_t x = name_of(a, na), y = name_of(b, nb);
        switch (op % 8) {
        case 0:
            fsops_symlinkat(&cj, b, nb, &x);
            break;
        case 1:
            fsops_mkdirat(&cj, &x, 0755);
            break;
        case 2:
            fsops_renameat2(&cj, &x, &y, 0);
            break;
        case 3:
            if ((op & 24) == 8) {
                fsops_renameat2(&ch, &x, &y, 0);
            } else if ((op & 24) == 16) {
                host_mount(host, (uint8_t)(op >> 5), a, na, b, nb);
            } else {
                host_move(host, (uint8_t)(op >> 4));
            }
            break;
        case 4:
            do_chdir(jail, a, na);
            break;
        case 5:
            do_resolve(host, a, na, (uint8_t)(op >> 3), 0);
            break;
        default:
            do_resolve(jail, a, na, (uint8_t)(op >> 3), 1);
            break;
        }
    }
}

static void proc_init(proc_t *p, rootctx_t *ctx)
{
    p->ctx = ctx;
    rootctx_get(ctx);
    vfs_path_t r = rootctx_root(ctx);
    path_copy(&p->root, &r);
    path_copy(&p->cwd, &r);
}

static void proc_fini(proc_t *p)
{
    path_put(&p->root);
    path_put(&p->cwd);
    rootctx_put(p->ctx);
}

static void build_tree(proc_t *host, proc_t *jail)
{
    const char *dirs[] = {"/etc",    "/outside",  "/jail",    "/jail/etc",
                          "/jail/a", "/jail/a/b", "/jail/mnt"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        mkdir_at(host, dirs[i]);
    }
    vfs_caller_t c = caller(host);
    vfs_name_t n = name_of("/jail/mnt", 9);
    vfs_path_t mnt;
    fsops_chdir(&c, &n, &mnt);
    ramfs_opts_t opts = {.root_mode = 0755};
    vfs_fs_t *tmp;
    ramfs_new(&opts, &tmp);
    rootctx_mount(host->ctx, &mnt, tmp, 0, "tmpfs");
    vfs_fs_put(tmp);
    path_put(&mnt);
    mkdir_at(host, "/jail/mnt/d");
    n = name_of("/jail", 5);
    vfs_path_t root;
    fsops_chdir(&c, &n, &root);
    path_put(&jail->root);
    path_put(&jail->cwd);
    jail->root = root;
    path_copy(&jail->cwd, &root);
    do_chdir(jail, "a/b", 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ramfs_opts_t opts = {.root_mode = 0755};
    vfs_fs_t *fs;
    if (ramfs_new(&opts, &fs) < 0) {
        abort();
    }
    rootctx_t *ctx;
    if (rootctx_new(fs, fs->root, "rootfs", 0, NULL, &ctx) < 0) {
        abort();
    }
    vfs_fs_put(fs);
    proc_t host, jail;
    proc_init(&host, ctx);
    proc_init(&jail, ctx);
    rootctx_put(ctx);
    build_tree(&host, &jail);
    input_t in = {data, size};
    run(&host, &jail, &in);
    proc_fini(&jail);
    proc_fini(&host);
    return 0;
}
