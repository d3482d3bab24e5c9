/*
 * The resolver: ".." at every kind of root, symlink escapes, loops, long names,
 * odd spellings, directories moved out from under a process, foreign contexts,
 * and the create/parent mode.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vfs_fixture.h"

typedef struct world {
    vfs_fs_t *fs;
    rootctx_t *ctx;
    tproc_t host; /* a process at the context root */
} world_t;

/*
 * /etc/passwd ("host"), /jail/{etc/passwd ("jail"), bin/, sub/deep/}, /mnt/
 */
static int setup(void **state)
{
    world_t *w = calloc(1, sizeof(*w));
    w->fs = t_ramfs();
    w->ctx = t_ctx_new(w->fs);
    vfs_fs_put(w->fs);
    t_proc_init(&w->host, w->ctx);
    tproc_t *p = &w->host;
    assert_int_equal(t_mkdir(p, "/etc"), 0);
    assert_int_equal(t_mkfile(p, "/etc/passwd", "host"), 0);
    assert_int_equal(t_mkdir(p, "/jail"), 0);
    assert_int_equal(t_mkdir(p, "/jail/etc"), 0);
    assert_int_equal(t_mkfile(p, "/jail/etc/passwd", "jail"), 0);
    assert_int_equal(t_mkdir(p, "/jail/bin"), 0);
    assert_int_equal(t_mkdir(p, "/jail/sub"), 0);
    assert_int_equal(t_mkdir(p, "/jail/sub/deep"), 0);
    assert_int_equal(t_mkdir(p, "/mnt"), 0);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world_t *w = *state;
    t_proc_fini(&w->host);
    rootctx_put(w->ctx);
    free(w);
    return 0;
}

/* A process chrooted into /jail with its cwd there. */
static void jailed(world_t *w, tproc_t *j)
{
    t_proc_init(j, w->ctx);
    assert_int_equal(t_chroot(j, "/jail"), 0);
    assert_int_equal(t_chdir(j, "/"), 0);
}

static void test_dotdot_at_context_root(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_true(t_same(p, "/..", "/"));
    assert_true(t_same(p, "../../..", "/"));
    assert_true(t_same(p, "/etc/../../../etc", "/etc"));
    assert_true(t_same(p, "/jail/sub/deep/../../..", "/"));
}

static void test_dotdot_at_process_root(void **state)
{
    world_t *w = *state;
    tproc_t j;
    jailed(w, &j);
    assert_string_equal(t_read(&j, "/etc/passwd"), "jail");
    assert_string_equal(t_read(&j, "/../../etc/passwd"), "jail");
    assert_string_equal(t_read(&j, "../../../etc/passwd"), "jail");
    assert_int_equal(t_chdir(&j, "sub/deep"), 0);
    assert_string_equal(t_read(&j, "../../../../../etc/passwd"), "jail");
    int err;
    assert_string_equal(t_getcwd(&j, &err), "/sub/deep");
    t_proc_fini(&j);
}

static void test_dotdot_at_mount_root(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    vfs_path_t mnt;
    assert_int_equal(t_resolve(p, "/mnt", 0, &mnt), 0);
    vfs_fs_t *tmp = t_ramfs();
    assert_int_equal(rootctx_mount(w->ctx, &mnt, tmp, 0, "tmpfs"), 0);
    vfs_fs_put(tmp);
    path_put(&mnt);
    assert_int_equal(t_mkdir(p, "/mnt/x"), 0);
    assert_ptr_equal(t_vn(p, "/mnt"), tmp->root);
    assert_true(t_same(p, "/mnt/..", "/"));
    assert_true(t_same(p, "/mnt/x/../../etc", "/etc"));
    assert_int_equal(t_chdir(p, "/mnt/x"), 0);
    int err;
    assert_string_equal(t_getcwd(p, &err), "/mnt/x");
    assert_true(t_same(p, "../..", "/"));
    assert_int_equal(t_chdir(p, "/"), 0);
}

static void test_symlink_escapes(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(t_symlink(p, "/etc/passwd", "/jail/bin/abs"), 0);
    assert_int_equal(t_symlink(p, "../../../../../../etc/passwd", "/jail/bin/rel"), 0);
    assert_int_equal(t_symlink(p, "/", "/jail/bin/slash"), 0);
    assert_int_equal(t_symlink(p, "slash/../../..", "/jail/bin/chain1"), 0);
    assert_int_equal(t_symlink(p, "chain1/etc/passwd", "/jail/bin/chain2"), 0);
    assert_int_equal(t_symlink(p, "..", "/jail/sub/up"), 0);
    tproc_t j;
    jailed(w, &j);
    assert_string_equal(t_read(&j, "/bin/abs"), "jail");
    assert_string_equal(t_read(&j, "/bin/rel"), "jail");
    assert_string_equal(t_read(&j, "/bin/chain2"), "jail");
    assert_string_equal(t_read(&j, "/bin/slash/../etc/passwd"), "jail");
    assert_string_equal(t_read(&j, "/sub/up/sub/up/../../etc/passwd"), "jail");
    assert_true(t_same(&j, "/bin/chain1", "/"));
    /* The same links seen by the host lead to the host's files. */
    assert_string_equal(t_read(p, "/jail/bin/abs"), "host");
    assert_string_equal(t_read(p, "/jail/bin/rel"), "host");
    t_proc_fini(&j);
}

static void test_symlink_loops(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    vfs_path_t r;
    assert_int_equal(t_symlink(p, "b", "/a"), 0);
    assert_int_equal(t_symlink(p, "a", "/b"), 0);
    assert_int_equal(t_symlink(p, "self", "/self"), 0);
    assert_int_equal(t_resolve(p, "/a", 0, &r), -ELOOP);
    assert_int_equal(t_resolve(p, "/self/x", 0, &r), -ELOOP);
    assert_int_equal(t_resolve(p, "/a", RESOLVE_NOFOLLOW, &r), 0);
    path_put(&r);
    assert_int_equal(t_resolve(p, "/a/", RESOLVE_NOFOLLOW, &r), -ELOOP);
    /* A chain of exactly 40 links resolves; 41 do not. */
    char name[32], target[32];
    assert_int_equal(t_symlink(p, "/etc", "/l0"), 0);
    for (int i = 1; i <= 40; i++) {
        snprintf(name, sizeof(name), "/l%d", i);
        snprintf(target, sizeof(target), "l%d", i - 1);
        assert_int_equal(t_symlink(p, target, name), 0);
    }
    assert_true(t_same(p, "/l39", "/etc"));
    assert_int_equal(t_resolve(p, "/l40", 0, &r), -ELOOP);
}

static void test_long_names(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    vfs_path_t r;
    static char path[VFS_PATH_MAX + 16];
    memset(path, 'a', sizeof(path));
    path[0] = '/';
    path[257] = '\0';
    assert_int_equal(t_resolve(p, path, 0, &r), -ENAMETOOLONG); /* 256-byte component */
    path[256] = '\0';
    assert_int_equal(t_resolve(p, path, 0, &r), -ENOENT);
    assert_int_equal(t_mkdir(p, path), 0);
    assert_int_equal(t_resolve(p, path, 0, &r), 0);
    path_put(&r);
    /* 4096 bytes: too long however it is spelled; 4095 is walked. */
    for (int i = 0; i < VFS_PATH_MAX; i += 2) {
        path[i] = '.';
        path[i + 1] = '/';
    }
    path[VFS_PATH_MAX] = '\0';
    assert_int_equal(t_resolve(p, path, 0, &r), -ENAMETOOLONG);
    path[VFS_PATH_MAX - 1] = '\0';
    assert_int_equal(t_resolve(p, path, 0, &r), 0);
    path_put(&r);
    /* A link target plus the rest may pass 4096: Linux allows it, so do we. */
    memset(path, '/', 4000);
    memcpy(path + 4000, "etc", 4);
    assert_int_equal(t_symlink(p, path, "/longlink"), 0);
    memset(path, '/', 4000);
    memcpy(path, "/longlink", 9);
    memcpy(path + 4000, "passwd", 7);
    assert_string_equal(t_read(p, path), "host");
}

static void test_odd_spellings(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    vfs_path_t r;
    assert_true(t_same(p, "//etc//passwd", "/etc/passwd"));
    assert_true(t_same(p, "/./etc/./", "/etc"));
    assert_true(t_same(p, "/etc/.", "/etc"));
    assert_true(t_same(p, "///", "/"));
    assert_true(t_same(p, ".", "/"));
    assert_int_equal(t_resolve(p, "/etc/passwd/", 0, &r), -ENOTDIR);
    assert_int_equal(t_resolve(p, "/etc/passwd/.", 0, &r), -ENOTDIR);
    assert_int_equal(t_resolve(p, "/etc/passwd/..", 0, &r), -ENOTDIR);
    assert_int_equal(t_resolve(p, "/etc/passwd", RESOLVE_DIRECTORY, &r), -ENOTDIR);
    assert_int_equal(t_resolve(p, "", 0, &r), -ENOENT);
    assert_int_equal(t_resolve(p, "/nope/x", 0, &r), -ENOENT);
    assert_int_equal(t_resolve(p, "", RESOLVE_EMPTY_PATH, &r), 0);
    assert_true(path_equal(&r, &p->cwd));
    path_put(&r);
    /* A path with a NUL ends there. */
    resolve_req_t req = {w->ctx, &p->root, &p->cwd, "/etc\0/passwd", 12, 0};
    assert_int_equal(resolve_path(&req, &r), 0);
    assert_ptr_equal(r.vn, t_vn(p, "/etc"));
    path_put(&r);
    /* A trailing slash follows a final link even with NOFOLLOW. */
    assert_int_equal(t_symlink(p, "/etc", "/etclink"), 0);
    assert_int_equal(t_resolve(p, "/etclink/", RESOLVE_NOFOLLOW, &r), 0);
    assert_ptr_equal(r.vn, t_vn(p, "/etc"));
    path_put(&r);
    assert_int_equal(t_resolve(p, "/etclink", RESOLVE_NOFOLLOW, &r), 0);
    assert_true(vnode_is_symlink(r.vn));
    path_put(&r);
    assert_int_equal(t_symlink(p, "/etc/passwd/", "/slashlink"), 0);
    assert_int_equal(t_resolve(p, "/slashlink", 0, &r), -ENOTDIR);
}

static void test_moved_out_from_under_cwd(void **state)
{
    world_t *w = *state;
    tproc_t *host = &w->host;
    tproc_t j;
    jailed(w, &j);
    assert_int_equal(t_chdir(&j, "/sub/deep"), 0);
    int err;
    assert_string_equal(t_getcwd(&j, &err), "/sub/deep");
    assert_int_equal(t_rename(host, "/jail/sub", "/escaped", 0), 0);
    /* Its cwd now lies outside its root: nothing relative resolves, ".." least of all. */
    vfs_path_t r;
    assert_int_equal(t_resolve(&j, "..", 0, &r), -ENOENT);
    assert_int_equal(t_resolve(&j, "../../etc/passwd", 0, &r), -ENOENT);
    assert_int_equal(t_resolve(&j, ".", 0, &r), -ENOENT);
    assert_null(t_getcwd(&j, &err));
    assert_int_equal(err, -ENOENT);
    assert_string_equal(t_read(&j, "/etc/passwd"), "jail");
    /* Moved back, it works again. */
    assert_int_equal(t_rename(host, "/escaped", "/jail/sub", 0), 0);
    assert_string_equal(t_read(&j, "../../etc/passwd"), "jail");
    t_proc_fini(&j);
}

static void test_removed_cwd(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(t_mkdir(p, "/gone"), 0);
    assert_int_equal(t_chdir(p, "/gone"), 0);
    assert_int_equal(t_rmdir(p, "/gone"), 0);
    vfs_path_t r;
    assert_int_equal(t_resolve(p, "..", 0, &r), -ENOENT);
    assert_int_equal(t_mkfile(p, "f", "x"), -ENOENT);
    int err;
    assert_null(t_getcwd(p, &err));
    assert_int_equal(err, -ENOENT);
    assert_int_equal(t_chdir(p, "/"), 0);
}

static void test_foreign_context_start(void **state)
{
    world_t *w = *state;
    vfs_fs_t *fs2 = t_ramfs();
    rootctx_t *ctx2 = t_ctx_new(fs2);
    vfs_fs_put(fs2);
    tproc_t other;
    t_proc_init(&other, ctx2);
    vfs_path_t etc, r;
    assert_int_equal(t_resolve(&w->host, "/etc", 0, &etc), 0);
    /* A descriptor from the host's context used as dirfd in ctx2. */
    assert_int_equal(t_resolve_at(&other, &etc, "passwd", 0, &r), -EXDEV);
    assert_int_equal(t_resolve_at(&other, &etc, "", RESOLVE_EMPTY_PATH, &r), -EXDEV);
    /* An absolute path ignores the dirfd, as in Linux. */
    assert_int_equal(t_resolve_at(&other, &etc, "/", 0, &r), 0);
    assert_ptr_equal(r.vn, fs2->root);
    path_put(&r);
    path_put(&etc);
    t_proc_fini(&other);
    rootctx_put(ctx2);
}

static void test_create_mode(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    resolve_result_t res;
    resolve_req_t req = {w->ctx, &p->root, &p->cwd, "/etc/new/", 9, RESOLVE_CREATE};
    assert_int_equal(resolve(&req, &res), 0);
    assert_null(res.obj.vn);
    assert_int_equal(res.last, RESOLVE_LAST_NORM);
    assert_string_equal(res.name, "new");
    assert_true(res.trailing_slash);
    assert_ptr_equal(res.parent.vn, t_vn(p, "/etc"));
    resolve_result_put(&res);
    /* A dangling final link: create follows it to its target's parent and name. */
    assert_int_equal(t_symlink(p, "/jail/made", "/dangling"), 0);
    req.path = "/dangling";
    req.len = 9;
    assert_int_equal(resolve(&req, &res), 0);
    assert_null(res.obj.vn);
    assert_string_equal(res.name, "made");
    assert_ptr_equal(res.parent.vn, t_vn(p, "/jail"));
    resolve_result_put(&res);
    req.flags = RESOLVE_CREATE | RESOLVE_NOFOLLOW;
    assert_int_equal(resolve(&req, &res), 0);
    assert_non_null(res.obj.vn);
    assert_true(vnode_is_symlink(res.obj.vn));
    resolve_result_put(&res);
    req.path = "/etc/..";
    req.len = 7;
    assert_int_equal(resolve(&req, &res), 0);
    assert_int_equal(res.last, RESOLVE_LAST_DOTDOT);
    assert_null(res.parent.mnt);
    resolve_result_put(&res);
    req.path = "//";
    req.len = 2;
    assert_int_equal(resolve(&req, &res), 0);
    assert_int_equal(res.last, RESOLVE_LAST_ROOT);
    resolve_result_put(&res);
    req.path = "/nope/x";
    req.len = 7;
    assert_int_equal(resolve(&req, &res), -ENOENT);
}

static void test_fsops_special_names(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(t_mkdir(p, "/"), -EEXIST);
    assert_int_equal(t_mkdir(p, "/etc/.."), -EEXIST);
    assert_int_equal(t_mkdir(p, "/etc"), -EEXIST);
    assert_int_equal(t_rmdir(p, "/"), -EBUSY);
    assert_int_equal(t_rmdir(p, "/etc/."), -EINVAL);
    assert_int_equal(t_rmdir(p, "/etc/.."), -ENOTEMPTY);
    assert_int_equal(t_unlink(p, "/etc"), -EISDIR);
    assert_int_equal(t_unlink(p, "/etc/passwd/"), -ENOTDIR);
    assert_int_equal(t_rename(p, "/etc/.", "/x", 0), -EBUSY);
    assert_int_equal(t_rename(p, "/etc/passwd", "/x/", 0), -ENOTDIR);
    assert_int_equal(t_mkfile(p, "/etc/newfile/", "x"), -EISDIR);
    assert_int_equal(t_mkdir(p, "/etc/newdir/"), 0);
    assert_int_equal(t_link(p, "/etc", "/etc2"), -EPERM);
    assert_int_equal(t_link(p, "/etc/passwd", "/pw"), 0);
    assert_string_equal(t_read(p, "/pw"), "host");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dotdot_at_context_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotdot_at_process_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotdot_at_mount_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_loops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_odd_spellings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_moved_out_from_under_cwd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_cwd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_context_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fsops_special_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
