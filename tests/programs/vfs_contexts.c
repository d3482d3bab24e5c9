/*
 * VFS root contexts through vfs-server's requests (libc/capsule's
 * vfs_client): a context whose `/` is /ctxroot of the host, with proc and
 * tmpfs mounted and a host directory bound inside, and this program spawned
 * into it (read from the context's /bin, never the host's). Runs as
 * /sbin/init; the same binary is /ctxroot/bin/vfs-contexts, run with
 * "inside". Each role's exit status is its failure count.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capsule/syscall.h"
#include "capsule/vfs_client.h"
#include "protocol/posix_runtime.h"
#include "uapi/bootinfo.h"
#include "uapi/invocations.h"
#include "uapi/objects.h"

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("contexts: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno);             \
        }                                                                                          \
    } while (0)

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool file_has(const char *path, const char *needle)
{
    static char buf[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return false;
    }
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return strstr(buf, needle) != NULL;
}

/* `/` holds exactly what /ctxroot holds (and the mount points made in it). */
static void check_root_listing(void)
{
    static const char *const expected[] = {"bin", "etc",  "hello",   "escape", "proc",
                                           "tmp", "made", "hostetc", "dev"};
    DIR *d = opendir("/");
    CHECK(d != NULL);
    unsigned seen = 0, others = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        bool known = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
        for (unsigned i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
            if (strcmp(e->d_name, expected[i]) == 0) {
                seen |= 1u << i;
                known = true;
            }
        }
        if (!known) {
            printf("contexts: unexpected /%s inside\n", e->d_name);
            others++;
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    CHECK(seen == 0x1ff);
    CHECK(others == 0);
}

static int as_inside(void)
{
    check_root_listing();
    CHECK(!exists("/sbin") && !exists("/ctxroot"));
    CHECK(file_has("/hello", "inside the context"));
    /* `..` at the root stays there */
    struct stat root, up;
    CHECK(stat("/", &root) == 0 && stat("/../..", &up) == 0);
    CHECK(root.st_ino == up.st_ino && root.st_dev == up.st_dev);
    char cwd[256];
    CHECK(chdir("/../../..") == 0 && getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/") == 0);
    /* /escape -> /../../etc resolves inside: the context's /etc */
    CHECK(exists("/escape/inside"));
    errno = 0;
    CHECK(!exists("/escape/host-secret") && errno == ENOENT);
    /* its own /proc, locked: nothing inside may unmount it */
    CHECK(file_has("/proc/self/stat", "vfs-contexts"));
    CHECK(file_has("/proc/mounts", " /proc proc "));
    CHECK(!file_has("/proc/mounts", "ctxroot"));
    errno = 0;
    CHECK(umount("/proc") == -1 && errno == EINVAL);
    /* the host directory bound read-only */
    CHECK(file_has("/hostetc/host-secret", "capsule"));
    errno = 0;
    CHECK(open("/hostetc/host-secret", O_WRONLY) == -1 && errno == EROFS);
    /* its own devfs: the OCI default devices, never the host's console */
    CHECK(exists("/dev/null") && exists("/dev/urandom") && exists("/dev/tty"));
    errno = 0;
    CHECK(!exists("/dev/console") && errno == ENOENT);
    /* its tmpfs: the host never sees this file */
    int fd = open("/tmp/written", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0 && write(fd, "x", 1) == 1);
    close(fd);
    CHECK(exists("/tmp/written"));
    return failures;
}

static int64_t raw(uint64_t cap, uint64_t label, uint64_t len, uint64_t a, uint64_t b, uint64_t c,
                   uint64_t d)
{
    capsule_vfs_raw_t r = {.label = label, .length = len, .mr = {a, b, c, d}};
    return capsule_vfs_raw(cap, &r, NULL);
}

static void build_context(capsule_obj_t *ctx)
{
    CHECK(capsule_vfs_context_create("/ctxroot", ctx) == 0);
    /* mkdir -p inside: `..` cannot climb out of the context */
    CHECK(capsule_vfs_context_mkdir(ctx, "/../../made/a/b", 0755) == 0);
    CHECK(exists("/ctxroot/made/a/b") && !exists("/made"));
    CHECK(capsule_vfs_context_mkdir(ctx, "/hello/x", 0755) == -ENOTDIR);
    CHECK(capsule_vfs_context_mount(ctx, "proc", NULL, "/proc", false) == 0);
    CHECK(capsule_vfs_context_mount(ctx, "tmpfs", "ctxtmp", "/tmp", false) == 0);
    CHECK(capsule_vfs_context_mkdir(ctx, "/hostetc", 0755) == 0);
    CHECK(capsule_vfs_context_bind(ctx, "/etc", "/hostetc", false) == 0);
    CHECK(capsule_vfs_context_set_rdonly(ctx, "/hostetc", true) == 0);
    CHECK(capsule_vfs_context_mkdir(ctx, "/dev", 0755) == 0);
    CHECK(capsule_vfs_context_mount(ctx, "devtmpfs", NULL, "/dev", false) == 0);
    /* the host's own /proc and /tmp are untouched */
    CHECK(!file_has("/proc/mounts", "ctxtmp"));
}

static void check_spawn(capsule_obj_t *ctx)
{
    char *argv[] = {"vfs-contexts", "inside", NULL};
    /* the host has no /bin/vfs-contexts: found only in the context */
    CHECK(!exists("/bin/vfs-contexts"));
    CHECK(capsule_vfs_context_prepare_spawn(ctx) == 0);
    int pid = capsule_spawn("/bin/vfs-contexts", argv, NULL, NULL, NULL, NULL);
    CHECK(pid > 0);
    int status = -1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(!exists("/ctxroot/tmp/written") && !exists("/tmp/written"));
    /* the preparation was used up: the next spawn is in the host's context */
    errno = 0;
    CHECK(capsule_spawn("/bin/vfs-contexts", argv, NULL, NULL, NULL, NULL) == -ENOENT);
}

static void check_closed(void)
{
    capsule_obj_t ctx, next;
    CHECK(capsule_vfs_context_create(NULL, &ctx) == 0); /* a copy of the host's table */
    uint64_t copy = (1ull << ((const bootinfo_t *)BOOTINFO_VADDR)->cnode_size_bits) - 1;
    sys_result_t r = sys_call(CAP_INIT_CNODE, msginfo_make(INV_CNODE_COPY, 4), copy, CAP_INIT_CNODE,
                              ctx.slot, RIGHT_WRITE | RIGHT_GRANT_REPLY);
    CHECK(r.err == KERR_OK);
    capsule_vfs_context_close(&ctx);
    capsule_obj_t stale = {copy, 0};
    CHECK(capsule_vfs_context_mkdir(&stale, "/x", 0755) == -EBADF);
    CHECK(capsule_vfs_context_create(NULL, &next) == 0); /* takes the slot's place */
    CHECK(capsule_vfs_context_mkdir(&stale, "/x", 0755) == -EBADF);
    CHECK(raw(copy, VFS_CTX_CLOSE, 0, 0, 0, 0, 0) == -EBADF);
    capsule_vfs_context_close(&next);
    sys_call(CAP_INIT_CNODE, msginfo_make(INV_CNODE_DELETE, 1), copy, 0, 0, 0);
}

/* Forked: no context capability crosses fork; jailed: nothing at all. */
static void check_fork_and_jail(void)
{
    capsule_obj_t ctx;
    CHECK(capsule_vfs_context_create(NULL, &ctx) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        failures = 0;
        CHECK(capsule_vfs_context_mkdir(&ctx, "/forked", 0755) < 0);
        capsule_obj_t own;
        CHECK(capsule_vfs_context_create(NULL, &own) == 0);
        CHECK(capsule_jail() == 0);
        capsule_obj_t more;
        CHECK(capsule_vfs_context_create("/ctxroot", &more) == -EPERM);
        CHECK(capsule_vfs_context_create(NULL, &more) == -EPERM);
        CHECK(capsule_vfs_context_mkdir(&own, "/jailed", 0755) == -EPERM);
        CHECK(capsule_vfs_context_prepare_spawn(&own) == -EPERM);
        CHECK(raw(own.slot, VFS_CTX_CLOSE, 0, 0, 0, 0, 0) == -EPERM);
        CHECK(raw(own.slot, 0x27f, 0, 0, 0, 0, 0) == -EPERM);
        _exit(failures);
    }
    int status = -1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(!exists("/forked") && !exists("/jailed"));
    capsule_vfs_context_close(&ctx);
}

static void check_malformed(void)
{
    capsule_obj_t ctx;
    CHECK(raw(CAP_VFS_SESSION, VFS_CONTEXT_CREATE, 1, 7, 0, 0, 0) == -EINVAL);
    CHECK(raw(CAP_VFS_SESSION, VFS_CONTEXT_CREATE, 4, 1, 0, 0, 5) == -EFAULT);
    CHECK(raw(CAP_VFS_SESSION, VFS_CONTEXT_CREATE, 4, 1, 0, 0, 1u << 20) == -ENAMETOOLONG);
    CHECK(raw(CAP_VFS_SESSION, 0x27f, 0, 0, 0, 0, 0) == -ENOSYS);
    CHECK(capsule_vfs_context_create("/ctxroot/hello", &ctx) == -ENOTDIR);
    CHECK(capsule_vfs_context_create("/nowhere", &ctx) == -ENOENT);
    CHECK(capsule_vfs_context_create("/ctxroot", &ctx) == 0);
    CHECK(raw(ctx.slot, 0x27f, 0, 0, 0, 0, 0) == -ENOSYS);
    CHECK(capsule_vfs_context_mount(&ctx, "nosuchfs", NULL, "/tmp", false) == -ENODEV);
    CHECK(capsule_vfs_context_mount(&ctx, NULL, NULL, "/tmp", false) == -EFAULT);
    CHECK(capsule_vfs_context_mount(&ctx, "tmpfs", NULL, "/nowhere", false) == -ENOENT);
    /* proc and dev never on a symlink: /escape -> /../../etc */
    CHECK(capsule_vfs_context_mount(&ctx, "proc", NULL, "/escape", false) == -ENOTDIR);
    CHECK(capsule_vfs_context_mount(&ctx, "devtmpfs", NULL, "/escape", false) == -ENOTDIR);
    CHECK(raw(ctx.slot, VFS_CTX_MOUNT, 4, MS_BIND, VFS_NO_STRING, VFS_NO_STRING, 0) == -EINVAL);
    CHECK(raw(ctx.slot, VFS_CTX_MKDIR, 4, 010000, 0, 0, 0) == -EINVAL);
    CHECK(raw(ctx.slot, VFS_CTX_SET_RDONLY, 4, 2, 0, 0, 0) == -EINVAL);
    CHECK(capsule_vfs_context_set_rdonly(&ctx, "/bin", true) == -EINVAL); /* not a mount */
    CHECK(capsule_vfs_context_bind(&ctx, "/nowhere", "/bin", false) == -ENOENT);
    CHECK(raw(ctx.slot, VFS_CTX_BIND, 4, 0, VFS_NO_STRING, 0, 0) == -EFAULT);
    /* random labels and registers, no buffers lent: errors only (close and
     * prepare-spawn are left out: they act on nothing but the handle) */
    uint64_t seed = 0x5eed;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t label = 0x270 + (seed >> 60);
        if (label == VFS_CTX_CLOSE || label == VFS_CTX_PREPARE_SPAWN) {
            continue;
        }
        uint64_t a = seed * 3, b = seed >> 7, c = seed ^ 0xffff, d = seed % 5000;
        CHECK(raw(ctx.slot, label, seed % 5, a, b, c, d) < 0);
        if (label != VFS_CONTEXT_CREATE) {
            CHECK(raw(CAP_VFS_SESSION, label, seed % 5, a, b, c, d) < 0);
        }
    }
    /* nothing of that changed the context: its /tmp is still /ctxroot/tmp */
    CHECK(capsule_vfs_context_mkdir(&ctx, "/tmp/still-host", 0755) == 0);
    CHECK(exists("/ctxroot/tmp/still-host"));
    capsule_vfs_context_close(&ctx);
}

/* At most 1000 mounts in a context, its root included: ENOSPC past it. */
static void check_mount_limit(void)
{
    capsule_obj_t ctx;
    CHECK(capsule_vfs_context_create("/ctxroot", &ctx) == 0);
    int made = 0, err = 0;
    while (made < 1100 &&
           (err = capsule_vfs_context_mount(&ctx, "tmpfs", NULL, "/tmp", false)) == 0) {
        made++;
    }
    printf("contexts: %d mounts made, then %d\n", made, err);
    CHECK(made == 999 && err == -ENOSPC);
    capsule_vfs_context_close(&ctx);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "inside") == 0) {
        return as_inside();
    }
    if (argc > 1) {
        return 99;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    capsule_obj_t ctx;
    build_context(&ctx);
    check_spawn(&ctx);
    capsule_vfs_context_close(&ctx);
    check_closed();
    check_fork_and_jail();
    check_malformed();
    check_mount_limit();
    printf("contexts: %d checks failed\n", failures);
    return 42;
}
