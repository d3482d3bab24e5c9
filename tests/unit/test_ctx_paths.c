/*
 * Paths inside a context (vfs-server/ctx_paths.c): a spawn's cwd, masked
 * and read-only paths, each resolved inside the context and never leading
 * out of it, whatever `..` or symlinks say; and locked, so nothing inside
 * can undo them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctx_paths.h"
#include "vfs_fixture.h"

typedef struct world {
    rootctx_t *host_ctx, *ctx; /* ctx: `/` is the host's /c */
    tproc_t host, in;
} world_t;

#define P(s) (s), strlen(s)

static int setup(void **state)
{
    world_t *w = calloc(1, sizeof(*w));
    vfs_fs_t *fs = t_ramfs();
    w->host_ctx = t_ctx_new(fs);
    vfs_fs_put(fs);
    tproc_t *h = &w->host;
    t_proc_init(h, w->host_ctx);
    assert_int_equal(t_mkdir(h, "/etc"), 0);
    assert_int_equal(t_mkfile(h, "/etc/secret", "host"), 0);
    assert_int_equal(t_mkdir(h, "/c"), 0);
    assert_int_equal(t_mkdir(h, "/c/etc"), 0);
    assert_int_equal(t_mkfile(h, "/c/etc/passwd", "inside"), 0);
    assert_int_equal(t_mkdir(h, "/c/proc"), 0);
    assert_int_equal(t_mkfile(h, "/c/proc/kcore", "kernel memory"), 0);
    assert_int_equal(t_mkdir(h, "/c/proc/sys"), 0);
    assert_int_equal(t_mkfile(h, "/c/proc/sys/knob", "1"), 0);
    assert_int_equal(t_mkdir(h, "/c/work"), 0);
    assert_int_equal(t_symlink(h, "/../../etc", "/c/escape"), 0);
    assert_int_equal(t_symlink(h, "../../../etc", "/c/work/up"), 0);
    assert_int_equal(t_mkfile(h, "/c/file", "f"), 0);
    vfs_path_t c;
    assert_int_equal(t_resolve(h, "/c", 0, &c), 0);
    assert_int_equal(rootctx_new(c.mnt->fs, c.vn, "c", MOUNT_LOCKED, NULL, &w->ctx), 0);
    path_put(&c);
    t_proc_init(&w->in, w->ctx);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world_t *w = *state;
    t_proc_fini(&w->in);
    t_proc_fini(&w->host);
    rootctx_put(w->ctx);
    rootctx_put(w->host_ctx);
    free(w);
    return 0;
}

/* Whether path (resolved in the context) is what the process inside calls want. */
static bool inside_is(world_t *w, const char *path, const char *want)
{
    vfs_path_t got, exp = {NULL, NULL};
    if (ctx_paths_resolve(w->ctx, P(path), 0, &got) != 0) {
        return false;
    }
    bool same = t_resolve(&w->in, want, 0, &exp) == 0 && path_equal(&got, &exp);
    path_put(&got);
    path_put(&exp);
    return same;
}

static void test_cwd(void **state)
{
    world_t *w = *state;
    vfs_path_t cwd;
    assert_int_equal(ctx_paths_cwd(w->ctx, "", 0, &cwd), 0);
    assert_null(cwd.mnt); /* the root */
    assert_int_equal(ctx_paths_cwd(w->ctx, P("/work"), &cwd), 0);
    assert_ptr_equal(cwd.vn, t_vn(&w->in, "/work"));
    path_put(&cwd);
    assert_int_equal(ctx_paths_cwd(w->ctx, P("work"), &cwd), -EINVAL);
    assert_int_equal(ctx_paths_cwd(w->ctx, P("/nowhere"), &cwd), -ENOENT);
    assert_int_equal(ctx_paths_cwd(w->ctx, P("/file"), &cwd), -ENOTDIR);
    /* a symlink that points outside resolves inside */
    assert_int_equal(ctx_paths_cwd(w->ctx, P("/escape"), &cwd), 0);
    vfs_path_t etc;
    assert_int_equal(t_resolve(&w->in, "/etc", 0, &etc), 0);
    assert_true(path_equal(&cwd, &etc));
    path_put(&cwd);
    assert_int_equal(ctx_paths_cwd(w->ctx, P("/work/up"), &cwd), 0);
    assert_true(path_equal(&cwd, &etc));
    path_put(&cwd);
    /* `..` from `/` stays at the context's root */
    assert_int_equal(ctx_paths_cwd(w->ctx, P("/../../.."), &cwd), 0);
    vfs_path_t root = rootctx_root(w->ctx);
    assert_true(path_equal(&cwd, &root));
    path_put(&cwd);
    path_put(&etc);
}

static void test_resolve_stays_inside(void **state)
{
    world_t *w = *state;
    assert_true(inside_is(w, "//proc/../proc", "/proc"));
    assert_true(inside_is(w, "/../proc", "/proc"));
    assert_true(inside_is(w, "/escape/passwd", "/etc/passwd"));
    vfs_path_t p;
    assert_int_equal(ctx_paths_resolve(w->ctx, P("/escape/secret"), 0, &p), -ENOENT);
}

static void test_mask_file(void **state)
{
    world_t *w = *state;
    assert_int_equal(ctx_paths_mask(w->ctx, P("/proc/kcore"), NULL), 0);
    assert_string_equal(t_read(&w->in, "/proc/kcore"), "");
    assert_int_equal(t_mkfile(&w->in, "/proc/kcore", "x"), -EROFS);
    /* the host's file is untouched, and the host does not see the mask */
    assert_string_equal(t_read(&w->host, "/c/proc/kcore"), "kernel memory");
    /* nothing inside undoes it */
    vfs_path_t at;
    assert_int_equal(t_resolve(&w->in, "/proc/kcore", 0, &at), 0);
    assert_int_equal(rootctx_umount(w->ctx, &at, 0, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(rootctx_umount(w->ctx, &at, UMOUNT_DETACH, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(rootctx_remount(w->ctx, &at, 0, MOUNT_CALLER_INSIDE), -EPERM);
    path_put(&at);
    /* a bind of the directory holding it would show the file again: refused */
    assert_int_equal(t_resolve(&w->in, "/proc", 0, &at), 0);
    assert_true(rootctx_bind_reveals_locked(&at));
    path_put(&at);
}

static void test_mask_directory(void **state)
{
    world_t *w = *state;
    assert_int_equal(ctx_paths_mask(w->ctx, P("/proc/sys"), NULL), 0);
    assert_null(t_read(&w->in, "/proc/sys/knob"));
    assert_int_equal(t_mkfile(&w->in, "/proc/sys/new", "x"), -EROFS);
    assert_int_equal(t_mkdir(&w->in, "/proc/sys/d"), -EROFS);
    assert_string_equal(t_read(&w->host, "/c/proc/sys/knob"), "1");
    vfs_path_t at;
    assert_int_equal(t_resolve(&w->in, "/proc/sys", 0, &at), 0);
    assert_int_equal(rootctx_remount(w->ctx, &at, 0, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(rootctx_remount(w->ctx, &at, 0, MOUNT_CALLER_RUNTIME), -EPERM);
    path_put(&at);
    /* a copy of the table (a context the container makes) keeps it so */
    rootctx_t *copy;
    assert_int_equal(rootctx_copy(w->ctx, NULL, &copy), 0);
    tproc_t c;
    t_proc_init(&c, copy);
    rootctx_put(copy);
    assert_int_equal(t_resolve(&c, "/proc/sys", 0, &at), 0);
    assert_int_equal(rootctx_remount(copy, &at, 0, MOUNT_CALLER_RUNTIME), -EPERM);
    assert_int_equal(rootctx_umount(copy, &at, 0, MOUNT_CALLER_INSIDE), -EPERM);
    path_put(&at);
    assert_int_equal(t_mkfile(&c, "/proc/sys/new", "x"), -EROFS);
    t_proc_fini(&c);
}

static void test_mask_missing_and_bad(void **state)
{
    world_t *w = *state;
    unsigned count = w->ctx->count;
    assert_int_equal(ctx_paths_mask(w->ctx, P("/proc/nothing"), NULL), 0);
    assert_int_equal(ctx_paths_mask(w->ctx, P("/file/below"), NULL), 0);
    assert_int_equal(ctx_paths_readonly(w->ctx, P("/nothing/at/all")), 0);
    assert_int_equal(ctx_paths_mask(w->ctx, P("proc/kcore"), NULL), -EINVAL);
    assert_int_equal(ctx_paths_readonly(w->ctx, P("proc")), -EINVAL);
    assert_int_equal(ctx_paths_mask(w->ctx, "", 0, NULL), -EINVAL);
    assert_int_equal(w->ctx->count, count); /* nothing mounted */
    /* a mask through a symlink pointing outside masks the inside's file */
    assert_int_equal(ctx_paths_mask(w->ctx, P("/escape/passwd"), NULL), 0);
    assert_string_equal(t_read(&w->in, "/etc/passwd"), "");
    assert_string_equal(t_read(&w->host, "/etc/secret"), "host");
    assert_string_equal(t_read(&w->host, "/c/etc/passwd"), "inside");
}

static void test_readonly(void **state)
{
    world_t *w = *state;
    assert_int_equal(ctx_paths_readonly(w->ctx, P("/proc/sys")), 0);
    assert_string_equal(t_read(&w->in, "/proc/sys/knob"), "1");
    assert_int_equal(t_mkfile(&w->in, "/proc/sys/knob", "0"), -EROFS);
    assert_int_equal(t_mkfile(&w->in, "/proc/sys/new", "x"), -EROFS);
    assert_int_equal(t_mkfile(&w->in, "/proc/other", "x"), 0); /* only below the path */
    vfs_path_t at;
    assert_int_equal(t_resolve(&w->in, "/proc/sys", 0, &at), 0);
    assert_int_equal(rootctx_remount(w->ctx, &at, 0, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(rootctx_umount(w->ctx, &at, UMOUNT_DETACH, MOUNT_CALLER_INSIDE), -EPERM);
    path_put(&at);
    /* a copy made inside stays read-only */
    assert_int_equal(t_mkdir(&w->in, "/work/copy"), 0);
    vfs_path_t src, dst;
    assert_int_equal(t_resolve(&w->in, "/proc/sys", 0, &src), 0);
    assert_int_equal(t_resolve(&w->in, "/work/copy", 0, &dst), 0);
    assert_int_equal(rootctx_bind(w->ctx, &dst, &src, 0), 0);
    path_put(&dst);
    assert_int_equal(t_resolve(&w->in, "/work/copy", 0, &dst), 0);
    assert_int_equal(rootctx_remount(w->ctx, &dst, 0, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(t_mkfile(&w->in, "/work/copy/new", "x"), -EROFS);
    path_put(&dst);
    path_put(&src);
    /* a mount's root is made read-only in place; a path over masks refused */
    assert_int_equal(t_mkfile(&w->host, "/c/work/f", "hidden"), 0);
    assert_int_equal(ctx_paths_mask(w->ctx, P("/work/f"), NULL), 0);
    assert_int_equal(ctx_paths_readonly(w->ctx, P("/work")), -EBUSY);
    assert_int_equal(ctx_paths_readonly(w->ctx, P("/")), 0);
    assert_int_equal(t_mkfile(&w->in, "/work/new", "x"), -EROFS);
    assert_string_equal(t_read(&w->in, "/work/f"), "");
    /* a read-only file */
    assert_int_equal(ctx_paths_readonly(w->ctx, P("/file")), 0);
    assert_int_equal(t_mkfile(&w->in, "/file", "x"), -EROFS);
    assert_string_equal(t_read(&w->in, "/file"), "f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cwd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_stays_inside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mask_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mask_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mask_missing_and_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
