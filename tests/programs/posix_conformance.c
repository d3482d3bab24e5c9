/*
 * Linux system calls one by one: results and errno values as Linux gives
 * them. Each check prints "ok NAME" or "FAIL NAME: expected X, got Y"; the
 * last line counts checks and failures, and the exit status is 0 when none
 * failed.
 *
 * The same source runs on the Linux host (ctest host_posix_conformance), so
 * every expectation here is Linux's own. The host run is neither root nor on
 * a known machine: checks compare facts relative to the process (its uid,
 * its hostname, its limits), never host-specific values. Under Capsule it is
 * init (PID 1), built with musl. Register preservation across system calls
 * is in registers.c.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "registers.h"

static int checks, failures;

static void pass(const char *name)
{
    checks++;
    printf("ok %s\n", name);
}

static void fail_long(const char *name, long expected, long got)
{
    checks++;
    failures++;
    printf("FAIL %s: expected %ld, got %ld\n", name, expected, got);
}

/* A result compared with the one expected. */
static void expect_eq(const char *name, long got, long expected)
{
    if (got == expected) {
        pass(name);
    } else {
        fail_long(name, expected, got);
    }
}

/* A system call that fails: -1 and this errno. */
static void expect_err(const char *name, long got, int expected_errno)
{
    int e = errno;
    if (got == -1 && e == expected_errno) {
        pass(name);
    } else {
        checks++;
        failures++;
        printf("FAIL %s: expected -1 errno %d (%s), got %ld errno %d\n", name, expected_errno,
               strerror(expected_errno), got, got == -1 ? e : 0);
    }
}

/* A condition that holds; `what` says what was expected. */
static void expect_true(const char *name, int cond, const char *what, long got)
{
    if (cond) {
        pass(name);
    } else {
        checks++;
        failures++;
        printf("FAIL %s: expected %s, got %ld\n", name, what, got);
    }
}

static long raw(long nr, long a, long b, long c, long d)
{
    return syscall(nr, a, b, c, d);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? st.st_mode : 0;
}

static long size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static long nlink_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_nlink : -1;
}

static void put_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        if (write(fd, text, strlen(text)) < 0) {
            perror("write");
        }
        close(fd);
    }
}

static void check_open(void)
{
    put_file("f", "hello");
    expect_err("open-excl-eexist", open("f", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    expect_err("open-directory-enotdir", open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
    expect_err("open-enoent", open("missing", O_RDONLY), ENOENT);
    expect_err("open-enoent-dir", open("missing/f", O_RDONLY | O_CREAT, 0644), ENOENT);
    expect_err("open-legacy-enoent", raw(SYS_open, (long)"missing", O_RDONLY, 0, 0), ENOENT);
    expect_err("openat-ebadf", openat(999, "f", O_RDONLY), EBADF);
    expect_err("open-dir-write-eisdir", open(".", O_WRONLY), EISDIR);
    expect_eq("symlink", symlink("f", "link"), 0);
    expect_err("open-nofollow-eloop", open("link", O_RDONLY | O_NOFOLLOW), ELOOP);
    expect_true("open-through-symlink", close(open("link", O_RDONLY)) == 0, "0", 0);
    int fd = open("f", O_WRONLY | O_APPEND);
    expect_eq("open-append-write", write(fd, "!", 1), 1);
    expect_eq("open-append-at-end", size_of("f"), 6);
    close(fd);
    fd = open("f", O_WRONLY | O_TRUNC);
    expect_eq("open-trunc", size_of("f"), 0);
    close(fd);
    fd = openat(AT_FDCWD, "f", O_RDONLY);
    expect_true("openat-cwd", fd >= 0, "an fd", fd);
    close(fd);
}

static void check_read_write(void)
{
    int fd = open("rw", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[16] = {0};
    expect_eq("write", write(fd, "abcdef", 6), 6);
    expect_eq("lseek-set", lseek(fd, 2, SEEK_SET), 2);
    expect_eq("read", read(fd, buf, 3), 3);
    expect_eq("read-bytes", memcmp(buf, "cde", 3), 0);
    expect_eq("lseek-cur", lseek(fd, 0, SEEK_CUR), 5);
    expect_eq("lseek-end", lseek(fd, -1, SEEK_END), 5);
    expect_err("lseek-negative-einval", lseek(fd, -10, SEEK_SET), EINVAL);
    expect_err("lseek-whence-einval", lseek(fd, 0, 99), EINVAL);
    expect_eq("lseek-past-end", lseek(fd, 100, SEEK_SET), 100);
    expect_eq("read-at-eof", read(fd, buf, 4), 0);
    expect_eq("pwrite", pwrite(fd, "XY", 2, 1), 2);
    expect_eq("pread", pread(fd, buf, 4, 0), 4);
    expect_eq("pread-bytes", memcmp(buf, "aXYd", 4), 0);
    expect_eq("pread-keeps-offset", lseek(fd, 0, SEEK_CUR), 100);
    expect_err("pread-negative-einval", pread(fd, buf, 1, -1), EINVAL);
    expect_eq("read-zero", read(fd, buf, 0), 0);
    close(fd);
    fd = open("rw", O_RDONLY);
    expect_err("write-rdonly-ebadf", write(fd, "x", 1), EBADF);
    close(fd);
    fd = open("rw", O_WRONLY);
    expect_err("read-wronly-ebadf", read(fd, buf, 1), EBADF);
    close(fd);
    fd = open(".", O_RDONLY | O_DIRECTORY);
    expect_err("read-dir-eisdir", read(fd, buf, 1), EISDIR);
    close(fd);
}

static void check_bad_fd(void)
{
    char buf[8];
    struct stat st;
    expect_err("read-ebadf", read(-1, buf, 1), EBADF);
    expect_err("write-ebadf", write(999, buf, 1), EBADF);
    expect_err("close-ebadf", close(999), EBADF);
    expect_err("lseek-ebadf", lseek(999, 0, SEEK_SET), EBADF);
    expect_err("pread-ebadf", pread(999, buf, 1, 0), EBADF);
    expect_err("fstat-ebadf", fstat(999, &st), EBADF);
    expect_err("dup-ebadf", dup(999), EBADF);
    expect_err("dup2-ebadf", dup2(999, 50), EBADF);
    expect_err("fcntl-ebadf", fcntl(999, F_GETFD), EBADF);
    expect_err("getdents64-ebadf", raw(SYS_getdents64, 999, (long)buf, sizeof(buf), 0), EBADF);
    expect_err("fchmod-ebadf", fchmod(999, 0644), EBADF);
    expect_err("ftruncate-ebadf", ftruncate(999, 0), EBADF);
    expect_err("fsync-ebadf", fsync(999), EBADF);
    expect_err("fchdir-or-fstatat-ebadf", fstatat(999, "x", &st, 0), EBADF);
}

/* A pointer outside user space (non-canonical, or in the kernel's half) is
 * EFAULT, as any bad pointer is: the copy that touches it faults with #GP
 * rather than a page fault, and that must not kill the caller either. */
static void check_bad_pointers(void)
{
    const long noncanonical = (long)0x8000000000000000ull, kernel = (long)0xffff800000001000ull;
    int fd = open("bad-pointers", O_RDWR | O_CREAT | O_TRUNC, 0644);
    expect_eq("bad-pointers-file", write(fd, "abc", 3), 3);
    lseek(fd, 0, SEEK_SET);
    expect_err("read-noncanonical-efault", raw(SYS_read, fd, noncanonical, 1, 0), EFAULT);
    expect_err("write-noncanonical-efault", raw(SYS_write, fd, noncanonical + 8, 1, 0), EFAULT);
    expect_err("read-kernel-efault", raw(SYS_read, fd, kernel, 1, 0), EFAULT);
    expect_err("fstat-noncanonical-efault", raw(SYS_fstat, fd, noncanonical, 0, 0), EFAULT);
    expect_err("openat-noncanonical-efault", raw(SYS_openat, AT_FDCWD, noncanonical, O_RDONLY, 0),
               EFAULT);
    expect_err("uname-noncanonical-efault", raw(SYS_uname, noncanonical, 0, 0, 0), EFAULT);
    expect_eq("bad-pointers-still-reads", read(fd, (char[4]){0}, 3), 3);
    close(fd);
}

static void check_dup_fcntl(void)
{
    int fd = open("f", O_RDWR | O_APPEND);
    int d = dup(fd);
    expect_true("dup-new-fd", d > fd, "a higher fd", d);
    expect_eq("dup2", dup2(fd, 40), 40);
    expect_eq("dup2-same", dup2(fd, fd), fd);
    expect_err("dup3-same-einval", dup3(fd, fd, 0), EINVAL);
    expect_err("dup3-flags-einval", raw(SYS_dup3, fd, 41, O_APPEND, 0), EINVAL);
    expect_eq("dup3-cloexec", dup3(fd, 41, O_CLOEXEC), 41);
    expect_eq("dup3-cloexec-set", fcntl(41, F_GETFD), FD_CLOEXEC);
    expect_eq("dup2-clears-cloexec", fcntl(40, F_GETFD), 0);
    expect_eq("fcntl-setfd", fcntl(40, F_SETFD, FD_CLOEXEC), 0);
    expect_eq("fcntl-getfd", fcntl(40, F_GETFD), FD_CLOEXEC);
    int fl = fcntl(fd, F_GETFL);
    expect_eq("fcntl-getfl-accmode", fl & O_ACCMODE, O_RDWR);
    expect_eq("fcntl-getfl-append", fl & O_APPEND, O_APPEND);
    expect_eq("fcntl-setfl", fcntl(fd, F_SETFL, O_NONBLOCK), 0);
    fl = fcntl(fd, F_GETFL);
    expect_eq("fcntl-setfl-changed", fl & (O_APPEND | O_NONBLOCK), O_NONBLOCK);
    expect_eq("fcntl-setfl-shared", fcntl(d, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
    int hi = fcntl(fd, F_DUPFD, 60);
    expect_true("fcntl-dupfd", hi >= 60, "an fd >= 60", hi);
    expect_eq("fcntl-dupfd-no-cloexec", fcntl(hi, F_GETFD), 0);
    int hc = fcntl(fd, F_DUPFD_CLOEXEC, 60);
    expect_true("fcntl-dupfd-cloexec", hc > hi, "a higher fd", hc);
    expect_eq("fcntl-dupfd-cloexec-set", fcntl(hc, F_GETFD), FD_CLOEXEC);
    expect_err("fcntl-cmd-einval", fcntl(fd, 9999), EINVAL);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    expect_err("fcntl-dupfd-limit-einval", fcntl(fd, F_DUPFD, (long)rl.rlim_cur), EINVAL);
    close(hi);
    close(hc);
    close(40);
    close(41);
    close(d);
    close(fd);
}

static void check_stat(void)
{
    struct stat st;
    put_file("s", "12345");
    expect_eq("stat", stat("s", &st), 0);
    expect_true("stat-regular", S_ISREG(st.st_mode), "S_IFREG", st.st_mode);
    expect_eq("stat-mode-umask", st.st_mode & 07777, 0644);
    expect_eq("stat-size", st.st_size, 5);
    expect_eq("stat-nlink", st.st_nlink, 1);
    expect_eq("stat-uid", st.st_uid, getuid());
    expect_err("stat-enoent", stat("missing", &st), ENOENT);
    expect_err("stat-enotdir", stat("s/x", &st), ENOTDIR);
    expect_eq("stat-legacy", raw(SYS_stat, (long)"s", (long)&st, 0, 0), 0);
    expect_eq("lstat-symlink", lstat("link", &st), 0);
    expect_true("lstat-is-link", S_ISLNK(st.st_mode), "S_IFLNK", st.st_mode);
    expect_eq("lstat-link-size", st.st_size, 1);
    int fd = open("s", O_RDONLY);
    expect_eq("fstat", fstat(fd, &st), 0);
    expect_eq("fstat-size", st.st_size, 5);
    close(fd);
    expect_eq("newfstatat-nofollow", fstatat(AT_FDCWD, "link", &st, AT_SYMLINK_NOFOLLOW), 0);
    expect_true("newfstatat-is-link", S_ISLNK(st.st_mode), "S_IFLNK", st.st_mode);
    expect_err("newfstatat-flags-einval", fstatat(AT_FDCWD, "s", &st, 0x40000000), EINVAL);
    expect_eq("mkdir", mkdir("d", 0755), 0);
    expect_eq("stat-dir-nlink", nlink_of("d"), 2);
    expect_eq("mkdir-sub", mkdir("d/sub", 0700), 0);
    expect_eq("stat-dir-nlink-sub", nlink_of("d"), 3);
    expect_eq("stat-dir-mode", mode_of("d/sub") & 07777, 0700);
    expect_true("stat-dir-isdir", S_ISDIR(mode_of("d")), "S_IFDIR", mode_of("d"));
    expect_eq("mkdir-mode-umask", (mkdir("d/m", 0777), mode_of("d/m") & 0777), 0755);
    rmdir("d/m");
}

/* Under Capsule this is init, and nothing has mounted /proc yet: mount it
 * (the host always has it, and this test is not root there). */
static void ensure_proc(void)
{
    if (access("/proc/self", F_OK) != 0) {
        mkdir("/proc", 0555);
        expect_eq("mount-proc", mount("proc", "/proc", "proc", 0, NULL), 0);
    }
}

/* statx into Linux's struct statx, read by its offsets (musl declares none). */
static long statx_of(int dirfd, const char *path, int flags, unsigned mask, uint8_t sx[256])
{
    memset(sx, 0xff, 256);
    return syscall(SYS_statx, dirfd, path, flags, mask, sx);
}

static uint64_t sx_field(const uint8_t *sx, size_t off, size_t size)
{
    uint64_t v = 0;
    memcpy(&v, sx + off, size);
    return v;
}

static void check_statx_statfs(void)
{
    uint8_t sx[256];
    struct stat st;
    stat("s", &st);
    expect_eq("statx", statx_of(AT_FDCWD, "s", 0, 0x7ff, sx), 0);
    expect_eq("statx-basic-mask", sx_field(sx, 0, 4) & 0x7ff, 0x7ff);
    expect_eq("statx-mode", sx_field(sx, 28, 2), st.st_mode);
    expect_eq("statx-nlink", sx_field(sx, 16, 4), st.st_nlink);
    expect_eq("statx-ino", (long)sx_field(sx, 32, 8), (long)st.st_ino);
    expect_eq("statx-size", sx_field(sx, 40, 8), 5);
    expect_eq("statx-mtime", (long)sx_field(sx, 112, 8), (long)st.st_mtim.tv_sec);
    expect_eq("statx-nofollow", statx_of(AT_FDCWD, "link", AT_SYMLINK_NOFOLLOW, 0x7ff, sx), 0);
    expect_true("statx-nofollow-link", S_ISLNK(sx_field(sx, 28, 2)), "S_IFLNK",
                sx_field(sx, 28, 2));
    int fd = open("s", O_RDONLY);
    expect_eq("statx-empty-path", statx_of(fd, "", AT_EMPTY_PATH, 0x7ff, sx), 0);
    expect_eq("statx-empty-path-size", sx_field(sx, 40, 8), 5);
    expect_err("statx-enoent", statx_of(AT_FDCWD, "missing", 0, 0x7ff, sx), ENOENT);
    expect_err("statx-flags-einval", statx_of(AT_FDCWD, "s", 0x40000000, 0x7ff, sx), EINVAL);
    expect_err("statx-sync-einval", statx_of(AT_FDCWD, "s", 0x6000, 0x7ff, sx), EINVAL);
    struct statfs sf;
    expect_eq("statfs-proc", statfs("/proc", &sf), 0);
    expect_eq("statfs-proc-magic", sf.f_type, 0x9fa0);
    expect_eq("fstatfs", fstatfs(fd, &sf), 0);
    expect_true("fstatfs-bsize", sf.f_bsize > 0 && sf.f_namelen == 255, "bsize, 255", sf.f_namelen);
    close(fd);
    expect_err("statfs-enoent", statfs("missing", &sf), ENOENT);
    expect_err("fstatfs-ebadf", fstatfs(-1, &sf), EBADF);
    int p[2];
    pipe(p);
    expect_eq("fstatfs-pipe", fstatfs(p[0], &sf), 0);
    expect_eq("fstatfs-pipe-magic", sf.f_type, 0x50495045);
    close(p[0]);
    close(p[1]);
}

static void check_dirs(void)
{
    expect_err("mkdir-eexist", mkdir("d", 0755), EEXIST);
    expect_err("mkdir-enoent", mkdir("missing/x", 0755), ENOENT);
    expect_err("rmdir-enotempty", rmdir("d"), ENOTEMPTY);
    expect_err("rmdir-enotdir", rmdir("s"), ENOTDIR);
    expect_err("rmdir-dot-einval", rmdir("d/sub/."), EINVAL);
    expect_err("unlink-eisdir", unlink("d"), EISDIR);
    expect_err("unlink-enoent", unlink("missing"), ENOENT);
    expect_err("chdir-enotdir", chdir("s"), ENOTDIR);
    expect_err("chdir-enoent", chdir("missing"), ENOENT);
    char cwd[512], sub[512];
    expect_true("getcwd", getcwd(cwd, sizeof(cwd)) != NULL, "the cwd", 0);
    expect_err("getcwd-erange", raw(SYS_getcwd, (long)cwd, 2, 0, 0), ERANGE);
    expect_eq("chdir", chdir("d/sub"), 0);
    expect_true("getcwd-after-chdir", getcwd(sub, sizeof(sub)) != NULL, "the cwd", 0);
    size_t n = strlen(cwd);
    expect_eq("getcwd-path", strncmp(sub, cwd, n) == 0 && strcmp(sub + n, "/d/sub") == 0, 1);
    expect_eq("getcwd-length", raw(SYS_getcwd, (long)sub, sizeof(sub), 0, 0), (long)n + 7);
    expect_eq("chdir-dotdot", chdir("../.."), 0);
    mode_t old = umask(077);
    expect_eq("umask-old", old, 022);
    expect_eq("umask-new", umask(022), 077);
    expect_eq("access", access("s", R_OK | W_OK), 0);
    expect_err("access-enoent", access("missing", F_OK), ENOENT);
    expect_err("access-x-eacces", access("s", X_OK), EACCES);
    expect_err("access-mode-einval", access("s", 0100), EINVAL);
    expect_eq("access-dir-x", access("d", X_OK), 0);
    expect_eq("faccessat", faccessat(AT_FDCWD, "s", F_OK, 0), 0);
}

static void check_getdents(void)
{
    mkdir("g", 0755);
    put_file("g/a", "");
    put_file("g/b", "");
    int fd = open("g", O_RDONLY | O_DIRECTORY);
    char buf[1024];
    int seen = 0, total = 0;
    long n;
    while ((n = raw(SYS_getdents64, fd, (long)buf, sizeof(buf), 0)) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            total++;
            seen += strcmp(d->d_name, "a") == 0 && d->d_type == DT_REG;
            seen += strcmp(d->d_name, "b") == 0 && d->d_type == DT_REG;
            seen += strcmp(d->d_name, ".") == 0 && d->d_type == DT_DIR;
            seen += strcmp(d->d_name, "..") == 0 && d->d_type == DT_DIR;
            off += d->d_reclen;
        }
    }
    expect_eq("getdents64-end", n, 0);
    expect_eq("getdents64-entries", total, 4);
    expect_eq("getdents64-names", seen, 4);
    lseek(fd, 0, SEEK_SET);
    expect_err("getdents64-einval", raw(SYS_getdents64, fd, (long)buf, 8, 0), EINVAL);
    close(fd);
    fd = open("g/a", O_RDONLY);
    expect_err("getdents64-enotdir", raw(SYS_getdents64, fd, (long)buf, sizeof(buf), 0), ENOTDIR);
    close(fd);
}

static void check_rename(void)
{
    put_file("r1", "one");
    put_file("r2", "two!");
    expect_eq("rename-over-file", rename("r1", "r2"), 0);
    expect_eq("rename-over-file-size", size_of("r2"), 3);
    expect_err("rename-old-gone", access("r1", F_OK), ENOENT);
    expect_eq("rename-across-dirs", rename("r2", "d/r3"), 0);
    expect_eq("rename-across-dirs-there", size_of("d/r3"), 3);
    expect_eq("rename-legacy", raw(SYS_rename, (long)"d/r3", (long)"r4", 0, 0), 0);
    expect_eq("renameat", raw(SYS_renameat, AT_FDCWD, (long)"r4", AT_FDCWD, (long)"r5"), 0);
    put_file("r6", "");
    expect_err("renameat2-noreplace-eexist",
               syscall(SYS_renameat2, AT_FDCWD, "r5", AT_FDCWD, "r6", 1 /* RENAME_NOREPLACE */),
               EEXIST);
    expect_eq("renameat2", syscall(SYS_renameat2, AT_FDCWD, "r5", AT_FDCWD, "r7", 0), 0);
    expect_err("rename-enoent", rename("missing", "x"), ENOENT);
    mkdir("e1", 0755);
    mkdir("e2", 0755);
    mkdir("e2/full", 0755);
    expect_err("rename-dir-over-nonempty", rename("e1", "e2"), ENOTEMPTY);
    expect_err("rename-file-over-dir", rename("s", "e1"), EISDIR);
    expect_err("rename-dir-over-file", rename("e1", "s"), ENOTDIR);
    expect_err("rename-dir-into-itself", rename("e2", "e2/full/x"), EINVAL);
    expect_eq("rename-dir-over-empty", rename("e1", "e2/full"), 0);
    expect_true("rename-dir-moved", S_ISDIR(mode_of("e2/full")), "a directory", 0);
}

static void check_links(void)
{
    put_file("l1", "abc");
    expect_eq("link", link("l1", "l2"), 0);
    expect_eq("link-nlink", nlink_of("l1"), 2);
    expect_err("link-eexist", link("l1", "l2"), EEXIST);
    expect_err("link-dir-eperm", link("d", "d2"), EPERM);
    expect_err("link-enoent", link("missing", "l3"), ENOENT);
    expect_eq("link-legacy", raw(SYS_link, (long)"l1", (long)"l3", 0, 0), 0);
    expect_eq("linkat", syscall(SYS_linkat, AT_FDCWD, "l1", AT_FDCWD, "l4", 0), 0);
    expect_eq("link-nlink-4", nlink_of("l2"), 4);
    expect_eq("unlink", unlink("l2"), 0);
    expect_eq("unlink-nlink", nlink_of("l1"), 3);
    expect_eq("symlink-legacy", raw(SYS_symlink, (long)"l1", (long)"sl", 0, 0), 0);
    expect_eq("symlinkat", raw(SYS_symlinkat, (long)"no/where", AT_FDCWD, (long)"sl2", 0), 0);
    expect_err("symlink-eexist", symlink("x", "sl"), EEXIST);
    char buf[64] = {0};
    expect_eq("readlink", readlink("sl2", buf, sizeof(buf)), 8);
    expect_eq("readlink-text", memcmp(buf, "no/where", 8), 0);
    memset(buf, 0, sizeof(buf));
    expect_eq("readlink-truncates", readlink("sl2", buf, 3), 3);
    expect_eq("readlink-truncated-text", strcmp(buf, "no/"), 0);
    expect_err("readlink-not-link-einval", readlink("l1", buf, sizeof(buf)), EINVAL);
    expect_err("readlink-size-einval", raw(SYS_readlink, (long)"sl2", (long)buf, 0, 0), EINVAL);
    expect_err("stat-dangling-enoent", size_of("sl2") == -1 ? -1 : 0, ENOENT);
    expect_eq("stat-through-link", size_of("sl"), 3);
}

static void check_modes(void)
{
    expect_eq("chmod", chmod("l1", 0600), 0);
    expect_eq("chmod-mode", mode_of("l1") & 07777, 0600);
    expect_eq("chmod-legacy", raw(SYS_chmod, (long)"l1", 0640, 0, 0), 0);
    expect_eq("chmod-legacy-mode", mode_of("l1") & 07777, 0640);
    expect_err("chmod-enoent", chmod("missing", 0600), ENOENT);
    int fd = open("l1", O_RDONLY);
    expect_eq("fchmod", fchmod(fd, 0604), 0);
    expect_eq("fchmod-mode", mode_of("l1") & 07777, 0604);
    close(fd);
    expect_eq("fchmodat", fchmodat(AT_FDCWD, "l1", 0644, 0), 0);
    expect_eq("fchmodat-mode", mode_of("l1") & 07777, 0644);
    expect_eq("chown-self", chown("l1", getuid(), getgid()), 0);
    expect_eq("chown-unchanged", chown("l1", (uid_t)-1, (gid_t)-1), 0);
    struct stat st;
    stat("l1", &st);
    expect_eq("chown-owner", st.st_uid, getuid());
    expect_err("chown-enoent", chown("missing", getuid(), getgid()), ENOENT);
    expect_eq("lchown-self", lchown("sl", getuid(), getgid()), 0);
    struct timespec times[2] = {{1000, 0}, {2000, 0}};
    expect_eq("utimensat", utimensat(AT_FDCWD, "l1", times, 0), 0);
    stat("l1", &st);
    expect_eq("utimensat-atime", st.st_atime, 1000);
    expect_eq("utimensat-mtime", st.st_mtime, 2000);
    times[0].tv_nsec = 2000000000;
    expect_err("utimensat-einval", utimensat(AT_FDCWD, "l1", times, 0), EINVAL);
}

static void check_truncate(void)
{
    put_file("t", "hello world");
    expect_eq("truncate", truncate("t", 100), 0);
    expect_eq("truncate-size", size_of("t"), 100);
    expect_err("truncate-negative", truncate("t", -1), EINVAL);
    expect_err("truncate-dir-eisdir", truncate("d", 0), EISDIR);
    expect_err("truncate-enoent", truncate("missing", 0), ENOENT);
    int fd = open("t", O_RDWR);
    expect_eq("ftruncate", ftruncate(fd, 3), 0);
    expect_eq("ftruncate-size", size_of("t"), 3);
    char buf[8];
    expect_eq("ftruncate-read", read(fd, buf, sizeof(buf)), 3);
    expect_eq("fsync", fsync(fd), 0);
    expect_eq("fdatasync", fdatasync(fd), 0);
    close(fd);
    fd = open("t", O_RDONLY);
    expect_err("ftruncate-rdonly-einval", ftruncate(fd, 0), EINVAL);
    close(fd);
    sync();
    pass("sync");
}

static void check_pipes(void)
{
    int p[2];
    char c;
    expect_eq("pipe", pipe(p), 0);
    expect_err("pipe-lseek-espipe", lseek(p[0], 0, SEEK_SET), ESPIPE);
    expect_err("pipe-pread-espipe", pread(p[0], &c, 1, 0), ESPIPE);
    expect_err("pipe-write-read-end", write(p[0], "x", 1), EBADF);
    struct pollfd pf = {p[0], POLLIN, 0};
    expect_eq("poll-empty", poll(&pf, 1, 0), 0);
    expect_eq("pipe-write", write(p[1], "x", 1), 1);
    expect_eq("poll-ready", poll(&pf, 1, 0), 1);
    expect_eq("poll-revents", pf.revents, POLLIN);
    struct stat st;
    expect_eq("pipe-fstat", fstat(p[0], &st), 0);
    expect_true("pipe-fstat-fifo", S_ISFIFO(st.st_mode), "S_IFIFO", st.st_mode);
    expect_err("pipe-fsync-einval", fsync(p[0]), EINVAL);
    close(p[0]);
    close(p[1]);
    expect_eq("pipe2", pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    expect_eq("pipe2-cloexec", fcntl(p[0], F_GETFD), FD_CLOEXEC);
    expect_err("pipe2-nonblock-eagain", read(p[0], &c, 1), EAGAIN);
    close(p[0]);
    close(p[1]);
    expect_err("pipe2-flags-einval", pipe2(p, O_APPEND), EINVAL);
}

static void check_processes(void)
{
    pid_t self = getpid();
    expect_err("wait4-echild", wait4(-1, NULL, WNOHANG, NULL), ECHILD);
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        pid_t seen[2] = {getpid(), getppid()};
        write(p[1], seen, sizeof(seen));
        _exit(7);
    }
    expect_true("fork", child > 0, "a PID", child);
    pid_t seen[2] = {0, 0};
    read(p[0], seen, sizeof(seen));
    close(p[0]);
    close(p[1]);
    expect_eq("fork-child-pid", seen[0], child);
    expect_eq("fork-child-ppid", seen[1], self);
    int status = 0;
    expect_eq("wait4", wait4(child, &status, 0, NULL), child);
    expect_eq("wait4-status", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 7);
    expect_err("wait4-after-echild", wait4(child, &status, WNOHANG, NULL), ECHILD);
    expect_err("kill-signal-einval", kill(self, 1000), EINVAL);
    expect_eq("kill-zero", kill(self, 0), 0);
    expect_err("kill-esrch", kill(999999, 0), ESRCH);
    expect_err("enosys", syscall(1000), ENOSYS);
    /* again, and another: under posix.log_enosys each number is logged once */
    expect_err("enosys-again", syscall(1000), ENOSYS);
    expect_err("enosys-other", syscall(1001), ENOSYS);
    expect_err("enosys-other-again", syscall(1001), ENOSYS);
    expect_true("getppid", getppid() >= 0, "a PID", getppid());
}

/* A child that waits for its parent to close the pipe, then exits with `code`. */
static pid_t child_waiting(int *release, int code)
{
    int p[2];
    if (pipe(p) != 0) {
        return -1;
    }
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(p[1]);
        while (read(p[0], &c, 1) < 0 && errno == EINTR) {
        }
        _exit(code);
    }
    close(p[0]);
    *release = p[1];
    return child;
}

/* One waitid with a fresh siginfo: si_pid and si_signo poisoned first, so
 * that a field left unwritten shows. */
static long waitid_into(siginfo_t *info, idtype_t type, id_t id, int options)
{
    memset(info, 0x5a, sizeof(*info));
    return syscall(SYS_waitid, type, (long)id, info, options, NULL); /* no rusage */
}

static void check_waitid(void)
{
    siginfo_t si;
    expect_err("waitid-echild", waitid_into(&si, P_ALL, 0, WEXITED | WNOHANG), ECHILD);
    expect_err("waitid-no-event-einval", waitid_into(&si, P_ALL, 0, WNOHANG), EINVAL);
    expect_err("waitid-options-einval", waitid_into(&si, P_ALL, 0, WEXITED | 0x10), EINVAL);
    expect_err("waitid-pid0-einval", waitid_into(&si, P_PID, 0, WEXITED), EINVAL);
    expect_err("waitid-pgid-negative-einval", waitid_into(&si, P_PGID, (id_t)-1, WEXITED), EINVAL);
    expect_err("waitid-idtype-einval", waitid_into(&si, (idtype_t)99, 0, WEXITED), EINVAL);
    int release;
    pid_t child = child_waiting(&release, 5);
    expect_eq("waitid-nohang-none", waitid_into(&si, P_PID, child, WEXITED | WNOHANG), 0);
    expect_eq("waitid-nohang-zero-pid", si.si_pid, 0);
    expect_eq("waitid-nohang-zero-signo", si.si_signo, 0);
    close(release);
    expect_eq("waitid-nowait", waitid_into(&si, P_PID, child, WEXITED | WNOWAIT), 0);
    expect_eq("waitid-signo", si.si_signo, SIGCHLD);
    expect_eq("waitid-errno", si.si_errno, 0);
    expect_eq("waitid-pid", si.si_pid, child);
    expect_eq("waitid-uid", si.si_uid, getuid());
    expect_eq("waitid-code-exited", si.si_code, CLD_EXITED);
    expect_eq("waitid-status-exited", si.si_status, 5);
    expect_eq("waitid-nowait-still-there", waitid_into(&si, P_ALL, 0, WEXITED), 0);
    expect_eq("waitid-reaped-pid", si.si_pid, child);
    expect_err("waitid-after-echild", waitid_into(&si, P_PID, child, WEXITED), ECHILD);

    /* stopped and continued, each reported once; then killed */
    child = child_waiting(&release, 0);
    kill(child, SIGSTOP);
    expect_eq("waitid-stopped", waitid_into(&si, P_PID, child, WSTOPPED), 0);
    expect_eq("waitid-code-stopped", si.si_code, CLD_STOPPED);
    expect_eq("waitid-status-stopped", si.si_status, SIGSTOP);
    expect_eq("waitid-stopped-once", waitid_into(&si, P_PID, child, WSTOPPED | WNOHANG), 0);
    expect_eq("waitid-stopped-once-pid", si.si_pid, 0);
    kill(child, SIGCONT);
    expect_eq("waitid-continued", waitid_into(&si, P_PID, child, WCONTINUED), 0);
    expect_eq("waitid-code-continued", si.si_code, CLD_CONTINUED);
    expect_eq("waitid-status-continued", si.si_status, SIGCONT);
    kill(child, SIGKILL);
    expect_eq("waitid-killed", waitid_into(&si, P_ALL, 0, WEXITED), 0);
    expect_eq("waitid-code-killed", si.si_code, CLD_KILLED);
    expect_eq("waitid-status-killed", si.si_status, SIGKILL);
    close(release);

    /* by process group: the child's own group, set by both to avoid a race */
    child = child_waiting(&release, 9);
    setpgid(child, child);
    expect_err("waitid-pgid-other-echild",
               waitid_into(&si, P_PGID, (id_t)getpgrp(), WEXITED | WNOHANG), ECHILD);
    close(release);
    expect_eq("waitid-pgid", waitid_into(&si, P_PGID, (id_t)child, WEXITED), 0);
    expect_eq("waitid-pgid-pid", si.si_pid, child);
    expect_eq("waitid-pgid-status", si.si_status, 9);
}

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_seen++;
}

/* A waitid blocked while a signal comes: EINTR after a handler without
 * SA_RESTART, made again with SA_RESTART (signal(7) restarts the wait
 * calls). A second child sends the signal and, holding the first child's
 * pipe, lets it exit only when it exits itself. */
static void waitid_interrupted(const char *name, int sa_flags)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sa.sa_flags = sa_flags;
    sigaction(SIGUSR1, &sa, &old);
    usr1_seen = 0;
    int release;
    pid_t child = child_waiting(&release, 4);
    pid_t parent = getpid();
    pid_t killer = fork();
    if (killer == 0) {
        usleep(100000);
        kill(parent, SIGUSR1);
        usleep(100000);
        _exit(0); /* its copy of `release` closes: the child exits */
    }
    close(release);
    siginfo_t si;
    long r = waitid_into(&si, P_PID, child, WEXITED);
    char check[64];
    snprintf(check, sizeof(check), "%s-handler-ran", name);
    expect_eq(check, usr1_seen, 1);
    if (sa_flags & SA_RESTART) {
        expect_eq(name, r, 0);
        snprintf(check, sizeof(check), "%s-status", name);
        expect_eq(check, si.si_status, 4);
    } else {
        expect_err(name, r, EINTR);
        waitid_into(&si, P_PID, child, WEXITED);
    }
    waitpid(killer, NULL, 0);
    sigaction(SIGUSR1, &old, NULL);
}

static void check_identity(void)
{
    struct utsname u;
    expect_eq("uname", uname(&u), 0);
    expect_eq("uname-sysname", strcmp(u.sysname, "Linux"), 0);
    expect_eq("uname-machine", strcmp(u.machine, "x86_64"), 0);
    char host[128] = {0};
    expect_eq("gethostname", gethostname(host, sizeof(host)), 0);
    expect_eq("gethostname-is-nodename", strcmp(host, u.nodename), 0);
    /* the same name again: only root may, and nothing changes */
    long r = sethostname(host, strlen(host));
    if (getuid() == 0) {
        expect_eq("sethostname-same", r, 0);
    } else {
        expect_err("sethostname-eperm", r, EPERM);
    }
    if (getuid() == 0) {
        expect_err("sethostname-einval", sethostname(host, 65), EINVAL);
    }
    char again[128] = {0};
    gethostname(again, sizeof(again));
    expect_eq("sethostname-kept", strcmp(again, host), 0);
    expect_eq("prctl-set-name", prctl(PR_SET_NAME, "conftest-long-name-here", 0, 0, 0), 0);
    char comm[32] = {0};
    expect_eq("prctl-get-name", prctl(PR_GET_NAME, comm, 0, 0, 0), 0);
    expect_eq("prctl-name-truncated", strcmp(comm, "conftest-long-n"), 0);
    expect_err("prctl-option-einval", prctl(9999, 0, 0, 0, 0), EINVAL);
}

static long ns_between(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000000000l + (b->tv_nsec - a->tv_nsec);
}

static void check_time(void)
{
    struct timespec a, b, r;
    expect_eq("clock-monotonic", clock_gettime(CLOCK_MONOTONIC, &a), 0);
    expect_eq("clock-realtime", clock_gettime(CLOCK_REALTIME, &r), 0);
    expect_err("clock-bad-einval", raw(SYS_clock_gettime, 1000, (long)&b, 0, 0), EINVAL);
    struct timespec d = {0, 20000000};
    expect_eq("nanosleep", nanosleep(&d, NULL), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ns = ns_between(&a, &b);
    expect_true("nanosleep-slept", ns >= 20000000, ">= 20000000 ns", ns);
    int monotonic = 1;
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &a);
        monotonic &= ns_between(&b, &a) >= 0;
        b = a;
    }
    expect_eq("clock-monotonic-nondecreasing", monotonic, 1);
    d.tv_nsec = 1000000000;
    expect_err("nanosleep-einval", nanosleep(&d, NULL), EINVAL);
    struct timeval tv;
    expect_eq("gettimeofday", raw(SYS_gettimeofday, (long)&tv, 0, 0, 0), 0);
    expect_true("gettimeofday-realtime", labs(tv.tv_sec - r.tv_sec) <= 2, "the realtime clock",
                tv.tv_sec - r.tv_sec);
    long t = raw(SYS_time, 0, 0, 0, 0);
    expect_true("time", labs(t - r.tv_sec) <= 2, "the realtime clock", t - r.tv_sec);
}

static long cpu_ns_now(void)
{
    struct timespec t;
    return clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) == 0 ? t.tv_sec * 1000000000L + t.tv_nsec
                                                            : -1;
}

/* Spins until the process's CPU clock has moved `ns` (or 10 s have
 * passed); the figure, sampled or exact, is then at least that. */
static long spin_cpu(long ns)
{
    long start = cpu_ns_now();
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    long spent = 0;
    do {
        for (volatile int i = 0; i < 10000; i++) {
        }
        spent = cpu_ns_now() - start;
        clock_gettime(CLOCK_MONOTONIC, &b);
    } while (spent < ns && ns_between(&a, &b) < 10000000000L);
    return spent;
}

static long rusage_ns(const struct rusage *u)
{
    return (u->ru_utime.tv_sec + u->ru_stime.tv_sec) * 1000000000L +
           (u->ru_utime.tv_usec + u->ru_stime.tv_usec) * 1000L;
}

/* CPU time: the process clock, getrusage, times, and wait4's rusage. */
static void check_cpu_time(void)
{
    const long ms20 = 20000000L;
    long spent = spin_cpu(ms20);
    expect_true("cpu-clock-moves", spent >= ms20, ">= 20 ms of CPU", spent);
    struct rusage u;
    expect_eq("getrusage-self", getrusage(RUSAGE_SELF, &u), 0);
    expect_true("getrusage-self-time", rusage_ns(&u) >= ms20, ">= 20 ms", rusage_ns(&u));
    expect_err("getrusage-einval", raw(SYS_getrusage, 42, (long)&u, 0, 0), EINVAL);
    expect_err("getrusage-efault", raw(SYS_getrusage, RUSAGE_SELF, 8, 0, 0), EFAULT);
    struct tms t;
    clock_t ticks = times(&t);
    expect_true("times", ticks != (clock_t)-1 && t.tms_utime + t.tms_stime >= 2,
                ">= 2 ticks of 10 ms", (long)(t.tms_utime + t.tms_stime));
    pid_t child = fork();
    if (child == 0) {
        spin_cpu(ms20);
        _exit(0);
    }
    int status = -1;
    struct rusage cu = {0};
    expect_eq("wait4-rusage", wait4(child, &status, 0, &cu), child);
    expect_true("wait4-rusage-time", rusage_ns(&cu) >= ms20, ">= 20 ms", rusage_ns(&cu));
    struct rusage children;
    getrusage(RUSAGE_CHILDREN, &children);
    expect_true("getrusage-children", rusage_ns(&children) >= rusage_ns(&cu),
                "at least the child's", rusage_ns(&children));
}

static void check_random(void)
{
    unsigned char a[32], b[32];
    expect_eq("getrandom", raw(SYS_getrandom, (long)a, sizeof(a), 0, 0), sizeof(a));
    raw(SYS_getrandom, (long)b, sizeof(b), 0, 0);
    expect_true("getrandom-differs", memcmp(a, b, sizeof(a)) != 0, "two different draws", 0);
    expect_eq("getrandom-nonblock", raw(SYS_getrandom, (long)a, 8, GRND_NONBLOCK, 0), 8);
    expect_err("getrandom-flags-einval", raw(SYS_getrandom, (long)a, 8, 0x100, 0), EINVAL);
}

static void check_limits(void)
{
    struct rlimit rl, old;
    expect_eq("getrlimit-nofile", getrlimit(RLIMIT_NOFILE, &rl), 0);
    expect_true("getrlimit-nofile-order", rl.rlim_cur <= rl.rlim_max && rl.rlim_cur >= 3,
                "3 <= soft <= hard", (long)rl.rlim_cur);
    expect_eq("prlimit64", raw(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)&old), 0);
    expect_eq("prlimit64-same", old.rlim_cur == rl.rlim_cur && old.rlim_max == rl.rlim_max, 1);
    expect_err("getrlimit-einval", raw(SYS_getrlimit, 999, (long)&rl, 0, 0), EINVAL);
    struct rlimit bad = {rl.rlim_max, rl.rlim_max == RLIM_INFINITY ? 0 : rl.rlim_max - 1};
    expect_err("setrlimit-soft-over-hard", setrlimit(RLIMIT_NOFILE, &bad), EINVAL);
    struct rlimit core;
    getrlimit(RLIMIT_CORE, &core);
    struct rlimit zero = {0, core.rlim_max};
    expect_eq("setrlimit-lower", setrlimit(RLIMIT_CORE, &zero), 0);
    getrlimit(RLIMIT_CORE, &rl);
    expect_eq("setrlimit-lowered", (long)rl.rlim_cur, 0);
    expect_eq("setrlimit-restore", setrlimit(RLIMIT_CORE, &core), 0);
}

static void check_memory(void)
{
    long cur = raw(SYS_brk, 0, 0, 0, 0);
    expect_true("brk-query", cur > 0, "the break", cur);
    /* Linux may refuse to move the break (then brk returns it unchanged);
     * Capsule always does (docs/runtimes.md): malloc falls back to mmap */
    long grown = raw(SYS_brk, cur + 8192, 0, 0, 0);
    expect_true("brk-grow-or-refuse", grown == cur + 8192 || grown == cur, "the new or old break",
                grown);
    if (grown == cur + 8192) {
        ((volatile char *)cur)[8191] = 1;
    }
    expect_eq("brk-shrink", raw(SYS_brk, cur, 0, 0, 0), cur);
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect_true("mmap-anon", m != MAP_FAILED, "a mapping", (long)m);
    if (m != MAP_FAILED) {
        expect_eq("mmap-zeroed", m[4096] + m[3 * 4096 - 1], 0);
        m[0] = 'x';
        expect_eq("mprotect", mprotect(m, 4096, PROT_READ), 0);
        expect_eq("mprotect-kept", m[0], 'x');
        expect_eq("mprotect-none", mprotect(m + 4096, 4096, PROT_NONE), 0);
        /* raw: musl's mprotect rounds the address down itself */
        expect_err("mprotect-unaligned", raw(SYS_mprotect, (long)m + 1, 4096, PROT_READ, 0),
                   EINVAL);
        expect_err("munmap-unaligned", munmap(m + 1, 4096), EINVAL);
        expect_eq("munmap", munmap(m, 3 * 4096), 0);
    }
    expect_err("mmap-zero-length",
               (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    expect_err("mmap-no-type-einval", (long)mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0),
               EINVAL);
}

/* Whether [addr, addr + len) is mapped: mprotect of an unmapped page is ENOMEM. */
static int is_mapped(void *addr, size_t len)
{
    return mprotect(addr, len, PROT_READ) == 0;
}

static long remap(void *addr, size_t old_len, size_t new_len, int flags, void *new_addr)
{
    return syscall(SYS_mremap, addr, old_len, new_len, flags, new_addr);
}

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

static void check_mremap(void)
{
    const long pg = 4096;
    char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 'a';
    m[pg] = 'b';
    expect_eq("mremap-shrink", remap(m, 4 * pg, 2 * pg, 0, NULL), (long)m);
    expect_eq("mremap-shrink-unmaps-tail", is_mapped(m + 2 * pg, pg), 0);
    expect_eq("mremap-grow-in-place", remap(m, 2 * pg, 3 * pg, 0, NULL), (long)m);
    expect_eq("mremap-grow-keeps", m[0] + m[pg], 'a' + 'b');
    expect_eq("mremap-grow-zeroed", m[3 * pg - 1], 0);
    /* a mapping right after it: no room to grow there */
    char *guard = mmap(m + 3 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    expect_eq("mremap-guard", (long)guard, (long)(m + 3 * pg));
    expect_err("mremap-no-room-enomem", remap(m, 3 * pg, 5 * pg, 0, NULL), ENOMEM);
    long q = remap(m, 3 * pg, 5 * pg, MREMAP_MAYMOVE, NULL);
    expect_true("mremap-maymove", q != -1 && q != (long)m, "a new address", q);
    char *n = (char *)q;
    expect_eq("mremap-moved-keeps", n[0] + n[pg], 'a' + 'b');
    expect_eq("mremap-moved-old-gone", is_mapped(m, pg), 0);
    expect_eq("mremap-moved-tail-zero", n[5 * pg - 1], 0);
    n[5 * pg - 1] = 'z';
    expect_err("mremap-unaligned-einval", remap(n + 1, pg, 2 * pg, MREMAP_MAYMOVE, NULL), EINVAL);
    expect_err("mremap-zero-new-einval", remap(n, pg, 0, MREMAP_MAYMOVE, NULL), EINVAL);
    expect_err("mremap-flags-einval", remap(n, pg, pg, 0x40, NULL), EINVAL);
    expect_err("mremap-fixed-needs-maymove", remap(n, pg, pg, MREMAP_FIXED, m), EINVAL);
    expect_err("mremap-fixed-overlap-einval",
               remap(n, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, n + pg), EINVAL);
    expect_err("mremap-dontunmap-sizes-einval",
               remap(n, pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL), EINVAL);
    expect_err("mremap-old-zero-private-einval", remap(n, 0, pg, MREMAP_MAYMOVE, NULL), EINVAL);
    expect_err("mremap-unmapped-efault", remap(m, pg, 2 * pg, MREMAP_MAYMOVE, NULL), EFAULT);
    expect_err("mremap-shrink-unmapped-efault", remap(m, 2 * pg, pg, 0, NULL), EFAULT);
    /* one protection per mapping: a range over two of them is EFAULT */
    mprotect(n + 4 * pg, pg, PROT_READ);
    expect_err("mremap-two-mappings-efault", remap(n, 5 * pg, 6 * pg, MREMAP_MAYMOVE, NULL),
               EFAULT);
    /* to a chosen place, replacing what was there */
    expect_eq("mremap-fixed", remap(n, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, m), (long)m);
    expect_eq("mremap-fixed-moved", m[0], 'a');
    expect_eq("mremap-fixed-old-gone", is_mapped(n, pg), 0);
    /* DONTUNMAP: moved, and the old place stays mapped, reading zeros */
    q = remap(m, pg, pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
    expect_true("mremap-dontunmap", q != -1 && q != (long)m, "a new address", q);
    if (q != -1) {
        expect_eq("mremap-dontunmap-moved", ((char *)q)[0], 'a');
        expect_eq("mremap-dontunmap-old-zero", is_mapped(m, pg) ? m[0] : -1, 0);
        munmap((void *)q, pg);
    }
    munmap(m, pg);
    munmap(n + pg, 4 * pg);
    munmap(guard, pg);
}

static void check_file_mmap(void)
{
    const long pg = 4096;
    int fd = open("mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char page[4096];
    memset(page, 'p', sizeof(page));
    write(fd, page, sizeof(page));
    write(fd, "second page", 11);
    close(fd);
    fd = open("mapped", O_RDONLY);
    char *m = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE, fd, 0);
    expect_true("mmap-file", m != MAP_FAILED, "a mapping", (long)m);
    if (m != MAP_FAILED) {
        expect_eq("mmap-file-first", m[0] + m[pg - 1], 'p' + 'p');
        expect_eq("mmap-file-second", memcmp(m + pg, "second page", 11), 0);
        expect_eq("mmap-file-zero-after-end", m[pg + 11] + m[2 * pg - 1], 0);
        munmap(m, 2 * pg);
    }
    m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, pg);
    expect_true("mmap-file-offset", m != MAP_FAILED && memcmp(m, "second", 6) == 0,
                "the second page", (long)m);
    if (m != MAP_FAILED) {
        m[0] = 'S'; /* private: the file keeps its byte */
        char c = 0;
        pread(fd, &c, 1, pg);
        expect_eq("mmap-file-private-write", c, 's');
        munmap(m, pg);
    }
    expect_err("mmap-file-offset-einval", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 100),
               EINVAL);
    expect_err("mmap-file-ebadf", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 999, 0), EBADF);
    expect_err("mmap-file-zero-einval", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0), EINVAL);
    expect_err("mmap-file-type-einval", (long)mmap(NULL, pg, PROT_READ, 0, fd, 0), EINVAL);
    expect_err("mmap-file-shared-write-eacces", (long)mmap(NULL, pg, PROT_WRITE, MAP_SHARED, fd, 0),
               EACCES);
    /* a shared file mapping: Linux maps it; Capsule refuses it (ENODEV) rather than pretend */
    m = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
    expect_true("mmap-file-shared-or-enodev", m != MAP_FAILED || errno == ENODEV,
                "a mapping or ENODEV", m == MAP_FAILED ? errno : 0);
    if (m != MAP_FAILED) {
        munmap(m, pg);
    }
    close(fd);
    fd = open("mapped", O_WRONLY);
    expect_err("mmap-file-wronly-eacces", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0),
               EACCES);
    close(fd);
    fd = open(".", O_RDONLY | O_DIRECTORY);
    expect_err("mmap-dir-enodev", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0), ENODEV);
    close(fd);
    int p[2];
    pipe(p);
    expect_err("mmap-pipe-enodev", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
    close(p[0]);
    close(p[1]);
}

/* Removes a directory and everything under it (the scratch directory). */
/* The whole of a (small) file into buf, NUL-terminated; its length or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    size_t used = 0;
    long n;
    while (used + 1 < size && (n = read(fd, buf + used, size - 1 - used)) > 0) {
        used += (size_t)n;
    }
    close(fd);
    buf[used] = '\0';
    return (long)used;
}

static void check_procfs(void)
{
    static char a[8192], b[8192];
    double l1, l5, l15, up;
    int running, total, last;
    expect_true("proc-loadavg", slurp("/proc/loadavg", a, sizeof(a)) > 0, "readable", 0);
    int fields = sscanf(a, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last);
    expect_eq("proc-loadavg-fields", fields, 6);
    expect_true("proc-loadavg-counts", running <= total && total >= 1 && last >= 1, "n/total last",
                total);
    expect_true("proc-stat", slurp("/proc/stat", a, sizeof(a)) > 0, "readable", 0);
    expect_eq("proc-stat-cpu-first", strncmp(a, "cpu ", 4), 0);
    char *bt = strstr(a, "\nbtime ");
    long btime = bt != NULL ? strtol(bt + 7, NULL, 10) : 0;
    slurp("/proc/uptime", b, sizeof(b));
    up = strtod(b, NULL);
    long boot = (long)(time(NULL) - (time_t)up);
    expect_true("proc-stat-btime", btime >= boot - 2 && btime <= boot + 2, "now - uptime", btime);
    unsigned long mem_kb = 0;
    expect_true("proc-meminfo", slurp("/proc/meminfo", a, sizeof(a)) > 0, "readable", 0);
    expect_eq("proc-meminfo-total", sscanf(a, "MemTotal: %lu kB\n", &mem_kb), 1);
    expect_true("proc-meminfo-total-size", mem_kb >= 16 * 1024, ">= 16 MiB", (long)mem_kb);
    char link[PATH_MAX];
    ssize_t n = readlink("/proc/self/root", link, sizeof(link) - 1);
    link[n > 0 ? n : 0] = '\0';
    expect_true("proc-self-root", n == 1 && link[0] == '/', "/", n);
    /* the running executable may be read, never written (nothing is changed:
     * O_WRONLY without O_TRUNC, and a fork child still runs it) */
    int fd = open("/proc/self/exe", O_RDONLY);
    expect_true("exe-open-read", fd >= 0, "fd", fd);
    close(fd);
    expect_err("exe-open-write-etxtbsy", open("/proc/self/exe", O_WRONLY), ETXTBSY);
    pid_t child = fork();
    if (child == 0) {
        _exit(0);
    }
    expect_err("exe-open-rdwr-etxtbsy", open("/proc/self/exe", O_RDWR), ETXTBSY);
    waitpid(child, NULL, 0);
    long la = slurp("/proc/mounts", a, sizeof(a));
    long lb = slurp("/proc/self/mounts", b, sizeof(b));
    expect_true("proc-self-mounts", la > 0 && la == lb && memcmp(a, b, (size_t)la) == 0,
                "as /proc/mounts", lb);
}

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        return unlink(path);
    }
    struct dirent *e;
    int err = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char sub[PATH_MAX];
            snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
            err |= e->d_type == DT_DIR ? remove_tree(sub) : unlink(sub);
        }
    }
    closedir(d);
    return err | rmdir(path);
}

static void check_registers(void)
{
    const char *failed = registers_check_all();
    if (failed == NULL) {
        pass("registers-across-syscalls");
    } else {
        checks++;
        failures++;
        printf("FAIL registers-across-syscalls: expected every register kept, got %s\n", failed);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(022);
    char dir[] = "/tmp/conformance.XXXXXX";
    if (mkdtemp(dir) == NULL || chdir(dir) != 0) {
        printf("conformance: no scratch directory (errno %d)\n", errno);
        return 2;
    }
    check_open();
    check_read_write();
    check_bad_fd();
    check_bad_pointers();
    check_dup_fcntl();
    check_stat();
    ensure_proc();
    check_statx_statfs();
    check_dirs();
    check_getdents();
    check_rename();
    check_links();
    check_modes();
    check_truncate();
    check_pipes();
    check_processes();
    check_waitid();
    waitid_interrupted("waitid-eintr", 0);
    waitid_interrupted("waitid-sa-restart", SA_RESTART);
    check_identity();
    check_time();
    check_cpu_time();
    check_random();
    check_limits();
    check_memory();
    check_mremap();
    check_file_mmap();
    check_procfs();
    check_registers();
    expect_eq("cleanup", chdir("/") == 0 && remove_tree(dir) == 0, 1);
    printf("conformance: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
