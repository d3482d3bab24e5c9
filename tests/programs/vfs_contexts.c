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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capsule/proc_client.h"
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
                                           "tmp", "made", "hostetc", "dev",    "work"};
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
    CHECK(seen == 0x3ff);
    CHECK(others == 0);
}

/* The number of bytes a read of path gives (-1: not opened). */
static ssize_t size_read(const char *path)
{
    char buf[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, buf, sizeof(buf));
    close(fd);
    return n;
}

static unsigned entries(const char *path)
{
    unsigned n = 0;
    DIR *d = opendir(path);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    if (d != NULL) {
        closedir(d);
    }
    return d != NULL ? n : 999;
}

/* maskedPaths and readonlyPaths, and the locks nothing inside undoes. */
static void check_masks_inside(void)
{
    /* a masked file: there, empty, never writable */
    CHECK(exists("/etc/inside") && size_read("/etc/inside") == 0);
    errno = 0;
    CHECK(open("/etc/inside", O_WRONLY) == -1 && errno == EROFS);
    errno = 0;
    CHECK(umount("/etc/inside") == -1 && errno == EPERM);
    /* a masked directory: empty and read-only */
    CHECK(entries("/made/a") == 0);
    errno = 0;
    CHECK(mkdir("/made/a/x", 0755) == -1 && errno == EROFS);
    errno = 0;
    CHECK(umount2("/made/a", MNT_DETACH) == -1 && errno == EPERM);
    /* a read-only path: not remounted writable, not unmounted */
    errno = 0;
    CHECK(mkdir("/made/y", 0755) == -1 && errno == EROFS);
    errno = 0;
    CHECK(mount(NULL, "/made", NULL, MS_REMOUNT, NULL) == -1 && errno == EPERM);
    errno = 0;
    CHECK(umount("/made") == -1 && errno == EPERM);
    /* a bind of what holds a mask would show what it hides: refused */
    CHECK(mkdir("/tmp/peek", 0755) == 0);
    errno = 0;
    CHECK(mount("/etc", "/tmp/peek", NULL, MS_BIND, NULL) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(mount("/made", "/tmp/peek", NULL, MS_BIND, NULL) == -1 && errno == EINVAL);
    /* a copy of a locked read-only mount stays read-only */
    CHECK(mount("/hostetc", "/tmp/peek", NULL, MS_BIND, NULL) == 0);
    errno = 0;
    CHECK(mount(NULL, "/tmp/peek", NULL, MS_REMOUNT, NULL) == -1 && errno == EPERM);
    errno = 0;
    CHECK(open("/tmp/peek/host-secret", O_WRONLY) == -1 && errno == EROFS);
    /* nor through a context of its own: a new `/` over a mask is refused, a
     * copy keeps every lock even from its new holder */
    capsule_obj_t mine;
    CHECK(capsule_vfs_context_create("/etc", &mine) == -EINVAL);
    CHECK(capsule_vfs_context_create("/made", &mine) == -EINVAL);
    CHECK(capsule_vfs_context_create(NULL, &mine) == 0);
    CHECK(capsule_vfs_context_set_rdonly(&mine, "/made", false) == -EPERM);
    CHECK(capsule_vfs_context_set_rdonly(&mine, "/hostetc", false) == -EPERM);
    CHECK(capsule_vfs_context_bind(&mine, "/etc", "/tmp", false) == -EINVAL);
    CHECK(capsule_vfs_context_bind(&mine, "/made", "/tmp", false) == -EINVAL);
    capsule_vfs_context_close(&mine);
    /* mounts of its own stay its own */
    CHECK(umount("/tmp/peek") == 0);
    CHECK(mount("tmpfs", "/tmp/peek", "tmpfs", 0, NULL) == 0);
    CHECK(mount(NULL, "/tmp/peek", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
    CHECK(umount("/tmp/peek") == 0);
}

static int as_inside(void)
{
    char here[64];
    CHECK(getcwd(here, sizeof(here)) != NULL && strcmp(here, "/work") == 0);
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
    CHECK(umount("/proc") == -1 && errno == EPERM);
    check_masks_inside();
    /* the host directory bound read-only */
    CHECK(file_has("/hostetc/host-secret", "capsule"));
    errno = 0;
    CHECK(open("/hostetc/host-secret", O_WRONLY) == -1 && errno == EROFS);
    /* its own devfs: the OCI default devices, never the host's console */
    static const char *const devices[] = {"/dev/null",    "/dev/zero", "/dev/full", "/dev/random",
                                          "/dev/urandom", "/dev/tty",  "/dev/ptmx", "/dev/pts"};
    for (unsigned i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
        CHECK(exists(devices[i]));
    }
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
    /* a target spelled with `//` and `..` is resolved inside, and stays there */
    CHECK(capsule_vfs_context_mount(ctx, "proc", NULL, "//proc/../proc", false) == 0);
    CHECK(capsule_vfs_context_mount(ctx, "tmpfs", "ctxtmp", "/tmp", false) == 0);
    CHECK(capsule_vfs_context_mkdir(ctx, "/hostetc", 0755) == 0);
    CHECK(capsule_vfs_context_bind(ctx, "/etc", "/hostetc", false) == 0);
    CHECK(capsule_vfs_context_set_rdonly(ctx, "/hostetc", true) == 0);
    CHECK(capsule_vfs_context_mkdir(ctx, "/dev", 0755) == 0);
    CHECK(capsule_vfs_context_mount(ctx, "devtmpfs", NULL, "/dev", false) == 0);
    /* readonlyPaths first (a bind over masks would uncover them), then masks */
    CHECK(capsule_vfs_context_readonly(ctx, "/made") == 0);
    CHECK(capsule_vfs_context_readonly(ctx, "/nope/at/all") == 0);
    CHECK(capsule_vfs_context_mask(ctx, "/made/a") == 0);
    CHECK(capsule_vfs_context_mask(ctx, "/escape/inside") == 0); /* the context's /etc/inside */
    CHECK(capsule_vfs_context_mask(ctx, "/nope/x") == 0);
    CHECK(capsule_vfs_context_mask(ctx, "relative") == -EINVAL);
    CHECK(capsule_vfs_context_readonly(ctx, "/etc") == -EBUSY); /* a mask lies below */
    CHECK(file_has("/ctxroot/etc/inside", "capsule") && file_has("/etc/host-secret", "capsule"));
    CHECK(capsule_vfs_context_mkdir(ctx, "/work", 0755) == 0);
    /* the host's own /proc and /tmp are untouched */
    CHECK(!file_has("/proc/mounts", "ctxtmp"));
}

/* Spawns this program with role and arg in whatever was prepared; its status. */
static int spawn_role(const char *role, const char *arg)
{
    char *argv[] = {"vfs-contexts", (char *)role, (char *)arg, NULL};
    int pid = capsule_spawn("/bin/vfs-contexts", argv, NULL, NULL, NULL, NULL);
    int status = -1;
    if (pid <= 0 || waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void check_spawn(capsule_obj_t *ctx)
{
    char *argv[] = {"vfs-contexts", "inside", NULL};
    /* the host has no /bin/vfs-contexts: found only in the context */
    CHECK(!exists("/bin/vfs-contexts"));
    /* a cwd refused changes nothing: the earlier preparation stands */
    CHECK(capsule_vfs_context_prepare_spawn(ctx, "/work") == 0);
    CHECK(capsule_vfs_context_prepare_spawn(ctx, "work") == -EINVAL);
    CHECK(capsule_vfs_context_prepare_spawn(ctx, "/nowhere") == -ENOENT);
    CHECK(capsule_vfs_context_prepare_spawn(ctx, "/hello") == -ENOTDIR);
    CHECK(spawn_role("inside", NULL) == 0);
    CHECK(!exists("/ctxroot/tmp/written") && !exists("/tmp/written"));
    /* the preparation was used up: the next spawn is in the host's context */
    errno = 0;
    CHECK(capsule_spawn("/bin/vfs-contexts", argv, NULL, NULL, NULL, NULL) == -ENOENT);
    /* a cwd through a symlink pointing outside, or `..` from `/`: inside */
    CHECK(capsule_vfs_context_prepare_spawn(ctx, "/escape") == 0);
    CHECK(spawn_role("cwd", "/etc") == 0);
    CHECK(capsule_vfs_context_prepare_spawn(ctx, "/../../..") == 0);
    CHECK(spawn_role("cwd", "/") == 0);
    CHECK(capsule_vfs_context_prepare_spawn(ctx, NULL) == 0);
    CHECK(spawn_role("cwd", "/") == 0);
}

/* The numeric names of /proc, as a bit set of the PIDs below 64; 1 << 63
 * for any larger one. */
static uint64_t proc_pids(void)
{
    uint64_t set = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        int n = atoi(e->d_name);
        if (n > 0) {
            set |= n < 63 ? 1ull << n : 1ull << 63;
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    return set;
}

/* The ppid field of /proc/<pid>/stat (-1: unreadable). */
static int stat_ppid(const char *pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof(path), "/proc/%s/stat", pid);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    close(fd);
    if (n <= 0) {
        return -1;
    }
    buf[n] = '\0';
    const char *after = strrchr(buf, ')');
    char state;
    int ppid;
    return after != NULL && sscanf(after + 1, " %c %d", &state, &ppid) == 2 ? ppid : -1;
}

/* Inside a scope of its own: /proc shows only the scope, numbered as it
 * numbers it (this process is its PID 1, its parent outside is 0). */
static int as_scoped(void)
{
    char self[16] = {0};
    CHECK(readlink("/proc/self", self, sizeof(self) - 1) == 1 && strcmp(self, "1") == 0);
    CHECK(getpid() == 1);
    CHECK(stat_ppid("1") == 0);
    CHECK(proc_pids() == 1ull << 1);
    pid_t child = fork();
    if (child == 0) {
        char me[16] = {0};
        int bad = readlink("/proc/self", me, sizeof(me) - 1) != 1 || strcmp(me, "2") != 0;
        bad |= stat_ppid("2") != 1 || stat_ppid("self") != 1;
        bad |= proc_pids() != (1ull << 1 | 1ull << 2);
        _exit(bad);
    }
    int status = -1;
    CHECK(child == 2 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(proc_pids() == 1ull << 1);
    return failures;
}

/* A process of a new scope in the context, at a prepared cwd: its /proc. */
static void check_scoped_proc(capsule_obj_t *ctx)
{
    capsule_obj_t scope;
    CHECK(capsule_scope_create(0, &scope) == 0);
    CHECK(capsule_vfs_context_prepare_spawn(ctx, "/work") == 0);
    char *argv[] = {"vfs-contexts", "scoped", NULL};
    int pid = capsule_spawn("/bin/vfs-contexts", argv, NULL, NULL, &scope, NULL);
    int status = -1;
    CHECK(pid > 1 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    capsule_obj_close(&scope);
    /* the holder reads the context's /proc as it sees processes: by global
     * PIDs, itself (init) as 1 */
    char buf[128] = {0};
    int fd = capsule_vfs_context_open(ctx, "/proc/self/stat", O_RDONLY, 0);
    CHECK(fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && strncmp(buf, "1 (init) R 0 ", 13) == 0);
    close(fd);
}

/* VFS_CTX_OPEN: files of the context in the caller's own table. */
static void check_open(capsule_obj_t *ctx)
{
    char buf[64] = {0};
    int fd = capsule_vfs_context_open(ctx, "/hello", O_RDONLY, 0);
    CHECK(fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && strstr(buf, "inside the context"));
    close(fd);
    fd = capsule_vfs_context_open(ctx, "/escape/inside", O_RDONLY, 0); /* masked, inside */
    CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 0);
    close(fd);
    CHECK(capsule_vfs_context_open(ctx, "/../../etc/host-secret", O_RDONLY, 0) == -ENOENT);
    CHECK(capsule_vfs_context_open(ctx, "hello", O_RDONLY, 0) == -EINVAL);
    CHECK(capsule_vfs_context_open(ctx, "/etc/inside", O_WRONLY, 0) == -EROFS);
    /* created inside: in the context's tmpfs, never the host's /tmp */
    fd = capsule_vfs_context_open(ctx, "/tmp/made-by-open", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    CHECK(fd >= 0 && write(fd, "x", 1) == 1);
    close(fd);
    CHECK(!exists("/tmp/made-by-open") && !exists("/ctxroot/tmp/made-by-open"));
    /* a pseudo-terminal of the context's own devfs */
    int master = capsule_vfs_context_open(ctx, "/dev/ptmx", O_RDWR | O_NOCTTY, 0);
    unsigned n = 99;
    int unlock = 0;
    CHECK(master >= 0 && ioctl(master, TIOCGPTN, &n) == 0);
    CHECK(ioctl(master, TIOCSPTLCK, &unlock) == 0); /* unlockpt */
    char slave_path[32];
    snprintf(slave_path, sizeof(slave_path), "/dev/pts/%u", n);
    int slave = capsule_vfs_context_open(ctx, slave_path, O_RDWR | O_NOCTTY, 0);
    CHECK(slave >= 0);
    if (slave < 0) {
        printf("contexts: %s: %d\n", slave_path, slave);
    }
    CHECK(write(master, "ping\n", 5) == 5);
    memset(buf, 0, sizeof(buf));
    CHECK(read(slave, buf, sizeof(buf)) == 5 && strcmp(buf, "ping\n") == 0);
    /* its /dev/console: that slave, made by vfs-server */
    CHECK(capsule_vfs_context_set_console(ctx, 0) == -EINVAL); /* the console, not a pty master */
    CHECK(capsule_vfs_context_set_console(ctx, 200) == -EBADF);
    CHECK(capsule_vfs_context_set_console(ctx, master) == 0);
    int console = capsule_vfs_context_open(ctx, "/dev/console", O_RDWR | O_NOCTTY, 0);
    CHECK(console >= 0 && write(master, "pong\n", 5) == 5);
    memset(buf, 0, sizeof(buf));
    CHECK(read(console, buf, sizeof(buf)) == 5 && strcmp(buf, "pong\n") == 0);
    close(console);
    close(slave);
    close(master);
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
        CHECK(capsule_vfs_context_prepare_spawn(&own, NULL) == -EPERM);
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
    CHECK(capsule_vfs_context_mount(&ctx, "proc", NULL, "/escape/", false) == -ENOTDIR);
    CHECK(capsule_vfs_context_mount(&ctx, "devtmpfs", NULL, "/escape//", false) == -ENOTDIR);
    CHECK(raw(ctx.slot, VFS_CTX_MOUNT, 4, MS_BIND, VFS_NO_STRING, VFS_NO_STRING, 0) == -EINVAL);
    /* a tmpfs's options: refused for another type, and mode bits without
     * their flag, before anything is made */
    capsule_vfs_raw_t opt = {.label = VFS_CTX_MOUNT,
                             .length = 4,
                             .mr = {VFS_CTX_MOUNT_HAS_MODE, VFS_NO_STRING, 4, 4},
                             .desc = {"/tmp", "", "proc"},
                             .desc_len = {4, 0, 4}};
    CHECK(capsule_vfs_raw(ctx.slot, &opt, NULL) == -EINVAL);
    opt.mr[0] = 0700ull << VFS_CTX_MOUNT_MODE_SHIFT;
    opt.desc[2] = "tmpfs";
    opt.mr[2] = opt.desc_len[2] = 5;
    CHECK(capsule_vfs_raw(ctx.slot, &opt, NULL) == -EINVAL);
    CHECK(capsule_vfs_context_mount_tmpfs(&ctx, "/tmp", false, 1ull << 50, -1) == -EINVAL);
    CHECK(raw(ctx.slot, VFS_CTX_MKDIR, 4, 010000, 0, 0, 0) == -EINVAL);
    CHECK(raw(ctx.slot, VFS_CTX_SET_RDONLY, 4, 2, 0, 0, 0) == -EINVAL);
    CHECK(capsule_vfs_context_set_rdonly(&ctx, "/bin", true) == -EINVAL); /* not a mount */
    CHECK(capsule_vfs_context_bind(&ctx, "/nowhere", "/bin", false) == -ENOENT);
    CHECK(raw(ctx.slot, VFS_CTX_BIND, 4, 0, VFS_NO_STRING, 0, 0) == -EFAULT);
    /* a quota: never 0, never below what the context holds already */
    CHECK(capsule_vfs_context_set_quota(&ctx, 0) == -EINVAL);
    CHECK(capsule_vfs_context_set_quota(&ctx, 1) == -EBUSY);
    CHECK(capsule_vfs_context_set_quota(&ctx, 64ull << 20) == 0);
    /* random labels and registers, no buffers lent: errors only (close,
     * prepare-spawn, label and quota are left out: they act on nothing but
     * the handle, a label may be empty and any quota above use is good) */
    uint64_t seed = 0x5eed;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t label = 0x270 + (seed >> 60);
        if (label == VFS_CTX_CLOSE || label == VFS_CTX_PREPARE_SPAWN ||
            label == VFS_CTX_SET_QUOTA) {
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
    if (argc > 1 && strcmp(argv[1], "scoped") == 0) {
        return as_scoped();
    }
    if (argc > 2 && strcmp(argv[1], "cwd") == 0) {
        char here[256];
        return getcwd(here, sizeof(here)) != NULL && strcmp(here, argv[2]) == 0 ? 0 : 1;
    }
    if (argc > 1) {
        return 99;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    capsule_obj_t ctx;
    build_context(&ctx);
    check_spawn(&ctx);
    check_open(&ctx);
    check_scoped_proc(&ctx);
    capsule_vfs_context_close(&ctx);
    check_closed();
    check_fork_and_jail();
    check_malformed();
    check_mount_limit();
    printf("contexts: %d checks failed\n", failures);
    return 42;
}
