/* The initrd reader: good archives, hard links, and malformed input of every kind. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "cpio.h"
#include "vfs_fixture.h"

typedef struct archive {
    char buf[65536];
    size_t len;
} archive_t;

static void pad4(archive_t *a)
{
    while (a->len % 4 != 0) {
        a->buf[a->len++] = '\0';
    }
}

/* Appends one newc entry; namesize is given explicitly so tests can lie about it. */
static void add_raw(archive_t *a, const char *magic, uint32_t ino, uint32_t mode, uint32_t nlink,
                    const char *name, uint32_t namesize, const void *data, uint32_t filesize,
                    uint32_t datalen)
{
    a->len +=
        (size_t)sprintf(a->buf + a->len, "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                        magic, ino, mode, 7, 8, nlink, 1234567, filesize, 0, 0, 1, 3, namesize, 0);
    /* namesize bytes of the name, or all of it when namesize claims more */
    size_t n = namesize < strlen(name) + 1 ? namesize : strlen(name) + 1;
    memcpy(a->buf + a->len, name, n);
    a->len += n;
    pad4(a);
    memcpy(a->buf + a->len, data, datalen);
    a->len += datalen;
    pad4(a);
}

static void add(archive_t *a, uint32_t ino, uint32_t mode, uint32_t nlink, const char *name,
                const char *data)
{
    uint32_t n = (uint32_t)strlen(data);
    add_raw(a, "070701", ino, mode, nlink, name, (uint32_t)strlen(name) + 1, data, n, n);
}

static void trailer(archive_t *a)
{
    add(a, 0, 0, 1, "TRAILER!!!", "");
}

typedef struct reports {
    int count;
    char last[128];
} reports_t;

static void on_report(void *arg, uint64_t offset, const char *name, const char *why)
{
    reports_t *r = arg;
    (void)offset;
    r->count++;
    snprintf(r->last, sizeof(r->last), "%s: %s", name, why);
}

typedef struct world {
    vfs_fs_t *fs;
    rootctx_t *ctx;
    tproc_t p;
    archive_t a;
    reports_t r;
    cpio_stats_t stats;
} world_t;

static int setup(void **state)
{
    world_t *w = calloc(1, sizeof(*w));
    w->fs = t_ramfs();
    w->ctx = t_ctx_new(w->fs);
    vfs_fs_put(w->fs);
    t_proc_init(&w->p, w->ctx);
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

static int unpack(world_t *w)
{
    return cpio_unpack(w->a.buf, w->a.len, w->fs->root, on_report, &w->r, &w->stats);
}

static void test_good_archive(void **state)
{
    world_t *w = *state;
    archive_t *a = &w->a;
    add(a, 1, S_IFDIR | 0700, 2, ".", "");
    add(a, 2, S_IFDIR | 0755, 2, "./bin", "");
    add(a, 3, S_IFREG | 0755, 1, "./bin/sh", "#!shell");
    add(a, 4, S_IFLNK | 0777, 1, "bin/ash", "sh");
    add(a, 5, S_IFREG | 0644, 1, "etc/deep/file", "made parents");
    add(a, 6, S_IFCHR | 0600, 1, "dev/console", "");
    add(a, 7, S_IFREG | 0644, 2, "hard1", "");
    add(a, 7, S_IFREG | 0644, 2, "hard2", "shared data");
    add(a, 8, S_IFREG | 0600, 1, "bin/sh", "replaced");
    trailer(a);
    assert_int_equal(unpack(w), 0);
    assert_int_equal(w->r.count, 0);
    assert_int_equal(w->stats.entries, 9);
    tproc_t *p = &w->p;
    assert_string_equal(t_read(p, "/bin/ash"), "replaced");
    assert_string_equal(t_read(p, "/etc/deep/file"), "made parents");
    assert_string_equal(t_read(p, "/hard1"), "shared data");
    assert_ptr_equal(t_vn(p, "/hard1"), t_vn(p, "/hard2"));
    assert_int_equal(t_vn(p, "/hard1")->nlink, 2);
    vnode_t *sh = t_vn(p, "/bin/sh");
    assert_int_equal(sh->mode, S_IFREG | 0600);
    assert_int_equal(sh->uid, 7);
    assert_int_equal(sh->gid, 8);
    assert_int_equal(sh->mtime.tv_sec, 1234567);
    assert_true(vnode_is_symlink(t_vn(p, "/bin/ash")));
    vnode_t *console = t_vn(p, "/dev/console");
    assert_true(S_ISCHR(console->mode));
    assert_int_equal(console->rdev, makedev(1, 3));
    assert_int_equal(w->fs->root->mode, S_IFDIR | 0700);
    assert_int_equal(t_vn(p, "/etc")->mode, S_IFDIR | 0755);
}

static void test_bad_entries_are_skipped(void **state)
{
    world_t *w = *state;
    archive_t *a = &w->a;
    add(a, 1, S_IFREG | 0644, 1, "good1", "1");
    add(a, 2, S_IFREG | 0644, 1, "../escape", "x");
    add(a, 3, S_IFREG | 0644, 1, "a/../../escape", "x");
    add(a, 4, S_IFLNK | 0777, 1, "link", "/");
    add(a, 5, S_IFREG | 0644, 1, "link/through", "x");
    add(a, 6, 0170000 | 0644, 1, "weird", "x");
    add(a, 7, S_IFLNK | 0777, 1, "emptylink", "");
    add(a, 8, S_IFREG | 0644, 1, "good1/under_a_file", "x");
    add(a, 9, S_IFREG | 0644, 1, ".", "x");
    /* namesize says 4 but the name's NUL is elsewhere */
    add_raw(a, "070701", 10, S_IFREG | 0644, 1, "abcdefg", 4, "", 0, 0);
    add(a, 11, S_IFDIR | 0755, 2, "dir", "");
    add(a, 12, S_IFREG | 0644, 1, "dir/f", "in dir");
    add(a, 13, S_IFREG | 0644, 1, "dir", "a file cannot replace a directory");
    add(a, 14, S_IFREG | 0644, 1, "good2", "2");
    trailer(a);
    assert_int_equal(unpack(w), 0);
    assert_int_equal(w->stats.bad, 9);
    assert_int_equal(w->r.count, 9);
    assert_string_equal(w->r.last, "dir: would replace a directory");
    assert_int_equal(w->stats.entries, 5);
    tproc_t *p = &w->p;
    assert_string_equal(t_read(p, "/good1"), "1");
    assert_string_equal(t_read(p, "/dir/f"), "in dir");
    assert_string_equal(t_read(p, "/good2"), "2");
    assert_null(t_vn(p, "/escape"));
    assert_null(t_vn(p, "/through"));
    assert_null(t_vn(p, "/weird"));
}

/* An archive of one good entry followed by a broken one of the kind asked. */
static void broken_archive(archive_t *a, int kind)
{
    add(a, 1, S_IFREG | 0644, 1, "kept", "kept");
    size_t start = a->len;
    switch (kind) {
    case 0: /* truncated header */
        add(a, 2, S_IFREG | 0644, 1, "lost", "x");
        a->len = start + 50;
        break;
    case 1: /* bad magic */
        add_raw(a, "070707", 2, S_IFREG | 0644, 1, "lost", 5, "x", 1, 1);
        break;
    case 2: /* name past the end */
        add_raw(a, "070701", 2, S_IFREG | 0644, 1, "lost", 0x7fffffff, "", 0, 0);
        break;
    case 3: /* huge file size */
        add_raw(a, "070701", 2, S_IFREG | 0644, 1, "lost", 5, "x", 0xffffffff, 1);
        break;
    case 4: /* bad hex digit */
        add(a, 2, S_IFREG | 0644, 1, "lost", "x");
        a->buf[start + 6 + 8 * 6 + 3] = 'g';
        break;
    case 5: /* no trailer */
        break;
    case 6: /* data cut short */
        add(a, 2, S_IFREG | 0644, 1, "lost", "xxxxxxxx");
        a->len -= 6;
        break;
    case 7: /* zero name size */
        add_raw(a, "070701", 2, S_IFREG | 0644, 1, "", 0, "", 0, 0);
        break;
    }
    if (kind != 0 && kind != 5 && kind != 6) {
        trailer(a);
    }
}

static void test_malformed_archives(void **state)
{
    for (int kind = 0; kind < 8; kind++) {
        setup(state);
        world_t *w = *state;
        broken_archive(&w->a, kind);
        assert_int_equal(unpack(w), -EINVAL);
        assert_int_equal(w->r.count, 1);
        assert_string_equal(t_read(&w->p, "/kept"), "kept");
        assert_null(t_vn(&w->p, "/lost"));
        teardown(state);
    }
}

static void test_quota_exhausted(void **state)
{
    (void)state;
    quota_t *q = quota_new(16 * 1024);
    ramfs_opts_t opts = {.quota = q, .root_mode = 0755};
    vfs_fs_t *fs;
    assert_int_equal(ramfs_new(&opts, &fs), 0);
    archive_t *a = calloc(1, sizeof(*a));
    static char big[8192];
    memset(big, 'b', sizeof(big) - 1);
    add(a, 1, S_IFREG | 0644, 1, "small", "s");
    add(a, 2, S_IFREG | 0644, 1, "big1", big);
    add(a, 3, S_IFREG | 0644, 1, "big2", big);
    add(a, 4, S_IFREG | 0644, 1, "big3", big);
    trailer(a);
    reports_t r = {0};
    cpio_stats_t st;
    assert_int_equal(cpio_unpack(a->buf, a->len, fs->root, on_report, &r, &st), 0);
    assert_true(st.bad >= 1);
    assert_true(st.entries >= 2);
    vnode_t *v;
    assert_int_equal(ramfs_lookup(fs->root, "small", 5, &v), 0);
    assert_int_equal(ramfs_lookup(fs->root, "big3", 4, &v), -ENOENT); /* no half-made file */
    free(a);
    vfs_fs_put(fs);
    assert_int_equal(q->used, 0);
    quota_put(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_archive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_entries_are_skipped, setup, teardown),
        cmocka_unit_test(test_malformed_archives),
        cmocka_unit_test(test_quota_exhausted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
