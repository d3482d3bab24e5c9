/* Shared set-up for the vfs-server unit tests (see vfs_fixture.h). */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "vfs_fixture.h"

static long fake_seconds;

struct timespec fake_clock(void)
{
    struct timespec t = {++fake_seconds, 0};
    return t;
}

vfs_fs_t *t_ramfs(void)
{
    ramfs_opts_t opts = {.type = "tmpfs", .root_mode = 0755, .clock = fake_clock};
    vfs_fs_t *fs;
    int err = ramfs_new(&opts, &fs);
    assert(err == 0);
    return fs;
}

rootctx_t *t_ctx_new(vfs_fs_t *fs)
{
    rootctx_t *ctx;
    int err = rootctx_new(fs, fs->root, "rootfs", 0, NULL, &ctx);
    assert(err == 0);
    return ctx;
}

void t_proc_init(tproc_t *p, rootctx_t *ctx)
{
    rootctx_get(ctx);
    p->ctx = ctx;
    vfs_path_t root = rootctx_root(ctx);
    path_copy(&p->root, &root);
    path_copy(&p->cwd, &root);
}

void t_proc_fini(tproc_t *p)
{
    path_put(&p->cwd);
    path_put(&p->root);
    rootctx_put(p->ctx);
    p->ctx = NULL;
}

static vfs_caller_t caller(const tproc_t *p)
{
    vfs_caller_t c = {p->ctx, &p->root, &p->cwd, 0, 0, 022};
    return c;
}

static vfs_name_t name(const char *path)
{
    vfs_name_t n = {NULL, path, strlen(path)};
    return n;
}

int t_mkdir(tproc_t *p, const char *path)
{
    vfs_caller_t c = caller(p);
    vfs_name_t n = name(path);
    return fsops_mkdirat(&c, &n, 0755);
}

int t_mkfile(tproc_t *p, const char *path, const char *content)
{
    vfs_caller_t c = caller(p);
    vfs_name_t n = name(path);
    vfs_path_t f;
    int err = fsops_openat(&c, &n, O_CREAT | O_WRONLY | O_TRUNC, 0644, &f);
    if (err < 0) {
        return err;
    }
    ssize_t w = ramfs_write(f.vn, 0, content, strlen(content));
    path_put(&f);
    return w < 0 ? (int)w : 0;
}

int t_symlink(tproc_t *p, const char *target, const char *path)
{
    vfs_caller_t c = caller(p);
    vfs_name_t n = name(path);
    return fsops_symlinkat(&c, target, strlen(target), &n);
}

int t_unlink(tproc_t *p, const char *path)
{
    vfs_caller_t c = caller(p);
    vfs_name_t n = name(path);
    return fsops_unlinkat(&c, &n, 0);
}

int t_rmdir(tproc_t *p, const char *path)
{
    vfs_caller_t c = caller(p);
    vfs_name_t n = name(path);
    return fsops_unlinkat(&c, &n, AT_REMOVEDIR);
}

int t_rename(tproc_t *p, const char *from, const char *to, unsigned flags)
{
    vfs_caller_t c = caller(p);
    vfs_name_t a = name(from), b = name(to);
    return fsops_renameat2(&c, &a, &b, flags);
}

int t_link(tproc_t *p, const char *from, const char *to)
{
    vfs_caller_t c = caller(p);
    vfs_name_t a = name(from), b = name(to);
    return fsops_linkat(&c, &a, &b, 0);
}

int t_resolve_at(tproc_t *p, const vfs_path_t *start, const char *path, unsigned flags,
                 vfs_path_t *out)
{
    resolve_req_t req = {p->ctx, &p->root, start, path, strlen(path), flags};
    return resolve_path(&req, out);
}

int t_resolve(tproc_t *p, const char *path, unsigned flags, vfs_path_t *out)
{
    return t_resolve_at(p, &p->cwd, path, flags, out);
}

vnode_t *t_vn(tproc_t *p, const char *path)
{
    vfs_path_t r;
    if (t_resolve(p, path, RESOLVE_NOFOLLOW, &r) < 0) {
        return NULL;
    }
    vnode_t *v = r.vn;
    path_put(&r);
    return v;
}

int t_chdir(tproc_t *p, const char *path)
{
    vfs_caller_t c = caller(p);
    vfs_name_t n = name(path);
    vfs_path_t d;
    int err = fsops_chdir(&c, &n, &d);
    if (err == 0) {
        path_put(&p->cwd);
        p->cwd = d;
    }
    return err;
}

int t_chroot(tproc_t *p, const char *path)
{
    vfs_caller_t c = caller(p);
    vfs_name_t n = name(path);
    vfs_path_t d;
    int err = fsops_chdir(&c, &n, &d);
    if (err == 0) {
        path_put(&p->root);
        p->root = d;
    }
    return err;
}

const char *t_getcwd(tproc_t *p, int *err)
{
    static char buf[VFS_PATH_MAX];
    int n = resolve_getcwd(&p->root, &p->cwd, buf, sizeof(buf));
    *err = n < 0 ? n : 0;
    return n < 0 ? NULL : buf;
}

const char *t_read(tproc_t *p, const char *path)
{
    static char buf[65536];
    vfs_path_t f;
    if (t_resolve(p, path, 0, &f) < 0) {
        return NULL;
    }
    ssize_t n = ramfs_read(f.vn, 0, buf, sizeof(buf) - 1);
    path_put(&f);
    if (n < 0) {
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

bool t_same(tproc_t *p, const char *a, const char *b)
{
    vfs_path_t x, y;
    if (t_resolve(p, a, 0, &x) < 0) {
        return false;
    }
    if (t_resolve(p, b, 0, &y) < 0) {
        path_put(&x);
        return false;
    }
    bool same = path_equal(&x, &y);
    path_put(&x);
    path_put(&y);
    return same;
}
