/*
 * Pipes and poll through vfs-server, as an unmodified musl program uses
 * them: a child writes and the parent reads, end of file, EPIPE and death
 * by SIGPIPE seen in wait4's status, 1 MiB between two processes, O_NONBLOCK,
 * FIONREAD, poll and select with and without timeouts, a waiting reader
 * killed without losing data, and a pipe end as stdout of BusyBox's echo
 * (when the image has BusyBox). Prints "pipes: N checks failed" and exits
 * with 42 when all hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("pipes: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno);                \
        }                                                                                          \
    } while (0)

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    poll(NULL, 0, ms); /* a poll of nothing waits its timeout out */
}

/* The status wait4 reports for `pid`. */
static int reap(pid_t pid)
{
    int status = -1;
    CHECK(waitpid(pid, &status, 0) == pid);
    return status;
}

static void check_basics(void)
{
    int p[2], q[2];
    CHECK(pipe(p) == 0 && p[0] >= 3 && p[1] == p[0] + 1);
    CHECK(pipe2(q, O_CLOEXEC) == 0);
    struct stat a, b, c;
    CHECK(fstat(p[0], &a) == 0 && S_ISFIFO(a.st_mode) && a.st_size == 0);
    CHECK(fstat(p[1], &b) == 0 && b.st_ino == a.st_ino && b.st_dev == a.st_dev);
    CHECK(fstat(q[0], &c) == 0 && c.st_ino != a.st_ino);
    CHECK(fcntl(q[0], F_GETFD) == FD_CLOEXEC && fcntl(p[0], F_GETFD) == 0);
    CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
    CHECK((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
    CHECK(lseek(p[0], 0, SEEK_CUR) == -1 && errno == ESPIPE);
    CHECK(pwrite(p[1], "x", 1, 0) == -1 && errno == ESPIPE);
    CHECK(write(p[0], "x", 1) == -1 && errno == EBADF);
    CHECK(pipe2(q, O_APPEND) == -1 && errno == EINVAL);
    CHECK(write(p[1], "hello", 5) == 5);
    int avail = -1;
    CHECK(ioctl(p[0], FIONREAD, &avail) == 0 && avail == 5);
    char buf[16];
    CHECK(read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
    /* a readv whose first part takes everything there does not wait for more */
    CHECK(write(p[1], "abc", 3) == 3);
    char x[3], y[8];
    struct iovec iov[2] = {{x, 3}, {y, 8}};
    CHECK(readv(p[0], iov, 2) == 3 && memcmp(x, "abc", 3) == 0);
    CHECK(close(p[1]) == 0);
    CHECK(read(p[0], buf, sizeof(buf)) == 0); /* no writer: end of file */
    close(p[0]);
    close(q[0]);
    close(q[1]);
}

/* A child writes, with a delay, while the parent already waits to read. */
static void check_child_writes(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        sleep_ms(30);
        const char msg[] = "hello from the child";
        _exit(write(p[1], msg, sizeof(msg) - 1) == sizeof(msg) - 1 ? 0 : 1);
    }
    CHECK(close(p[1]) == 0);
    char buf[64];
    size_t have = 0;
    ssize_t n;
    while ((n = read(p[0], buf + have, sizeof(buf) - have)) > 0) {
        have += (size_t)n;
    }
    CHECK(n == 0 && have == 20 && memcmp(buf, "hello from the child", 20) == 0);
    CHECK(reap(pid) == 0);
    close(p[0]);
}

/* A writer without reader dies of SIGPIPE: at once, and while it waits. */
static void check_sigpipe(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(close(p[0]) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1);
        _exit(7); /* not reached: SIGPIPE ends the child */
    }
    int status = reap(pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
    close(p[1]);

    CHECK(pipe(p) == 0);
    pid = fork();
    if (pid == 0) {
        static char big[100000];
        close(p[0]);
        write(p[1], big, sizeof(big)); /* 64 KiB go, then it waits */
        _exit(7);
    }
    CHECK(close(p[1]) == 0);
    char buf[10];
    CHECK(read(p[0], buf, sizeof(buf)) == 10);
    sleep_ms(30);
    CHECK(close(p[0]) == 0); /* the last reader: the waiting write ends */
    status = reap(pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
}

static uint32_t fnv1a(uint32_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

#define MIB (1u << 20)

static uint8_t pattern_byte(size_t i)
{
    return (uint8_t)(i * 131 + (i >> 9));
}

/* 1 MiB in odd-sized writes and reads arrives whole and in order. */
static void check_transfer(void)
{
    static uint8_t data[MIB], got[9973];
    for (size_t i = 0; i < MIB; i++) {
        data[i] = pattern_byte(i);
    }
    uint32_t want = fnv1a(2166136261u, data, MIB);
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (size_t off = 0; off < MIB;) {
            size_t n = MIB - off < 12345 ? MIB - off : 12345;
            ssize_t w = write(p[1], data + off, n);
            if (w != (ssize_t)n) {
                _exit(1);
            }
            off += n;
        }
        _exit(0);
    }
    close(p[1]);
    uint32_t h = 2166136261u;
    size_t total = 0;
    ssize_t n;
    while ((n = read(p[0], got, sizeof(got))) > 0) {
        h = fnv1a(h, got, (size_t)n);
        total += (size_t)n;
    }
    CHECK(n == 0 && total == MIB && h == want);
    CHECK(reap(pid) == 0);
    close(p[0]);
}

static void check_nonblocking(void)
{
    int p[2];
    CHECK(pipe2(p, O_NONBLOCK) == 0);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    char buf[4096];
    CHECK(read(p[0], buf, sizeof(buf)) == -1 && errno == EAGAIN);
    memset(buf, 'n', sizeof(buf));
    size_t total = 0;
    ssize_t n;
    while ((n = write(p[1], buf, 1000)) > 0) {
        total += (size_t)n;
    }
    CHECK(n == -1 && errno == EAGAIN && total == 65000); /* 1000 more bytes never fit */
    CHECK(write(p[1], buf, 536) == 536 && write(p[1], buf, 1) == -1 && errno == EAGAIN);
    CHECK(fcntl(p[0], F_SETFL, 0) == 0 && !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
    CHECK(read(p[0], buf, sizeof(buf)) == sizeof(buf));
    close(p[0]);
    close(p[1]);
}

static void check_poll(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    struct pollfd fds[3] = {{p[0], POLLIN, -1}, {p[1], POLLOUT, -1}, {99, POLLIN, -1}};
    CHECK(poll(fds, 3, 0) == 2);
    CHECK(fds[0].revents == 0 && fds[1].revents == POLLOUT && fds[2].revents == POLLNVAL);
    fds[0].revents = -1;
    int64_t start = now_ms();
    CHECK(poll(fds, 1, 100) == 0 && fds[0].revents == 0); /* the timeout expires */
    int64_t waited = now_ms() - start;
    CHECK(waited >= 90 && waited < 2000);
    CHECK(write(p[1], "z", 1) == 1);
    CHECK(poll(fds, 1, 100) == 1 && fds[0].revents == POLLIN);
    char c;
    CHECK(read(p[0], &c, 1) == 1);
    CHECK(close(p[1]) == 0);
    CHECK(poll(fds, 1, -1) == 1 && fds[0].revents == POLLHUP);
    close(p[0]);
}

/* poll and select wait until a child writes. */
static void check_poll_wakes(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        _exit(write(p[1], "w", 1) == 1 ? 0 : 1);
    }
    struct pollfd fd = {p[0], POLLIN, 0};
    CHECK(poll(&fd, 1, -1) == 1 && fd.revents == POLLIN);
    CHECK(reap(pid) == 0);
    char c;
    CHECK(read(p[0], &c, 1) == 1 && c == 'w');

    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        _exit(write(p[1], "s", 1) == 1 ? 0 : 1);
    }
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timeval tv = {5, 0};
    CHECK(select(p[0] + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &rd));
    CHECK(reap(pid) == 0);
    CHECK(read(p[0], &c, 1) == 1 && c == 's');
    /* select: the write end is ready, the empty read end times out */
    FD_ZERO(&wr);
    FD_SET(p[1], &wr);
    FD_SET(p[0], &rd);
    tv = (struct timeval){0, 50000};
    CHECK(select(p[1] + 1, &rd, &wr, NULL, &tv) == 1 && FD_ISSET(p[1], &wr) &&
          !FD_ISSET(p[0], &rd));
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    tv = (struct timeval){0, 50000};
    CHECK(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &rd));
    FD_SET(42, &rd);
    CHECK(select(43, &rd, NULL, NULL, &tv) == -1 && errno == EBADF);
    close(p[0]);
    close(p[1]);
}

/* A reader killed while it waits takes no bytes with it. */
static void check_killed_reader(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        char buf[8];
        read(p[0], buf, sizeof(buf));
        _exit(7);
    }
    sleep_ms(50); /* the child waits in its read by now */
    CHECK(kill(pid, SIGKILL) == 0);
    int status = reap(pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK(write(p[1], "kept", 4) == 4);
    char buf[8];
    CHECK(read(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "kept", 4) == 0);
    close(p[0]);
    close(p[1]);
}

/* BusyBox's echo writes into a pipe that is its stdout. */
static void check_exec_into_pipe(void)
{
    if (access("/bin/busybox", X_OK) != 0) {
        printf("pipes: no /bin/busybox: exec check skipped\n");
        return;
    }
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execl("/bin/echo", "echo", "through a pipe", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char buf[64];
    size_t have = 0;
    ssize_t n;
    while ((n = read(p[0], buf + have, sizeof(buf) - have)) > 0) {
        have += (size_t)n;
    }
    CHECK(have == 15 && memcmp(buf, "through a pipe\n", 15) == 0);
    CHECK(reap(pid) == 0);
    close(p[0]);
}

int main(void)
{
    printf("pipes: hello from /sbin/init\n");
    fflush(stdout);
    check_basics();
    check_child_writes();
    check_sigpipe();
    check_transfer();
    check_nonblocking();
    check_poll();
    check_poll_wakes();
    check_killed_reader();
    check_exec_into_pipe();
    printf("pipes: %d checks failed\n", failures);
    fflush(stdout);
    return failures == 0 ? 42 : 1;
}
