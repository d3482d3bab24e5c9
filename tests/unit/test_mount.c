/*
 * Mount tables: crossing only through the own table, contexts that never see
 * each other's mounts, EBUSY, lazy unmount lifetime, copy_mount, the mount
 * limit, read-only binds, locked mounts, /proc/mounts.
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

#include <cmocka.h>

#include "vfs_fixture.h"

typedef struct world {
    rootctx_t *ctx;
    tproc_t host;
} world_t;

static int setup(void **state)
{
    world_t *w = calloc(1, sizeof(*w));
    vfs_fs_t *fs = t_ramfs();
    w->ctx = t_ctx_new(fs);
    vfs_fs_put(fs);
    t_proc_init(&w->host, w->ctx);
    assert_int_equal(t_mkdir(&w->host, "/mnt"), 0);
    assert_int_equal(t_mkdir(&w->host, "/mnt/under"), 0);
    assert_int_equal(t_mkdir(&w->host, "/data"), 0);
    assert_int_equal(t_mkfile(&w->host, "/data/f", "data"), 0);
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

/* Mounts a fresh tmpfs at path in p's context. */
static int mount_tmpfs(tproc_t *p, const char *path, unsigned flags)
{
    vfs_path_t at;
    int err = t_resolve(p, path, 0, &at);
    if (err < 0) {
        return err;
    }
    vfs_fs_t *fs = t_ramfs();
    err = rootctx_mount(p->ctx, &at, fs, flags, "tmpfs");
    vfs_fs_put(fs);
    path_put(&at);
    return err;
}

static int bind(tproc_t *to, const char *target, tproc_t *from, const char *source, unsigned flags)
{
    vfs_path_t at, src;
    int err = t_resolve(to, target, 0, &at);
    if (err < 0) {
        return err;
    }
    err = t_resolve(from, source, 0, &src);
    if (err == 0) {
        err = rootctx_bind(to->ctx, &at, &src, flags);
        path_put(&src);
    }
    path_put(&at);
    return err;
}

static int umount(tproc_t *p, const char *path, unsigned flags, mount_caller_t caller)
{
    vfs_path_t at;
    int err = t_resolve(p, path, 0, &at);
    if (err < 0) {
        return err;
    }
    err = rootctx_umount(p->ctx, &at, flags, caller);
    path_put(&at);
    return err;
}

static int remount(tproc_t *p, const char *path, unsigned flags, mount_caller_t caller)
{
    vfs_path_t at;
    int err = t_resolve(p, path, 0, &at);
    if (err < 0) {
        return err;
    }
    err = rootctx_remount(p->ctx, &at, flags, caller);
    path_put(&at);
    return err;
}

static void test_mount_and_umount(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(mount_tmpfs(p, "/mnt", 0), 0);
    assert_null(t_vn(p, "/mnt/under"));
    assert_int_equal(t_mkfile(p, "/mnt/new", "x"), 0);
    assert_int_equal(w->ctx->count, 2);
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(w->ctx->count, 1);
    assert_non_null(t_vn(p, "/mnt/under"));
    assert_null(t_vn(p, "/mnt/new"));
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), -EINVAL);
    assert_int_equal(umount(p, "/", 0, MOUNT_CALLER_RUNTIME), -EBUSY);
    assert_int_equal(umount(p, "/data", 0, MOUNT_CALLER_INSIDE), -EINVAL);
    /* Stacked mounts come off one at a time, the last one first. */
    assert_int_equal(mount_tmpfs(p, "/mnt", 0), 0);
    assert_int_equal(t_mkfile(p, "/mnt/first", "1"), 0);
    assert_int_equal(mount_tmpfs(p, "/mnt", 0), 0);
    assert_null(t_vn(p, "/mnt/first"));
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), 0);
    assert_non_null(t_vn(p, "/mnt/first"));
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), 0);
    assert_non_null(t_vn(p, "/mnt/under"));
}

static void test_contexts_do_not_share_mounts(void **state)
{
    world_t *w = *state;
    tproc_t *a = &w->host;
    assert_int_equal(mount_tmpfs(a, "/mnt", 0), 0);
    assert_int_equal(t_mkfile(a, "/mnt/in_a", "a"), 0);
    rootctx_t *copy;
    assert_int_equal(rootctx_copy(w->ctx, NULL, &copy), 0);
    tproc_t b;
    t_proc_init(&b, copy);
    rootctx_put(copy);
    /* The copy has the same tree... */
    assert_string_equal(t_read(&b, "/mnt/in_a"), "a");
    /* ...but mounts made afterwards on either side stay on that side. */
    assert_int_equal(mount_tmpfs(&b, "/data", 0), 0);
    assert_null(t_vn(&b, "/data/f"));
    assert_string_equal(t_read(a, "/data/f"), "data");
    assert_int_equal(umount(a, "/mnt", 0, MOUNT_CALLER_INSIDE), 0);
    assert_null(t_vn(a, "/mnt/in_a"));
    assert_string_equal(t_read(&b, "/mnt/in_a"), "a");
    /* A mount point of another context is still busy here. */
    assert_int_equal(t_rmdir(a, "/data"), -EBUSY);
    assert_int_equal(t_rename(a, "/data", "/data2", 0), -EBUSY);
    /* A process of one context cannot name a mount of the other by its path. */
    vfs_path_t r;
    assert_int_equal(t_resolve(&b, "/data", 0, &r), 0);
    assert_int_equal(rootctx_umount(w->ctx, &r, 0, MOUNT_CALLER_RUNTIME), -EINVAL);
    path_put(&r);
    t_proc_fini(&b);
    assert_int_equal(t_unlink(a, "/data/f"), 0);
    assert_int_equal(t_rmdir(a, "/data"), 0);
}

static void test_umount_busy(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(mount_tmpfs(p, "/mnt", 0), 0);
    assert_int_equal(t_mkfile(p, "/mnt/f", "x"), 0);
    assert_int_equal(t_mkdir(p, "/mnt/sub"), 0);
    vfs_path_t open_file;
    assert_int_equal(t_resolve(p, "/mnt/f", 0, &open_file), 0);
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), -EBUSY);
    path_put(&open_file);
    assert_int_equal(t_chdir(p, "/mnt/sub"), 0);
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), -EBUSY);
    assert_int_equal(t_chdir(p, "/"), 0);
    assert_int_equal(mount_tmpfs(p, "/mnt/sub", 0), 0);
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), -EBUSY);
    assert_int_equal(umount(p, "/mnt/sub", 0, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), 0);
}

static void test_lazy_umount_lifetime(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    quota_t *q = quota_new(UINT64_MAX);
    ramfs_opts_t opts = {.quota = q, .root_mode = 0755};
    vfs_fs_t *fs;
    assert_int_equal(ramfs_new(&opts, &fs), 0);
    vfs_path_t at;
    assert_int_equal(t_resolve(p, "/mnt", 0, &at), 0);
    assert_int_equal(rootctx_mount(w->ctx, &at, fs, 0, "tmpfs"), 0);
    path_put(&at);
    vfs_fs_put(fs);
    assert_int_equal(t_mkdir(p, "/mnt/d"), 0);
    assert_int_equal(t_mkfile(p, "/mnt/d/f", "kept"), 0);
    assert_int_equal(mount_tmpfs(p, "/mnt/d", 0), 0); /* a child goes with it */
    vfs_path_t open_file;
    assert_int_equal(t_resolve(p, "/mnt/d/../d/", 0, &open_file), 0);
    path_put(&open_file);
    assert_int_equal(umount(p, "/mnt/d", 0, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(t_resolve(p, "/mnt/d/f", 0, &open_file), 0);
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), -EBUSY);
    assert_int_equal(mount_tmpfs(p, "/mnt/d", 0), 0);
    assert_int_equal(umount(p, "/mnt", UMOUNT_DETACH, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(w->ctx->count, 1);
    /* Gone from the table at once: the name shows what is under it. */
    assert_null(t_vn(p, "/mnt/d"));
    assert_non_null(t_vn(p, "/mnt/under"));
    /* The open file still works, and its file system is still there. */
    char buf[8] = {0};
    assert_int_equal(ramfs_read(open_file.vn, 0, buf, sizeof(buf)), 4);
    assert_string_equal(buf, "kept");
    assert_int_equal(ramfs_write(open_file.vn, 4, "!", 1), 1);
    assert_true(q->used > 0);
    /* A detached mount is in no table: ".." at its root stays there. */
    assert_null(open_file.mnt->ctx);
    path_put(&open_file);
    assert_int_equal(q->used, 0); /* the last reference freed the file system */
    quota_put(q);
}

static void test_copy_mount(void **state)
{
    world_t *w = *state;
    tproc_t *host = &w->host;
    vfs_fs_t *fs = t_ramfs();
    rootctx_t *ctx2 = t_ctx_new(fs);
    vfs_fs_put(fs);
    tproc_t c;
    t_proc_init(&c, ctx2);
    rootctx_put(ctx2);
    assert_int_equal(t_mkdir(&c, "/shared"), 0);
    assert_int_equal(mount_tmpfs(host, "/data", 0), 0); /* hides /data/f in the host */
    assert_int_equal(umount(host, "/data", 0, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(mount_tmpfs(host, "/mnt/under", 0), 0);
    /* The host's /data into the container's /shared. */
    assert_int_equal(bind(&c, "/shared", host, "/data", 0), 0);
    assert_string_equal(t_read(&c, "/shared/f"), "data");
    assert_int_equal(t_mkfile(&c, "/shared/g", "from c"), 0);
    assert_string_equal(t_read(host, "/data/g"), "from c");
    /* ".." at the bind's root goes to the container's /, not the host's. */
    assert_true(t_same(&c, "/shared/..", "/"));
    assert_int_equal(t_chdir(&c, "/shared"), 0);
    assert_true(t_same(&c, "../../..", "/"));
    int err;
    assert_string_equal(t_getcwd(&c, &err), "/shared");
    assert_int_equal(t_chdir(&c, "/"), 0);
    /* Only that directory: the host's sub-mounts elsewhere are not reachable. */
    assert_int_equal(bind(&c, "/shared", host, "/mnt", 0), 0);
    assert_non_null(t_vn(&c, "/shared/under"));
    assert_ptr_not_equal(t_vn(&c, "/shared/under"), t_vn(host, "/mnt/under"));
    /* Renaming across two mounts of one file system is still EXDEV. */
    assert_int_equal(bind(host, "/mnt", host, "/data", 0), 0);
    assert_int_equal(t_rename(host, "/mnt/f", "/data/f2", 0), -EXDEV);
    assert_int_equal(t_link(host, "/mnt/f", "/data/f2"), -EXDEV);
    t_proc_fini(&c);
}

static void test_mount_limit(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(w->ctx->limit, ROOTCTX_DEFAULT_MOUNT_LIMIT);
    int err = 0;
    unsigned made = 0;
    while (err == 0 && made < 2000) {
        err = bind(p, "/mnt", p, "/data", 0);
        made += err == 0;
    }
    assert_int_equal(err, -ENOSPC);
    assert_int_equal(made, ROOTCTX_DEFAULT_MOUNT_LIMIT - 1); /* the root mount counts */
    assert_int_equal(rootctx_set_limit(w->ctx, 10), -EINVAL);
    rootctx_t *copy;
    assert_int_equal(rootctx_copy(w->ctx, NULL, &copy), 0);
    assert_int_equal(copy->count, ROOTCTX_DEFAULT_MOUNT_LIMIT);
    rootctx_put(copy);
    while (umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE) == 0) {
    }
    assert_int_equal(w->ctx->count, 1);
    assert_int_equal(rootctx_set_limit(w->ctx, 2), 0);
    assert_int_equal(mount_tmpfs(p, "/mnt", 0), 0);
    assert_int_equal(mount_tmpfs(p, "/data", 0), -ENOSPC);
}

static void test_readonly_bind(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(bind(p, "/mnt", p, "/data", MOUNT_RDONLY), 0);
    assert_string_equal(t_read(p, "/mnt/f"), "data");
    assert_int_equal(t_mkfile(p, "/mnt/g", "x"), -EROFS);
    assert_int_equal(t_mkdir(p, "/mnt/d"), -EROFS);
    assert_int_equal(t_unlink(p, "/mnt/f"), -EROFS);
    assert_int_equal(t_mkfile(p, "/mnt/f", "x"), -EROFS); /* O_TRUNC of an existing file */
    assert_int_equal(t_rename(p, "/mnt/f", "/mnt/g", 0), -EROFS);
    assert_int_equal(t_mkfile(p, "/data/g", "rw here"), 0);
    assert_string_equal(t_read(p, "/mnt/g"), "rw here");
    /* A bind of a read-only mount is read-only too. */
    assert_int_equal(t_mkdir(p, "/data/sub"), 0);
    assert_int_equal(bind(p, "/data/sub", p, "/mnt", 0), 0);
    assert_int_equal(t_mkfile(p, "/data/sub/h", "x"), -EROFS);
    assert_int_equal(umount(p, "/data/sub", 0, MOUNT_CALLER_INSIDE), 0);
    /* MS_REMOUNT switches it. */
    assert_int_equal(remount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(t_mkfile(p, "/mnt/h", "x"), 0);
    assert_int_equal(remount(p, "/mnt", MOUNT_RDONLY, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(t_mkfile(p, "/mnt/i", "x"), -EROFS);
    assert_int_equal(remount(p, "/mnt/h", 0, MOUNT_CALLER_INSIDE), -EINVAL);
}

static void test_locked_mounts(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(mount_tmpfs(p, "/mnt", MOUNT_LOCKED | MOUNT_RDONLY), 0);
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(umount(p, "/mnt", UMOUNT_DETACH, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(remount(p, "/mnt", 0, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(t_mkdir(p, "/mnt/x"), -EROFS);
    /* Locked survives a copy of the table (a container's own copy cannot unlock it). */
    rootctx_t *copy;
    assert_int_equal(rootctx_copy(w->ctx, NULL, &copy), 0);
    tproc_t c;
    t_proc_init(&c, copy);
    rootctx_put(copy);
    assert_int_equal(umount(&c, "/mnt", 0, MOUNT_CALLER_INSIDE), -EPERM);
    /* a lazy unmount from inside never takes a locked mount along */
    assert_int_equal(mount_tmpfs(&c, "/data", 0), 0);
    assert_int_equal(t_mkdir(&c, "/data/l"), 0);
    assert_int_equal(mount_tmpfs(&c, "/data/l", MOUNT_LOCKED), 0);
    assert_int_equal(umount(&c, "/data", UMOUNT_DETACH, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(umount(&c, "/data", UMOUNT_DETACH, MOUNT_CALLER_RUNTIME), 0);
    /* the copy's read-only is for good, even to the copy's runtime */
    assert_int_equal(remount(&c, "/mnt", 0, MOUNT_CALLER_RUNTIME), -EPERM);
    t_proc_fini(&c);
    assert_int_equal(remount(p, "/mnt", 0, MOUNT_CALLER_RUNTIME), 0);
    assert_int_equal(umount(p, "/mnt", 0, MOUNT_CALLER_RUNTIME), 0);
}

/* A bind of a locked read-only mount stays read-only to those inside: else
 * they would bind it elsewhere and remount the copy writable. */
static void test_locked_readonly_copies(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(bind(p, "/mnt", p, "/data", MOUNT_LOCKED | MOUNT_RDONLY), 0);
    assert_int_equal(t_mkdir(p, "/data/sub"), 0);
    assert_int_equal(bind(p, "/data/sub", p, "/mnt", 0), 0);
    assert_int_equal(remount(p, "/data/sub", 0, MOUNT_CALLER_INSIDE), -EPERM);
    assert_int_equal(t_mkfile(p, "/data/sub/x", "x"), -EROFS);
    /* read-only again is allowed, and the copy is the process's own to remove */
    assert_int_equal(remount(p, "/data/sub", MOUNT_RDONLY, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(umount(p, "/data/sub", 0, MOUNT_CALLER_INSIDE), 0);
    /* the runtime may make it writable: then a copy is free again */
    assert_int_equal(remount(p, "/mnt", 0, MOUNT_CALLER_RUNTIME), 0);
    assert_int_equal(bind(p, "/data/sub", p, "/mnt", 0), 0);
    assert_int_equal(t_mkfile(p, "/data/sub/x", "x"), 0);
}

/* A bind would show what a locked mount on its source hides. */
static void test_bind_reveals_locked(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(t_mkdir(p, "/data/in"), 0);
    assert_int_equal(t_mkdir(p, "/data/in/deep"), 0);
    assert_int_equal(t_mkdir(p, "/data/other"), 0);
    assert_int_equal(mount_tmpfs(p, "/data/in/deep", MOUNT_LOCKED), 0);
    vfs_path_t src;
    assert_int_equal(t_resolve(p, "/data", 0, &src), 0);
    assert_true(rootctx_bind_reveals_locked(&src));
    path_put(&src);
    assert_int_equal(t_resolve(p, "/data/in", 0, &src), 0);
    assert_true(rootctx_bind_reveals_locked(&src));
    path_put(&src);
    assert_int_equal(t_resolve(p, "/data/other", 0, &src), 0);
    assert_false(rootctx_bind_reveals_locked(&src));
    path_put(&src);
    /* an unlocked mount hides nothing a bind must not show */
    assert_int_equal(mount_tmpfs(p, "/data/other", 0), 0);
    assert_int_equal(t_resolve(p, "/", 0, &src), 0);
    assert_true(rootctx_bind_reveals_locked(&src)); /* /data/in/deep is below / */
    path_put(&src);
}

static void test_file_bind_masks(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(t_mkfile(p, "/null", ""), 0);
    assert_int_equal(bind(p, "/data/f", p, "/null", MOUNT_LOCKED), 0);
    assert_string_equal(t_read(p, "/data/f"), "");
    assert_int_equal(t_unlink(p, "/data/f"), -EBUSY);
    assert_int_equal(t_rename(p, "/null", "/data/f", 0), -EBUSY);
    assert_int_equal(bind(p, "/mnt", p, "/null", 0), -ENOTDIR);
    assert_int_equal(bind(p, "/null", p, "/mnt", 0), -ENOTDIR);
}

static void test_proc_mounts(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(mount_tmpfs(p, "/mnt", MOUNT_RDONLY), 0);
    assert_int_equal(t_mkdir(p, "/data/with space"), 0);
    assert_int_equal(bind(p, "/data/with space", p, "/mnt", 0), 0);
    char buf[512];
    size_t n = rootctx_render_mounts(w->ctx, &p->root, buf, sizeof(buf));
    assert_string_equal(buf, "rootfs / tmpfs rw 0 0\n"
                             "tmpfs /mnt tmpfs ro 0 0\n"
                             "tmpfs /data/with\\040space tmpfs ro 0 0\n");
    assert_int_equal(n, strlen(buf));
    /* Truncated output still says how long the whole is. */
    char small[10];
    assert_int_equal(rootctx_render_mounts(w->ctx, &p->root, small, sizeof(small)), n);
    assert_string_equal(small, "rootfs / ");
    /* A chrooted reader sees only what lies below its root, named from there. */
    tproc_t j;
    t_proc_init(&j, w->ctx);
    assert_int_equal(t_chroot(&j, "/data"), 0);
    rootctx_render_mounts(w->ctx, &j.root, buf, sizeof(buf));
    assert_string_equal(buf, "tmpfs /with\\040space tmpfs ro 0 0\n");
    t_proc_fini(&j);
}

static void test_context_dies_before_its_users(void **state)
{
    world_t *w = *state;
    vfs_fs_t *fs = t_ramfs();
    rootctx_t *ctx2 = t_ctx_new(fs);
    vfs_fs_put(fs);
    tproc_t c;
    t_proc_init(&c, ctx2);
    assert_int_equal(mount_tmpfs(&c, "/", 0), 0);
    assert_int_equal(t_mkfile(&c, "/f", "x"), 0);
    vfs_path_t open_file;
    assert_int_equal(t_resolve(&c, "/f", 0, &open_file), 0);
    rootctx_put(ctx2); /* the creator's reference */
    /* The process's reference keeps it; when that goes too, mounts are detached. */
    path_put(&c.cwd);
    path_put(&c.root);
    rootctx_put(c.ctx);
    char buf[2] = {0};
    assert_int_equal(ramfs_read(open_file.vn, 0, buf, 1), 1);
    assert_string_equal(buf, "x");
    path_put(&open_file);
    (void)w;
}

static void test_context_quota(void **state)
{
    (void)state;
    vfs_fs_t *fs = t_ramfs();
    quota_t *q = quota_new(4096);
    rootctx_t *ctx;
    assert_int_equal(rootctx_new(fs, fs->root, "rootfs", 0, q, &ctx), 0);
    vfs_fs_put(fs);
    tproc_t p;
    t_proc_init(&p, ctx);
    rootctx_put(ctx);
    int err = 0;
    for (int i = 0; i < 100 && err == 0; i++) {
        err = bind(&p, "/", &p, "/", 0);
    }
    assert_int_equal(err, -ENOSPC);
    t_proc_fini(&p);
    assert_int_equal(q->used, 0);
    quota_put(q);
}

/* In a file system without a quota (the host's), what a container's process
 * creates or writes is charged to its context's quota, and given back when
 * freed, whoever frees it. */
static void test_requester_pays(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    quota_t *q = quota_new(64 * 1024);
    quota_set_requester(q);
    assert_int_equal(t_mkdir(p, "/box"), 0);
    assert_int_equal(t_mkfile(p, "/data/f2", "written by the container"), 0);
    uint64_t small = q->used;
    assert_true(small > 0);
    vnode_t *host_file = t_vn(p, "/data/f"); /* the host's file, grown by the container */
    static char big[128 * 1024];
    assert_int_equal(ramfs_write(host_file, 4096, big, sizeof(big)), -ENOSPC);
    assert_int_equal(q->used, small); /* a failed write charges nothing */
    assert_int_equal(ramfs_write(host_file, 4096, big, 8192), 8192);
    assert_true(q->used >= small + 8192);
    quota_set_requester(NULL); /* the host frees it: the container gets it back */
    assert_int_equal(ramfs_truncate(host_file, 4), 0);
    assert_int_equal(t_unlink(p, "/data/f2"), 0);
    assert_int_equal(t_rmdir(p, "/box"), 0);
    assert_int_equal(q->used, 0);
    quota_put(q);
}

static int pivot(tproc_t *p, const char *new_root, const char *put_old)
{
    vfs_path_t n, o;
    int err = t_resolve(p, new_root, RESOLVE_DIRECTORY, &n);
    if (err < 0) {
        return err;
    }
    if ((err = t_resolve(p, put_old, RESOLVE_DIRECTORY, &o)) == 0) {
        err = rootctx_pivot(p->ctx, &p->root, &n, &o);
        if (err == 0) { /* what clients_repoint does for every process */
            path_put(&p->root);
            path_put(&p->cwd);
            path_copy(&p->root, &n);
            path_copy(&p->cwd, &n);
        }
        path_put(&o);
    }
    path_put(&n);
    return err;
}

static void test_pivot_root(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(mount_tmpfs(p, "/mnt", 0), 0);
    assert_int_equal(t_mkdir(p, "/mnt/old"), 0);
    assert_int_equal(t_mkfile(p, "/mnt/f", "new"), 0);
    assert_int_equal(mount_tmpfs(p, "/data", 0), 0); /* below the old root: moves with it */
    assert_int_equal(pivot(p, "/mnt", "/mnt/old"), 0);
    assert_string_equal(t_read(p, "/f"), "new");
    assert_null(t_vn(p, "/data"));
    assert_non_null(t_vn(p, "/old/mnt/under"));
    assert_non_null(t_vn(p, "/old/data"));
    /* every mount follows its parent again: the table copies and renders */
    char buf[256];
    rootctx_render_mounts(w->ctx, &p->root, buf, sizeof(buf));
    assert_string_equal(buf, "tmpfs / tmpfs rw 0 0\n"
                             "rootfs /old tmpfs rw 0 0\n"
                             "tmpfs /old/data tmpfs rw 0 0\n");
    rootctx_t *copy;
    assert_int_equal(rootctx_copy(w->ctx, NULL, &copy), 0);
    rootctx_put(copy);
    /* the old root is an ordinary mount now, and can go */
    assert_int_equal(umount(p, "/old", UMOUNT_DETACH, MOUNT_CALLER_INSIDE), 0);
    assert_int_equal(w->ctx->count, 1);
    assert_null(t_vn(p, "/old/mnt"));
}

/* pivot_root(".", "."): the old root lands on the new root itself and the
 * process, still at the new root, sees the new file system. */
static void test_pivot_root_onto_itself(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(mount_tmpfs(p, "/mnt", 0), 0);
    assert_int_equal(t_mkfile(p, "/mnt/f", "new"), 0);
    assert_int_equal(t_chdir(p, "/mnt"), 0);
    assert_int_equal(pivot(p, ".", "."), 0);
    assert_string_equal(t_read(p, "/f"), "new");
    assert_int_equal(w->ctx->count, 2);
    assert_ptr_equal(w->ctx->last->mountpoint, w->ctx->root->root);
}

static void test_pivot_root_errors(void **state)
{
    world_t *w = *state;
    tproc_t *p = &w->host;
    assert_int_equal(mount_tmpfs(p, "/mnt", 0), 0);
    assert_int_equal(t_mkdir(p, "/mnt/old"), 0);
    assert_int_equal(t_mkdir(p, "/mnt/sub"), 0);
    assert_int_equal(t_mkfile(p, "/mnt/file", "x"), 0);
    assert_int_equal(pivot(p, "/data", "/data"), -EBUSY);        /* on the root mount */
    assert_int_equal(pivot(p, "/mnt", "/data"), -EBUSY);         /* put_old on the root mount */
    assert_int_equal(pivot(p, "/mnt/sub", "/mnt/old"), -EINVAL); /* no mount's root */
    assert_int_equal(pivot(p, "/mnt", "/mnt/file"), -ENOTDIR);
    assert_int_equal(mount_tmpfs(p, "/mnt/sub", 0), 0);
    assert_int_equal(pivot(p, "/mnt/sub", "/mnt/old"), -EINVAL); /* put_old not below it */
    assert_int_equal(mount_tmpfs(p, "/mnt/old", MOUNT_LOCKED), 0);
    assert_int_equal(pivot(p, "/mnt/old", "/mnt/old"), -EINVAL); /* locked: covers something */
    tproc_t jailed;
    t_proc_init(&jailed, w->ctx);
    assert_int_equal(t_chroot(&jailed, "/mnt"), 0);
    assert_int_equal(pivot(&jailed, "/sub", "/sub"), -EINVAL); /* a chrooted caller */
    t_proc_fini(&jailed);
    assert_int_equal(w->ctx->count, 4); /* nothing changed */
    assert_ptr_equal(w->ctx->root, w->ctx->first);
}

/* The runtime's lock on a container's root moves to the new root; the old
 * one, read-only, stays read-only for good. */
static void test_pivot_root_moves_the_lock(void **state)
{
    vfs_fs_t *fs = t_ramfs();
    rootctx_t *ctx;
    assert_int_equal(rootctx_new(fs, fs->root, "rootfs", MOUNT_LOCKED, NULL, &ctx), 0);
    vfs_fs_put(fs);
    tproc_t p;
    t_proc_init(&p, ctx);
    rootctx_put(ctx);
    (void)state;
    assert_int_equal(t_mkdir(&p, "/new"), 0);
    assert_int_equal(remount(&p, "/", MOUNT_RDONLY, MOUNT_CALLER_RUNTIME), 0);
    assert_int_equal(mount_tmpfs(&p, "/new", 0), 0);
    assert_int_equal(pivot(&p, "/new", "/new"), 0);
    assert_true(ctx->root->flags & MOUNT_LOCKED);
    assert_false(ctx->last->flags & MOUNT_LOCKED);
    assert_true(ctx->last->flags & MOUNT_RDONLY_LOCKED);
    vfs_path_t old_root = {ctx->last, ctx->last->root};
    assert_int_equal(rootctx_remount(ctx, &old_root, 0, MOUNT_CALLER_INSIDE), -EPERM);
    t_proc_fini(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mount_and_umount, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contexts_do_not_share_mounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_umount_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lazy_umount_lifetime, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_mount, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mount_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_bind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_mounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_readonly_copies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_reveals_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_bind_masks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_proc_mounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_context_dies_before_its_users, setup, teardown),
        cmocka_unit_test(test_context_quota),
        cmocka_unit_test_setup_teardown(test_requester_pays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pivot_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pivot_root_onto_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pivot_root_errors, setup, teardown),
        cmocka_unit_test(test_pivot_root_moves_the_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
