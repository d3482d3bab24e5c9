/* statfs answers (vfs-server/fs_statfs.c): Linux's magic numbers per type,
 * sizes from a quota, and read-only as the mount or the type says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/statvfs.h>

#include <cmocka.h>

#include "fs_statfs.h"
#include "quota.h"

static void refresh_stub(vnode_t *dir, const char *name, size_t len)
{
    (void)dir, (void)name, (void)len;
}

static void test_magic_per_type(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        long magic;
    } cases[] = {{"ramfs", 0x858458f6},
                 {"tmpfs", 0x01021994},
                 {"devtmpfs", 0x01021994},
                 {"proc", 0x9fa0},
                 {"devfs", 0x1373}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vfs_fs_t fs = {.type = cases[i].type};
        struct statfs st;
        fs_statfs(&fs, false, &st);
        assert_int_equal(st.f_type, cases[i].magic);
        assert_int_equal(st.f_bsize, 4096);
        assert_int_equal(st.f_namelen, 255);
        assert_int_equal(st.f_flags & ST_RDONLY, 0);
    }
    struct statfs st;
    fs_statfs_pipe(&st);
    assert_int_equal(st.f_type, 0x50495045);
}

static void test_sizes_from_quota(void **state)
{
    (void)state;
    quota_t q = {.limit = 40 * 4096, .used = 10 * 4096 + 5};
    vfs_fs_t fs = {.type = "tmpfs", .quota = &q};
    struct statfs st;
    fs_statfs(&fs, false, &st);
    assert_int_equal(st.f_blocks, 40);
    assert_int_equal(st.f_bfree, 29);
    assert_int_equal(st.f_bavail, 29);
    vfs_fs_t unbounded = {.type = "ramfs"};
    fs_statfs(&unbounded, false, &st);
    assert_int_equal(st.f_blocks, 0); /* as Linux's ramfs: nothing but memory bounds it */
}

static void test_read_only(void **state)
{
    (void)state;
    vfs_fs_t fs = {.type = "ramfs"};
    struct statfs st;
    fs_statfs(&fs, true, &st);
    assert_int_equal(st.f_flags & ST_RDONLY, ST_RDONLY);
    vfs_fs_t proc = {.type = "proc", .refresh = refresh_stub};
    fs_statfs(&proc, false, &st);
    assert_int_equal(st.f_flags & ST_RDONLY, ST_RDONLY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_magic_per_type),
        cmocka_unit_test(test_sizes_from_quota),
        cmocka_unit_test(test_read_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
