/*
 * libFuzzer target for the path resolver (vfs-server/resolve.c).
 *
 * A host process builds a small tree with a jail at /jail and a tmpfs mounted
 * at /jail/mnt; a second process is chrooted into /jail. The input is a list
 * of operations: the jailed process makes symlinks with arbitrary targets,
 * directories, renames and chdirs, the host renames things (which can move the
 * jailed process's cwd out from under its root), and both resolve arbitrary
 * paths with arbitrary flags. After every resolution by the jailed process the
 * result must lie below its root; otherwise the target aborts.
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
    if (where->vn == NULL || !path_is_under(where, &p->root)) {
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
            if (op & 8) {
                fsops_renameat2(&ch, &x, &y, 0);
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
