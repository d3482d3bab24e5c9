/*
 * Files through vfs-server, as an unmodified musl program uses them: stdio
 * on the console, create/write/seek/read/stat in a ramfs, directories and
 * the current directory, getdents, dup2, descriptors shared with a forked
 * child, and the errors. Prints "files: N checks failed" and exits with 42
 * when all hold.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("files: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno);                \
        }                                                                                          \
    } while (0)

static void check_read_write(void)
{
    int fd = open("/tmp/a.txt", O_CREAT | O_RDWR | O_EXCL, 0644);
    CHECK(fd >= 3);
    CHECK(write(fd, "hello, vfs\n", 11) == 11);
    CHECK(lseek(fd, 7, SEEK_SET) == 7);
    char buf[16] = {0};
    CHECK(read(fd, buf, sizeof(buf)) == 4 && memcmp(buf, "vfs\n", 4) == 0);
    CHECK(read(fd, buf, sizeof(buf)) == 0); /* end of file */
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 11 && S_ISREG(st.st_mode));
    CHECK((st.st_mode & 0777) == 0644);
    CHECK(close(fd) == 0);
    CHECK(open("/tmp/a.txt", O_CREAT | O_EXCL | O_RDWR, 0644) == -1 && errno == EEXIST);
    CHECK(stat("/tmp/a.txt", &st) == 0 && st.st_size == 11);
    CHECK(open("/nonexistent", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(read(99, buf, 1) == -1 && errno == EBADF);
    CHECK(open((const char *)0x10000000, O_RDONLY) == -1 && errno == EFAULT);
}

static void check_directories(void)
{
    CHECK(mkdir("/tmp/d", 0755) == 0);
    CHECK(mkdir("/tmp/d", 0755) == -1 && errno == EEXIST);
    CHECK(chdir("/tmp/d") == 0);
    char cwd[64];
    CHECK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/tmp/d") == 0);
    int fd = open("rel", O_CREAT | O_WRONLY, 0600);
    CHECK(fd >= 0 && close(fd) == 0);
    CHECK(access("/tmp/d/rel", F_OK) == 0);
    DIR *dir = opendir(".");
    CHECK(dir != NULL);
    int names = 0, rel = 0;
    for (struct dirent *e; dir != NULL && (e = readdir(dir)) != NULL;) {
        names++;
        rel += strcmp(e->d_name, "rel") == 0;
    }
    CHECK(names == 3 && rel == 1); /* ".", "..", "rel" */
    CHECK(dir == NULL || closedir(dir) == 0);
    CHECK(rmdir("/tmp/d") == -1 && errno == ENOTEMPTY);
    CHECK(unlink("rel") == 0 && chdir("/") == 0 && rmdir("/tmp/d") == 0);
    CHECK(stat("/tmp/d", &(struct stat){0}) == -1 && errno == ENOENT);
}

/* A forked child shares the open file description: its writes move the
 * parent's offset too. */
static void check_shared_offset(void)
{
    int fd = open("/tmp/shared", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(fd >= 0 && write(fd, "parent ", 7) == 7);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(write(fd, "child", 5) == 5 ? 0 : 1);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 12);
    char buf[16] = {0};
    CHECK(pread(fd, buf, 12, 0) == 12 && lseek(fd, 0, SEEK_CUR) == 12); /* pread keeps the offset */
    CHECK(memcmp(buf, "parent child", 12) == 0);
    CHECK(close(fd) == 0);
}

static void check_dup(void)
{
    int fd = open("/tmp/dup", O_CREAT | O_RDWR | O_TRUNC, 0600);
    int saved = dup(1);
    CHECK(saved >= 0 && dup2(fd, 1) == 1);
    CHECK(write(1, "via 1", 5) == 5);
    CHECK(dup2(saved, 1) == 1 && close(saved) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 5);
    CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    CHECK(close(fd) == 0 && close(fd) == -1 && errno == EBADF);
}

int main(void)
{
    printf("files: hello from /sbin/init\n");
    check_read_write();
    check_directories();
    check_shared_offset();
    check_dup();
    printf("files: %d checks failed\n", failures);
    fflush(stdout);
    return failures == 0 ? 42 : 1;
}
