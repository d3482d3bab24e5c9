/*
 * devfs: an instance's tree (the devices with Linux's numbers and modes,
 * pts/ and shm/, the links into /proc/self/fd), mknod allowed only for the
 * instance's own devices, instances independent of each other, and the
 * type names /proc/mounts shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "devfs.h"
#include "vfs_fixture.h"

typedef struct world {
    rootctx_t *ctx;
    tproc_t p;
} world_t;

static int mount_devfs(tproc_t *p, const char *at_path, const char *type,
                       const devfs_device_t *devices)
{
    vfs_path_t at;
    int err = t_resolve(p, at_path, 0, &at);
    if (err != 0) {
        return err;
    }
    devfs_opts_t opts = {.type = type, .devices = devices, .clock = fake_clock};
    vfs_fs_t *fs;
    if ((err = devfs_new(&opts, &fs)) == 0) {
        err = rootctx_mount(p->ctx, &at, fs, 0, "dev");
        vfs_fs_put(fs);
    }
    path_put(&at);
    return err;
}

static int setup(void **state)
{
    world_t *w = calloc(1, sizeof(*w));
    vfs_fs_t *fs = t_ramfs();
    w->ctx = t_ctx_new(fs);
    vfs_fs_put(fs);
    t_proc_init(&w->p, w->ctx);
    assert_int_equal(t_mkdir(&w->p, "/dev"), 0);
    assert_int_equal(t_mkdir(&w->p, "/dev2"), 0);
    assert_int_equal(mount_devfs(&w->p, "/dev", "devtmpfs", devfs_default_devices), 0);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world_t *w = *state;
    t_proc_fini(&w->p);
    rootctx_put(w->ctx);
    free(w);
    return 0;
}

static int mknod_at(tproc_t *p, const char *path, mode_t mode, dev_t dev)
{
    vfs_caller_t c = {p->ctx, &p->root, &p->cwd, 0, 0, 0};
    vfs_name_t n = {NULL, path, strlen(path)};
    return fsops_mknodat(&c, &n, mode, dev);
}

static void expect_char(tproc_t *p, const char *path, unsigned major, unsigned minor, mode_t perm)
{
    vnode_t *v = t_vn(p, path);
    assert_non_null(v);
    assert_true(S_ISCHR(v->mode));
    assert_int_equal(v->mode & 07777, perm);
    assert_int_equal(v->rdev, major << 8 | minor);
}

static void expect_link(tproc_t *p, const char *path, const char *target)
{
    vnode_t *v = t_vn(p, path);
    assert_non_null(v);
    char buf[64];
    ssize_t n = ramfs_readlink(v, buf, sizeof(buf));
    assert_int_equal(n, strlen(target));
    assert_memory_equal(buf, target, (size_t)n);
}

static void test_tree(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->p;
    expect_char(p, "/dev/null", 1, 3, 0666);
    expect_char(p, "/dev/zero", 1, 5, 0666);
    expect_char(p, "/dev/full", 1, 7, 0666);
    expect_char(p, "/dev/random", 1, 8, 0666);
    expect_char(p, "/dev/urandom", 1, 9, 0666);
    expect_char(p, "/dev/tty", 5, 0, 0666);
    expect_char(p, "/dev/console", 5, 1, 0600);
    expect_char(p, "/dev/ptmx", 5, 2, 0666);
    vnode_t *pts = t_vn(p, "/dev/pts"), *shm = t_vn(p, "/dev/shm");
    assert_non_null(pts);
    assert_non_null(shm);
    assert_int_equal(pts->mode, S_IFDIR | 0755);
    assert_int_equal(shm->mode, S_IFDIR | 01777);
    assert_int_equal(pts->u.dir.count, 0); /* no pseudo-terminals yet */
    expect_link(p, "/dev/fd", "/proc/self/fd");
    expect_link(p, "/dev/stdin", "/proc/self/fd/0");
    expect_link(p, "/dev/stdout", "/proc/self/fd/1");
    expect_link(p, "/dev/stderr", "/proc/self/fd/2");
    assert_int_equal(t_vn(p, "/dev")->mode, S_IFDIR | 0755);
}

/* Device nodes only for the instance's devices; everything else as tmpfs. */
static void test_mknod_rule(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->p;
    assert_int_equal(mknod_at(p, "/dev/null2", S_IFCHR | 0666, 1 << 8 | 3), 0);
    expect_char(p, "/dev/null2", 1, 3, 0666);
    assert_int_equal(mknod_at(p, "/dev/mem", S_IFCHR | 0600, 1 << 8 | 1), -EPERM);
    assert_int_equal(mknod_at(p, "/dev/sda", S_IFBLK | 0600, 8 << 8 | 0), -EPERM);
    /* a slave's node is made only by opening /dev/ptmx: never forged */
    assert_int_equal(mknod_at(p, "/dev/pts/0", S_IFCHR | 0620, 136 << 8 | 0), -EPERM);
    assert_null(t_vn(p, "/dev/mem"));
    assert_int_equal(mknod_at(p, "/dev/null", S_IFCHR | 0666, 1 << 8 | 3), -EEXIST);
    assert_int_equal(mknod_at(p, "/dev/fifo", S_IFIFO | 0600, 0), 0);
    assert_int_equal(t_mkfile(p, "/dev/shm/segment", "shared"), 0);
    assert_string_equal(t_read(p, "/dev/shm/segment"), "shared");
    assert_int_equal(t_unlink(p, "/dev/null2"), 0);
    /* outside devfs a node of any number can be made, as before */
    assert_int_equal(mknod_at(p, "/mem", S_IFCHR | 0600, 1 << 8 | 1), 0);
}

/* A device set without the console: a container's /dev never has the host's. */
static void test_own_set(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->p;
    static const devfs_device_t no_console[] = {{"null", 1 << 8 | 3, 0666}, {NULL, 0, 0}};
    assert_int_equal(mount_devfs(p, "/dev2", "devfs", no_console), 0);
    expect_char(p, "/dev2/null", 1, 3, 0666);
    assert_null(t_vn(p, "/dev2/console"));
    assert_int_equal(mknod_at(p, "/dev2/console", S_IFCHR | 0600, 5 << 8 | 1), -EPERM);
    assert_int_equal(mknod_at(p, "/dev/console2", S_IFCHR | 0600, 5 << 8 | 1), 0);
    /* instances share nothing */
    assert_int_equal(t_mkfile(p, "/dev2/shm/x", "x"), 0);
    assert_null(t_vn(p, "/dev/shm/x"));
    char buf[256];
    rootctx_render_mounts(w->ctx, &p->root, buf, sizeof(buf));
    assert_string_equal(buf, "rootfs / tmpfs rw 0 0\n"
                             "dev /dev devtmpfs rw 0 0\n"
                             "dev /dev2 devfs rw 0 0\n");
}

/* A container's devfs: the OCI default devices, pts/, never the console. */
static void test_context_set(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->p;
    assert_int_equal(mount_devfs(p, "/dev2", "devtmpfs", devfs_context_devices), 0);
    expect_char(p, "/dev2/null", 1, 3, 0666);
    expect_char(p, "/dev2/zero", 1, 5, 0666);
    expect_char(p, "/dev2/full", 1, 7, 0666);
    expect_char(p, "/dev2/random", 1, 8, 0666);
    expect_char(p, "/dev2/urandom", 1, 9, 0666);
    expect_char(p, "/dev2/tty", 5, 0, 0666);
    expect_char(p, "/dev2/ptmx", 5, 2, 0666);
    assert_non_null(t_vn(p, "/dev2/pts"));
    assert_null(t_vn(p, "/dev2/console"));
    assert_int_equal(mknod_at(p, "/dev2/console", S_IFCHR | 0600, 5 << 8 | 1), -EPERM);
    /* its console: a pty slave's node made by the server, replacing what is there */
    vfs_path_t at;
    assert_int_equal(t_resolve(p, "/dev2", 0, &at), 0);
    assert_ptr_equal(at.vn, at.mnt->root);
    assert_int_equal(devfs_set_console(at.mnt->fs, 3), 0);
    expect_char(p, "/dev2/console", 136, 3, 0620);
    assert_int_equal(t_vn(p, "/dev2/console")->gid, 5);
    assert_int_equal(t_unlink(p, "/dev2/console"), 0);
    assert_int_equal(t_symlink(p, "/etc/passwd", "/dev2/console"), 0);
    assert_int_equal(devfs_set_console(at.mnt->fs, 4), 0); /* never follows it */
    expect_char(p, "/dev2/console", 136, 4, 0620);
    assert_int_equal(t_unlink(p, "/dev2/console"), 0);
    assert_int_equal(t_mkdir(p, "/dev2/console"), 0);
    assert_int_equal(devfs_set_console(at.mnt->fs, 4), -EEXIST);
    assert_int_equal(devfs_set_console(p->root.mnt->fs, 4), -EINVAL); /* not a devfs */
    path_put(&at);
}

static void test_type_names(void **state)
{
    (void)state;
    assert_true(devfs_is_type("devtmpfs"));
    assert_true(devfs_is_type("devfs"));
    assert_false(devfs_is_type("dev"));
    assert_false(devfs_is_type("tmpfs"));
    assert_false(devfs_is_type(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mknod_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_context_set, setup, teardown),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
