/* ramfs: sparse files, links, unlink while open, rename rules, getdents, times, quota. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ramfs.h"
#include "vfs_fixture.h"

static vnode_t *mk(vnode_t *dir, const char *name, mode_t mode)
{
    vnode_t *v = NULL;
    assert_int_equal(ramfs_mknod(dir, name, strlen(name), mode, 0, 0, 0, &v), 0);
    return v;
}

static vnode_t *look(vnode_t *dir, const char *name)
{
    vnode_t *v = NULL;
    return ramfs_lookup(dir, name, strlen(name), &v) == 0 ? v : NULL;
}

static int rn(vnode_t *od, const char *o, vnode_t *nd, const char *n, unsigned flags)
{
    return ramfs_rename(od, o, strlen(o), nd, n, strlen(n), flags);
}

static void test_sparse_file(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    vnode_t *f = mk(fs->root, "f", S_IFREG | 0644);
    uint64_t far = 1ull << 30;
    assert_int_equal(ramfs_write(f, far, "x", 1), 1);
    struct stat st;
    vnode_stat(f, &st);
    assert_int_equal(st.st_size, far + 1);
    assert_int_equal(st.st_blocks, RAMFS_PAGE_SIZE / 512);
    char buf[8192];
    memset(buf, 0x55, sizeof(buf));
    assert_int_equal(ramfs_read(f, far - 100, buf, sizeof(buf)), 101);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(buf[i], 0);
    }
    assert_int_equal(buf[100], 'x');
    assert_int_equal(ramfs_read(f, far + 1, buf, 1), 0);
    vfs_fs_put(fs);
}

static void test_write_across_pages_and_truncate(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    vnode_t *f = mk(fs->root, "f", 0644);
    static char data[3 * RAMFS_PAGE_SIZE], back[3 * RAMFS_PAGE_SIZE];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (char)(i * 7 + 1);
    }
    assert_int_equal(ramfs_write(f, 100, data, sizeof(data)), sizeof(data));
    assert_int_equal(ramfs_read(f, 100, back, sizeof(back)), sizeof(back));
    assert_memory_equal(data, back, sizeof(data));
    /* Cut in the middle of a page, grow again: the cut part must read as zeros. */
    assert_int_equal(ramfs_truncate(f, 5000), 0);
    assert_int_equal(ramfs_truncate(f, 20000), 0);
    assert_int_equal(ramfs_read(f, 4900, back, 200), 200);
    assert_memory_equal(back, data + 4800, 100);
    for (int i = 100; i < 200; i++) {
        assert_int_equal(back[i], 0);
    }
    assert_int_equal(f->u.file.count, 2); /* pages 0 and 1 only */
    assert_int_equal(ramfs_truncate(f, 0), 0);
    assert_int_equal(f->u.file.count, 0);
    assert_int_equal(ramfs_write(f, RAMFS_MAX_FILE_SIZE, "x", 1), -EFBIG);
    assert_int_equal(ramfs_truncate(f, RAMFS_MAX_FILE_SIZE + 1), -EFBIG);
    assert_int_equal(ramfs_write(fs->root, 0, "x", 1), -EISDIR);
    assert_int_equal(ramfs_truncate(fs->root, 0), -EISDIR);
    vfs_fs_put(fs);
}

static void test_hard_links_and_unlink_while_open(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    vnode_t *d = mk(fs->root, "d", S_IFDIR | 0755);
    vnode_t *f = mk(fs->root, "f", 0644);
    assert_int_equal(ramfs_write(f, 0, "hello", 5), 5);
    assert_int_equal(ramfs_link(d, "g", 1, f), 0);
    assert_int_equal(f->nlink, 2);
    assert_ptr_equal(look(d, "g"), f);
    assert_int_equal(ramfs_link(d, "g", 1, f), -EEXIST);
    assert_int_equal(ramfs_link(fs->root, "dd", 2, d), -EPERM);
    vfs_fs_t *other = t_ramfs();
    assert_int_equal(ramfs_link(other->root, "x", 1, f), -EXDEV);
    vfs_fs_put(other);

    vnode_get(f); /* an open file */
    assert_int_equal(ramfs_unlink(fs->root, "f", 1), 0);
    assert_int_equal(ramfs_unlink(d, "g", 1), 0);
    assert_int_equal(f->nlink, 0);
    char buf[8] = {0};
    assert_int_equal(ramfs_read(f, 0, buf, sizeof(buf)), 5);
    assert_string_equal(buf, "hello");
    assert_int_equal(ramfs_write(f, 5, "!", 1), 1);
    assert_int_equal(ramfs_link(d, "back", 4, f), -ENOENT);
    assert_null(look(fs->root, "f"));
    vnode_put(f); /* freed here: ASan would report a use or a leak */
    vfs_fs_put(fs);
}

static void test_unlink_rmdir_errors(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    vnode_t *root = fs->root;
    vnode_t *d = mk(root, "d", S_IFDIR | 0755);
    mk(d, "f", 0644);
    assert_int_equal(root->nlink, 3);
    assert_int_equal(ramfs_unlink(root, "d", 1), -EISDIR);
    assert_int_equal(ramfs_rmdir(root, "d", 1), -ENOTEMPTY);
    assert_int_equal(ramfs_rmdir(d, "f", 1), -ENOTDIR);
    assert_int_equal(ramfs_unlink(root, "nope", 4), -ENOENT);
    assert_int_equal(ramfs_unlink(d, "f", 1), 0);
    vnode_get(d); /* someone's cwd */
    assert_int_equal(ramfs_rmdir(root, "d", 1), 0);
    assert_int_equal(root->nlink, 2);
    assert_true(vnode_is_removed_dir(d));
    vnode_t *v;
    assert_int_equal(ramfs_lookup(d, "f", 1, &v), -ENOENT);
    assert_int_equal(ramfs_mknod(d, "new", 3, 0644, 0, 0, 0, &v), -ENOENT);
    vnode_put(d);
    char longname[300];
    memset(longname, 'a', sizeof(longname));
    assert_int_equal(ramfs_mknod(root, longname, 256, 0644, 0, 0, 0, &v), -ENAMETOOLONG);
    assert_int_equal(ramfs_mknod(root, longname, 255, 0644, 0, 0, 0, &v), 0);
    assert_int_equal(ramfs_mknod(root, "a/b", 3, 0644, 0, 0, 0, &v), -EINVAL);
    assert_int_equal(ramfs_mknod(root, "..", 2, 0644, 0, 0, 0, &v), -EINVAL);
    assert_int_equal(ramfs_mknod(root, "l", 1, S_IFLNK | 0644, 0, 0, 0, &v), -EINVAL);
    assert_int_equal(ramfs_symlink(root, "l", 1, "", 0, 0, 0, &v), -ENOENT);
    vfs_fs_put(fs);
}

static void test_rename_rules(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    vnode_t *root = fs->root;
    vnode_t *a = mk(root, "a", S_IFDIR | 0755);
    vnode_t *b = mk(a, "b", S_IFDIR | 0755);
    vnode_t *e = mk(root, "empty", S_IFDIR | 0755);
    vnode_t *f = mk(root, "f", 0644);
    mk(root, "g", 0644);
    assert_int_equal(rn(root, "f", root, "a", 0), -EISDIR);
    assert_int_equal(rn(root, "a", root, "f", 0), -ENOTDIR);
    assert_int_equal(rn(root, "empty", root, "a", 0), -ENOTEMPTY);
    assert_int_equal(rn(root, "a", b, "x", 0), -EINVAL);
    assert_int_equal(rn(root, "a", a, "x", 0), -EINVAL);
    assert_int_equal(rn(a, "b", root, "a", 0), -ENOTEMPTY); /* onto its own parent */
    assert_int_equal(rn(root, "nope", root, "x", 0), -ENOENT);
    assert_int_equal(rn(root, "f", root, "g", RAMFS_RENAME_NOREPLACE), -EEXIST);
    assert_int_equal(rn(root, "f", root, "f", 0), 0);
    /* File over file: the old g is gone, f's vnode has the name. */
    assert_int_equal(rn(root, "f", root, "g", 0), 0);
    assert_ptr_equal(look(root, "g"), f);
    assert_null(look(root, "f"));
    /* Two names of one file: nothing happens. */
    assert_int_equal(ramfs_link(root, "h", 1, f), 0);
    assert_int_equal(rn(root, "g", root, "h", 0), 0);
    assert_ptr_equal(look(root, "g"), f);
    assert_ptr_equal(look(root, "h"), f);
    /* Directory over an empty directory, across parents: link counts follow. */
    assert_int_equal(root->nlink, 4);
    assert_int_equal(rn(a, "b", root, "empty", 0), 0);
    assert_ptr_equal(look(root, "empty"), b);
    assert_ptr_equal(b->u.dir.parent, root);
    assert_int_equal(a->nlink, 2);
    assert_int_equal(root->nlink, 4);
    (void)e;
    /* Exchange a file and a directory. */
    assert_int_equal(rn(root, "h", root, "empty", RAMFS_RENAME_EXCHANGE), 0);
    assert_ptr_equal(look(root, "h"), b);
    assert_ptr_equal(look(root, "empty"), f);
    assert_int_equal(rn(root, "h", root, "nope", RAMFS_RENAME_EXCHANGE), -ENOENT);
    assert_int_equal(rn(root, "h", root, "x", RAMFS_RENAME_EXCHANGE | RAMFS_RENAME_NOREPLACE),
                     -EINVAL);
    vfs_fs_t *other = t_ramfs();
    assert_int_equal(rn(root, "h", other->root, "h", 0), -EXDEV);
    vfs_fs_put(other);
    vfs_fs_put(fs);
}

typedef struct seen {
    char names[64][16];
    int count;
    int budget; /* entries the "buffer" takes before it is full */
} seen_t;

static bool collect(void *arg, const char *name, size_t len, uint64_t ino, unsigned char type,
                    uint64_t next)
{
    (void)ino, (void)type, (void)next;
    seen_t *s = arg;
    if (s->budget == 0) {
        return false;
    }
    s->budget--;
    assert_true(len < 16);
    memcpy(s->names[s->count], name, len);
    s->names[s->count][len] = '\0';
    s->count++;
    return true;
}

static int seen_count(const seen_t *s, const char *name)
{
    int n = 0;
    for (int i = 0; i < s->count; i++) {
        n += strcmp(s->names[i], name) == 0;
    }
    return n;
}

static void test_getdents_stable(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    char name[8];
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof(name), "e%d", i);
        mk(fs->root, name, 0644);
    }
    seen_t s = {.budget = 5};
    uint64_t pos = 0;
    assert_int_equal(ramfs_readdir(fs->root, &pos, collect, &s), 0);
    assert_int_equal(s.count, 5); /* ".", "..", e0, e1, e2 */
    /* Remove one already read and one not yet read; add two. */
    assert_int_equal(ramfs_unlink(fs->root, "e1", 2), 0);
    assert_int_equal(ramfs_unlink(fs->root, "e5", 2), 0);
    mk(fs->root, "n1", 0644);
    mk(fs->root, "e1", 0644); /* the same name again: a new entry */
    s.budget = 100;
    assert_int_equal(ramfs_readdir(fs->root, &pos, collect, &s), 0);
    assert_int_equal(seen_count(&s, "."), 1);
    assert_int_equal(seen_count(&s, ".."), 1);
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof(name), "e%d", i);
        if (i != 1 && i != 5) {
            assert_int_equal(seen_count(&s, name), 1);
        }
    }
    assert_int_equal(seen_count(&s, "e5"), 0);
    assert_int_equal(seen_count(&s, "n1"), 1);
    /* Reading again from the end gives nothing. */
    seen_t again = {.budget = 100};
    assert_int_equal(ramfs_readdir(fs->root, &pos, collect, &again), 0);
    assert_int_equal(again.count, 0);
    assert_int_equal(ramfs_readdir(look(fs->root, "e0"), &pos, collect, &again), -ENOTDIR);
    vfs_fs_put(fs);
}

static void test_timestamps(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    vnode_t *root = fs->root;
    struct timespec before = root->mtime;
    vnode_t *f = mk(root, "f", 0644);
    assert_true(root->mtime.tv_sec > before.tv_sec);
    struct timespec m = f->mtime;
    assert_int_equal(ramfs_write(f, 0, "x", 1), 1);
    assert_true(f->mtime.tv_sec > m.tv_sec);
    m = f->mtime;
    vnode_chmod(f, 0600);
    assert_true(f->ctime.tv_sec > m.tv_sec);
    assert_int_equal(f->mtime.tv_sec, m.tv_sec);
    assert_int_equal(f->mode, S_IFREG | 0600);
    struct timespec t[2] = {{1000, 0}, {0, UTIME_OMIT}};
    assert_int_equal(vnode_utimens(f, t), 0);
    assert_int_equal(f->atime.tv_sec, 1000);
    assert_int_equal(f->mtime.tv_sec, m.tv_sec);
    struct timespec bad[2] = {{0, 2000000000}, {0, 0}};
    assert_int_equal(vnode_utimens(f, bad), -EINVAL);
    vnode_chown(f, 5, (gid_t)-1);
    struct stat st;
    vnode_stat(f, &st);
    assert_int_equal(st.st_uid, 5);
    assert_int_equal(st.st_gid, 0);
    assert_int_equal(st.st_atim.tv_sec, 1000);
    vfs_fs_put(fs);
}

/* The content version proc-server keys its executable frames on: new at
 * every write and size change, never seen on another file, untouched by
 * attribute changes and by resetting the mtime. */
static void test_content_version(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    vnode_t *f = mk(fs->root, "f", 0755);
    vnode_t *g = mk(fs->root, "g", 0755);
    assert_int_not_equal(f->version, 0);
    assert_int_not_equal(f->version, g->version);
    uint64_t v = f->version;
    assert_int_equal(ramfs_write(f, 0, "abc", 3), 3);
    assert_true(f->version > v);
    assert_true(f->version > g->version);
    v = f->version;
    assert_int_equal(ramfs_write(f, 0, "xyz", 3), 3); /* same size, other bytes */
    assert_true(f->version > v);
    v = f->version;
    struct timespec t[2] = {{1000, 0}, {1000, 0}};
    assert_int_equal(vnode_utimens(f, t), 0);
    vnode_chmod(f, 0700);
    assert_int_equal(f->version, v);
    assert_int_equal(ramfs_truncate(f, 3), 0); /* no change */
    assert_int_equal(f->version, v);
    assert_int_equal(ramfs_truncate(f, 1), 0);
    assert_true(f->version > v);
    vfs_fs_put(fs);
}

static void test_quota(void **state)
{
    (void)state;
    quota_t *q = quota_new(64 * 1024);
    ramfs_opts_t opts = {.quota = q, .root_mode = 0755};
    vfs_fs_t *fs;
    assert_int_equal(ramfs_new(&opts, &fs), 0);
    vnode_t *f = mk(fs->root, "f", 0644);
    static char big[128 * 1024];
    assert_int_equal(ramfs_write(f, 0, "abc", 3), 3);
    uint64_t used = q->used;
    assert_int_equal(ramfs_write(f, 0, big, sizeof(big)), -ENOSPC);
    assert_int_equal(q->used, used); /* nothing kept of the failed write */
    assert_int_equal(f->u.file.size, 3);
    char back[4] = {0};
    assert_int_equal(ramfs_read(f, 0, back, 3), 3);
    assert_string_equal(back, "abc");
    /* Fill it with pages until it refuses, then check nothing leaks. */
    uint64_t off = 0;
    while (ramfs_write(f, off, "y", 1) == 1) {
        off += RAMFS_PAGE_SIZE;
    }
    vnode_t *v;
    int err = 0;
    for (int i = 0; i < 1000 && err == 0; i++) {
        char name[16];
        snprintf(name, sizeof(name), "n%d", i);
        err = ramfs_mknod(fs->root, name, strlen(name), 0644, 0, 0, 0, &v);
    }
    assert_int_equal(err, -ENOSPC);
    vfs_fs_put(fs);
    assert_int_equal(q->used, 0);
    quota_put(q);
}

/* tmpfs size=: a quota of its own inside the context's; a write must fit
 * both, and whichever refuses, nothing stays charged in either. */
static void test_quota_within(void **state)
{
    (void)state;
    quota_t *outer = quota_new(1024 * 1024);
    quota_t *own = quota_new_within(64 * 1024, outer);
    quota_put(outer); /* `own` holds it */
    ramfs_opts_t opts = {.quota = own, .root_mode = 01777};
    vfs_fs_t *fs;
    assert_int_equal(ramfs_new(&opts, &fs), 0);
    assert_int_equal(fs->root->mode & 07777, 01777);
    assert_int_equal(outer->used, own->used);
    vnode_t *f = mk(fs->root, "f", 0644);
    static char block[48 * 1024];
    assert_int_equal(ramfs_write(f, 0, block, sizeof(block)), (ssize_t)sizeof(block));
    assert_int_equal(outer->used, own->used);
    uint64_t used = own->used;
    assert_int_equal(ramfs_write(f, sizeof(block), block, sizeof(block)), -ENOSPC);
    assert_int_equal(own->used, used);
    assert_int_equal(outer->used, used);
    /* the outer quota refuses first: nothing charged in the inner one */
    outer->limit = outer->used + 1024;
    assert_int_equal(ramfs_write(f, sizeof(block), block, 8192), -ENOSPC);
    assert_int_equal(own->used, used);
    vfs_fs_put(fs);
    assert_int_equal(outer->used, 0);
    quota_put(own); /* and with it the outer one: ASan sees any leak */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quota_within),
        cmocka_unit_test(test_sparse_file),
        cmocka_unit_test(test_write_across_pages_and_truncate),
        cmocka_unit_test(test_hard_links_and_unlink_while_open),
        cmocka_unit_test(test_unlink_rmdir_errors),
        cmocka_unit_test(test_rename_rules),
        cmocka_unit_test(test_getdents_stable),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_content_version),
        cmocka_unit_test(test_quota),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
