/* vfs-server's request field checks (vfs-server/request_check.c): the
 * answers docs/protocols/vfs.md gives for malformed fields. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "request_check.h"
#include "protocol/vfs.h"
#include "resolve.h"

static void test_path_len(void **state)
{
    (void)state;
    uint64_t len = 99;
    request_t none = {VFS_OPENAT, 3, 0, {0, 0, 0, 7}};
    assert_int_equal(request_path_len(&none, &len), 0); /* MR3 not sent: empty */
    assert_int_equal(len, 0);
    request_t no_desc = {VFS_OPENAT, 4, 0, {0, 0, 0, 7}};
    assert_int_equal(request_path_len(&no_desc, &len), -EFAULT);
    request_t too_long = {VFS_OPENAT, 4, 1, {0, 0, 0, VFS_PATH_MAX}};
    assert_int_equal(request_path_len(&too_long, &len), -ENAMETOOLONG);
    assert_int_equal(request_string_bytes("a\0b", 3), -EINVAL);
}

static void test_rw_args(void **state)
{
    (void)state;
    vfs_rw_args_t rw;
    request_t big = {VFS_READ, 4, 1, {3, UINT64_MAX, 0, 0}};
    assert_int_equal(vfs_rw_args(&big, true, &rw), 0);
    assert_int_equal(rw.count, INT32_MAX);
    request_t pread_pipe = {VFS_READ, 4, 1, {3, 1, 0, VFS_RW_AT}};
    assert_int_equal(vfs_rw_args(&pread_pipe, false, &rw), -ESPIPE);
    request_t negative = {VFS_READ, 4, 1, {3, 1, UINT64_MAX, VFS_RW_AT}};
    assert_int_equal(vfs_rw_args(&negative, true, &rw), -EINVAL);
    request_t flags = {VFS_WRITE, 4, 1, {3, 1, 0, 8}};
    assert_int_equal(vfs_rw_args(&flags, true, &rw), -EINVAL);
    request_t no_buffer = {VFS_WRITE, 4, 0, {3, 1, 0, 0}};
    assert_int_equal(vfs_rw_args(&no_buffer, true, &rw), -EFAULT);
}

static void test_seek_never_overflows(void **state)
{
    (void)state;
    int64_t pos;
    assert_int_equal(vfs_seek(SEEK_END, 0, 100, -10, &pos), 0);
    assert_int_equal(pos, 90);
    assert_int_equal(vfs_seek(SEEK_CUR, INT64_MAX, 0, 1, &pos), -EINVAL);
    assert_int_equal(vfs_seek(SEEK_CUR, INT64_MIN + 1, 0, -2, &pos), -EINVAL);
    assert_int_equal(vfs_seek(SEEK_SET, 5, 5, -1, &pos), -EINVAL);
    assert_int_equal(vfs_seek(3, 0, 0, 0, &pos), -EINVAL);
}

static void test_flags(void **state)
{
    (void)state;
    unsigned rflags;
    assert_int_equal(vfs_at_flags(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
                                  AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, &rflags),
                     0);
    assert_int_equal(rflags, RESOLVE_EMPTY_PATH | RESOLVE_NOFOLLOW);
    assert_int_equal(vfs_at_flags(AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, &rflags), -EINVAL);
    assert_int_equal(vfs_rename_flags(3), -EINVAL); /* NOREPLACE with EXCHANGE */
    assert_int_equal(vfs_rename_flags(4), -EINVAL); /* WHITEOUT */
    int64_t newfd;
    request_t same = {VFS_DUP3, 3, 0, {4, 4, 0}};
    assert_int_equal(vfs_dup3_args(&same, &newfd), -EINVAL);
    request_t range = {VFS_DUP3, 3, 0, {4, 256, 0}};
    assert_int_equal(vfs_dup3_args(&range, &newfd), -EBADF);
    request_t lowest = {VFS_DUP3, 3, 0, {4, UINT64_MAX, O_CLOEXEC}};
    assert_int_equal(vfs_dup3_args(&lowest, &newfd), 0);
    assert_int_equal(newfd, -1);
    unsigned long mflags;
    assert_int_equal(vfs_mount_flags(0xC0ED0000ul | 1, &mflags), 0); /* MS_MGC_VAL dropped */
    assert_int_equal(mflags, 1);
    assert_int_equal(vfs_mount_flags(1ul << 13, &mflags), -EINVAL); /* MS_MOVE */
}

/* VFS_PROC_SPAWN's MR3: a template, its cwd's length, and whether it is a
 * joined mount namespace's (VFS_SPAWN_FOREIGN). */
static void test_spawn_template(void **state)
{
    (void)state;
    vfs_spawn_template_t t;
    request_t req = {.label = VFS_PROC_SPAWN, .length = 3};
    assert_int_equal(vfs_spawn_template_args(&req, &t), 0); /* MR3 not sent: none */
    assert_int_equal(t.pid, 0);
    req.length = 4;
    req.mr[3] = 7 | 5ull << 32 | VFS_SPAWN_FOREIGN;
    assert_int_equal(vfs_spawn_template_args(&req, &t), 0);
    assert_int_equal(t.pid, 7);
    assert_int_equal(t.cwd_len, 5);
    assert_true(t.foreign);
    static const uint64_t bad[] = {VFS_SPAWN_FOREIGN, 5ull << 32, 1ull << 49 | 7, 0x7fffffff,
                                   0xffffffff};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        req.mr[3] = bad[i];
        assert_int_equal(vfs_spawn_template_args(&req, &t), -EINVAL);
        assert_int_equal(t.pid, 0);
    }
}

/* VFS_CTX_MOUNT's MR0: a tmpfs's size= (pages) and mode=, nothing else. */
static void test_ctx_mount_args(void **state)
{
    (void)state;
    vfs_ctx_mount_args_t a;
    uint64_t mode = VFS_CTX_MOUNT_HAS_MODE | 01777ull << VFS_CTX_MOUNT_MODE_SHIFT;
    uint64_t pages = 16ull << VFS_CTX_MOUNT_PAGES_SHIFT;
    assert_int_equal(vfs_ctx_mount_args(MS_RDONLY | mode | pages, true, &a), 0);
    assert_true(a.rdonly && a.has_mode);
    assert_int_equal(a.mode, 01777);
    assert_int_equal(a.bytes, 64 * 1024);
    assert_int_equal(vfs_ctx_mount_args(0, false, &a), 0);
    assert_true(!a.rdonly && !a.has_mode && a.bytes == 0);
    assert_int_equal(vfs_ctx_mount_args(VFS_CTX_MOUNT_HAS_MODE, true, &a), 0); /* mode=0 */
    assert_true(a.has_mode && a.mode == 0);
    assert_int_equal(vfs_ctx_mount_args(mode, false, &a), -EINVAL);  /* not a tmpfs */
    assert_int_equal(vfs_ctx_mount_args(pages, false, &a), -EINVAL); /* not a tmpfs */
    assert_int_equal(vfs_ctx_mount_args(0777ull << VFS_CTX_MOUNT_MODE_SHIFT, true, &a), -EINVAL);
    assert_int_equal(vfs_ctx_mount_args(MS_NOSUID, true, &a), -EINVAL);
    assert_int_equal(vfs_ctx_mount_args(1ull << 29, true, &a), -EINVAL);
    assert_int_equal(vfs_ctx_mount_args(~0ull << VFS_CTX_MOUNT_PAGES_SHIFT, true, &a), 0);
    assert_int_equal(a.bytes, 0xffffffffull * 4096);
}

static int opts(const char *s, vfs_ctx_mount_args_t *a)
{
    return vfs_tmpfs_options(s, strlen(s), a);
}

/* mount -t tmpfs -o ...: size= and mode=, anything else refused. */
static void test_tmpfs_options(void **state)
{
    (void)state;
    vfs_ctx_mount_args_t a;
    assert_int_equal(opts("size=64k,mode=1777", &a), 0);
    assert_int_equal(a.bytes, 64 * 1024);
    assert_true(a.has_mode);
    assert_int_equal(a.mode, 01777);
    assert_int_equal(opts("size=1", &a), 0); /* a whole page */
    assert_int_equal(a.bytes, 4096);
    assert_false(a.has_mode);
    assert_int_equal(opts("size=2M,,size=1g", &a), 0); /* the later wins */
    assert_int_equal(a.bytes, 1ull << 30);
    assert_int_equal(opts("", &a), 0);
    assert_int_equal(opts("size=0", &a), 0);
    assert_int_equal(a.bytes, 0);
    assert_int_equal(opts("mode=0", &a), 0);
    assert_true(a.has_mode && a.mode == 0);
    static const char *const bad[] = {"size=",
                                      "size=10%",
                                      "size=1t",
                                      "size=k",
                                      "size=1kk",
                                      "mode=",
                                      "mode=8",
                                      "mode=17777",
                                      "uid=0",
                                      "nr_inodes=9",
                                      "size=64k,",
                                      "Size=1",
                                      "size=99999999999999999999",
                                      "size=17592186044417"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int err = opts(bad[i], &a);
        if (strcmp(bad[i], "size=64k,") == 0) {
            assert_int_equal(err, 0); /* an empty item is skipped */
        } else {
            assert_int_equal(err, -EINVAL);
        }
    }
    /* VFS_MOUNT's MR0: the data's length above the flags, lent as desc 3 */
    unsigned long flags;
    uint64_t len;
    request_t with = {VFS_MOUNT, 4, 4, {MS_RDONLY | 9ull << 32, 0, 0, 0}};
    assert_int_equal(vfs_mount_args(&with, &flags, &len), 0);
    assert_true(flags == MS_RDONLY && len == 9);
    request_t unlent = {VFS_MOUNT, 4, 3, {9ull << 32, 0, 0, 0}};
    assert_int_equal(vfs_mount_args(&unlent, &flags, &len), -EFAULT);
    request_t long_data = {VFS_MOUNT, 4, 4, {256ull << 32, 0, 0, 0}};
    assert_int_equal(vfs_mount_args(&long_data, &flags, &len), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_len),
        cmocka_unit_test(test_rw_args),
        cmocka_unit_test(test_seek_never_overflows),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_spawn_template),
        cmocka_unit_test(test_ctx_mount_args),
        cmocka_unit_test(test_tmpfs_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
