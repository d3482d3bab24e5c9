/*
 * Pseudo-terminals as a Linux program sees them: /dev/ptmx, unlockpt,
 * ptsname, the slave as a terminal (canonical input, echo, ONLCR, raw
 * mode, ^C for its foreground group), poll on the master, what closing
 * either end does, /dev/tty on a slave, numbering per devfs instance;
 * blocking writes, the controlling terminal taken at open and SIGTTIN. Each
 * check prints "pty: NAME ok" or "pty: NAME FAILED"; the last line counts
 * failures. Under Capsule it is init (PID 1); with --host it runs the checks
 * that need nothing of Capsule's on the Linux host (ctest host_proc_pty).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("pty: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno);                  \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

static int master = -1, slave = -1;

/* Reads from `fd` until `want` bytes came or a read gives none. */
static ssize_t read_all(int fd, char *buf, size_t want)
{
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n <= 0) {
            return got > 0 ? (ssize_t)got : n;
        }
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static bool readable(int fd, int timeout_ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

static bool check_open(void)
{
    master = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(master >= 0);
    CHECK(isatty(master));
    unsigned n = 99;
    CHECK(ioctl(master, TIOCGPTN, &n) == 0 && n == 0);
    CHECK(open("/dev/pts/0", O_RDWR | O_NOCTTY) == -1 && errno == EIO); /* locked */
    CHECK(grantpt(master) == 0 && unlockpt(master) == 0);
    const char *name = ptsname(master);
    CHECK(name != NULL && strcmp(name, "/dev/pts/0") == 0);
    struct stat st;
    CHECK(stat(name, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(136, 0));
    slave = open(name, O_RDWR | O_NOCTTY);
    CHECK(slave >= 0 && isatty(slave));
    CHECK(ioctl(slave, TIOCGPTN, &n) == -1 && errno == ENOTTY);
    return true;
}

static bool check_canonical(void)
{
    char buf[64];
    CHECK(write(master, "hel", 3) == 3);
    CHECK(!readable(slave, 50)); /* no line yet */
    CHECK(write(master, "lo\n", 3) == 3);
    CHECK(read(slave, buf, sizeof(buf)) == 6 && memcmp(buf, "hello\n", 6) == 0);
    /* the echo, "\n" as "\r\n" */
    CHECK(read_all(master, buf, 7) == 7 && memcmp(buf, "hello\r\n", 7) == 0);
    return true;
}

static bool check_output(void)
{
    char buf[64];
    CHECK(write(slave, "out\n", 4) == 4);
    CHECK(read_all(master, buf, 5) == 5 && memcmp(buf, "out\r\n", 5) == 0);
    return true;
}

static bool check_raw(void)
{
    struct termios saved, raw;
    char buf[8];
    CHECK(tcgetattr(slave, &saved) == 0);
    raw = saved;
    cfmakeraw(&raw);
    CHECK(tcsetattr(slave, TCSANOW, &raw) == 0);
    CHECK(write(master, "a\003", 2) == 2);
    CHECK(read_all(slave, buf, 2) == 2 && memcmp(buf, "a\003", 2) == 0);
    CHECK(!readable(master, 50)); /* no echo */
    CHECK(write(slave, "x\n", 2) == 2);
    CHECK(read_all(master, buf, 2) == 2 && memcmp(buf, "x\n", 2) == 0); /* no OPOST */
    CHECK(tcsetattr(slave, TCSANOW, &saved) == 0);
    return true;
}

static bool check_winsize(void)
{
    struct winsize ws = {.ws_row = 40, .ws_col = 132};
    CHECK(ioctl(master, TIOCSWINSZ, &ws) == 0);
    memset(&ws, 0, sizeof(ws));
    CHECK(ioctl(slave, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 40 && ws.ws_col == 132);
    int n = -1;
    CHECK(write(master, "ab\n", 3) == 3);
    CHECK(ioctl(slave, FIONREAD, &n) == 0 && n == 3);
    char buf[8];
    CHECK(read(slave, buf, sizeof(buf)) == 3);
    CHECK(read_all(master, buf, 4) == 4); /* the echo */
    return true;
}

/* A child in a new session with the slave as its controlling terminal
 * (foreground group: its own); ^C written to the master kills it. */
static bool check_interrupt(void)
{
    int ready[2];
    CHECK(pipe(ready) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(master);
        setsid();
        if (ioctl(slave, TIOCSCTTY, 0) != 0 || tcgetpgrp(slave) != getpid()) {
            _exit(3);
        }
        write(ready[1], "r", 1);
        for (;;) {
            pause();
        }
    }
    char c;
    close(ready[1]);
    CHECK(read(ready[0], &c, 1) == 1);
    close(ready[0]);
    CHECK(write(master, "\003", 1) == 1);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
    char buf[8];
    CHECK(read_all(master, buf, 2) == 2 && memcmp(buf, "^C", 2) == 0); /* ECHOCTL */
    return true;
}

static bool child_passed(pid_t pid);

/* check_interrupt's session leader died: its terminal is free for the
 * next session leader (Linux's disassociate_ctty at a leader's exit). */
static bool check_leader_exit(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(master);
        setsid();
        _exit(ioctl(slave, TIOCSCTTY, 0) == 0 && tcgetpgrp(slave) == getpid() ? 0 : 1);
    }
    return child_passed(pid);
}

/* poll on the master wakes when a child writes to the slave. */
static bool check_poll(void)
{
    CHECK(!readable(master, 0));
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        usleep(100000);
        _exit(write(slave, "late\n", 5) == 5 ? 0 : 1);
    }
    CHECK(readable(master, 5000));
    char buf[8];
    CHECK(read_all(master, buf, 6) == 6 && memcmp(buf, "late\r\n", 6) == 0);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return true;
}

/* A slave whose output fills the master's buffer is not writable until a
 * master read makes room; poll wakes then. */
static bool check_pollout(void)
{
    static char big[8192];
    memset(big, 'y', sizeof(big));
    CHECK(fcntl(slave, F_SETFL, O_NONBLOCK) == 0);
    CHECK(write(slave, big, sizeof(big)) == 4096); /* what the buffer takes */
    CHECK(write(slave, big, 1) == -1 && errno == EAGAIN);
    CHECK(fcntl(slave, F_SETFL, 0) == 0);
    struct pollfd p = {slave, POLLOUT, 0};
    CHECK(poll(&p, 1, 0) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        usleep(100000);
        _exit(read(master, big, 100) == 100 ? 0 : 1);
    }
    CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLOUT));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(read_all(master, big, 3996) == 3996);
    CHECK(!readable(master, 0));
    return true;
}

/* A blocking write to a full slave waits until the master has read every
 * byte, as on Linux; the master sees them all, in order. */
/* More than any pty buffers: Linux holds about 68 KiB, Capsule 4 KiB. */
#define PTY_FILL (256 * 1024)

static bool check_blocking_write(void)
{
    static char big[PTY_FILL], got[PTY_FILL];
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (char)('a' + i % 26);
    }
    int done[2];
    CHECK(pipe(done) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        ssize_t n = write(slave, big, sizeof(big));
        write(done[1], &n, sizeof(n));
        _exit(0);
    }
    close(done[1]);
    CHECK(!readable(done[0], 300)); /* still blocked: the buffer is full */
    CHECK(read_all(master, got, sizeof(got)) == (ssize_t)sizeof(got));
    CHECK(memcmp(big, got, sizeof(got)) == 0);
    ssize_t n = 0;
    CHECK(read(done[0], &n, sizeof(n)) == sizeof(n) && n == (ssize_t)sizeof(big));
    close(done[0]);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(!readable(master, 0));
    return true;
}

/* A writer killed while it waits: what it wrote stays, and the next
 * writer is not held behind it. */
static bool check_killed_writer(void)
{
    static char big[PTY_FILL], got[4096];
    memset(big, 'k', sizeof(big));
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        write(slave, big, sizeof(big));
        _exit(0);
    }
    CHECK(readable(master, 5000));
    usleep(200000); /* it fills the buffer and waits */
    CHECK(kill(pid, SIGKILL) == 0);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
    size_t drained = 0;
    while (readable(master, 200)) {
        ssize_t n = read(master, got, sizeof(got));
        CHECK(n > 0 && got[n - 1] == 'k');
        drained += (size_t)n;
    }
    CHECK(drained > 0 && drained < sizeof(big));
    CHECK(write(slave, "ok", 2) == 2);
    CHECK(read_all(master, got, 2) == 2 && memcmp(got, "ok", 2) == 0);
    return true;
}

/* The child's exit code says which step failed. */
static bool child_passed(pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("pty: child failed: status %#x\n", status);
        return false;
    }
    return true;
}

/* Linux's rule: a session leader without a controlling terminal that opens
 * a terminal without O_NOCTTY takes it; with O_NOCTTY, or not a leader, it
 * does not. */
static bool check_open_ctty(void)
{
    /* a pair of its own: pts/0 still names the session check_interrupt made */
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0 && unlockpt(m) == 0);
    const char *name = ptsname(m);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int s = open(name, O_RDWR); /* not a session leader */
        if (s < 0 || open("/dev/tty", O_RDWR) != -1 || errno != ENXIO) {
            _exit(1);
        }
        close(s);
        setsid();
        s = open(name, O_RDWR | O_NOCTTY);
        if (s < 0 || tcgetpgrp(s) != -1 || errno != ENOTTY) {
            _exit(2);
        }
        if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO) {
            _exit(3);
        }
        close(s);
        s = open(name, O_RDWR);
        if (s < 0 || tcgetpgrp(s) != getpid()) {
            _exit(4);
        }
        _exit(open("/dev/tty", O_RDWR) >= 0 ? 0 : 5);
    }
    bool ok = child_passed(pid);
    close(m);
    return ok;
}

static volatile sig_atomic_t ttin_caught;

static void on_ttin(int sig)
{
    (void)sig;
    ttin_caught = 1;
}

/* A background reader of its controlling terminal: `how` 0 default
 * (stopped by SIGTTIN), 1 ignored and 2 blocked (EIO), 3 a handler without
 * SA_RESTART (EINTR after the handler ran). */
static void background_reader(int tty, int how)
{
    setpgid(0, 0);
    if (how == 1) {
        signal(SIGTTIN, SIG_IGN);
    } else if (how == 2) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTTIN);
        sigprocmask(SIG_BLOCK, &set, NULL);
    } else if (how == 3) {
        struct sigaction sa = {0};
        sa.sa_handler = on_ttin;
        sigaction(SIGTTIN, &sa, NULL);
    }
    char c;
    ssize_t n = read(tty, &c, 1);
    if (how == 0) {
        _exit(10); /* never: stopped, then killed */
    }
    int want = how == 3 ? EINTR : EIO;
    _exit(n == -1 && errno == want && (how != 3 || ttin_caught) ? 0 : 20 + how);
}

/* The session leader of the terminal runs the four readers. */
static int sigttin_session(const char *name)
{
    setsid();
    int tty = open(name, O_RDWR);
    if (tty < 0 || tcgetpgrp(tty) != getpid()) {
        return 1;
    }
    for (int how = 0; how < 4; how++) {
        pid_t pid = fork();
        if (pid == 0) {
            background_reader(tty, how);
        }
        setpgid(pid, pid);
        int status = 0;
        if (waitpid(pid, &status, WUNTRACED) != pid) {
            return 2;
        }
        if (how == 0) {
            if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTTIN) {
                return 3;
            }
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            return 4 + how;
        }
    }
    return 0;
}

/* Job control of reads: SIGTTIN stops a background reader, EIO when it
 * ignores or blocks SIGTTIN, EINTR after a handler. */
static bool check_sigttin(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0 && unlockpt(m) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        _exit(sigttin_session(ptsname(m)));
    }
    bool ok = child_passed(pid);
    close(m);
    return ok;
}

/* A second devfs instance has its own numbering and does not show ours. */
static bool check_instances(void)
{
    struct stat st;
    CHECK(mkdir("/dev2", 0755) == 0 || errno == EEXIST);
    CHECK(mount("devtmpfs", "/dev2", "devtmpfs", 0, NULL) == 0);
    CHECK(stat("/dev2/pts/0", &st) == -1 && errno == ENOENT);
    CHECK(stat("/dev/pts/0", &st) == 0);
    int other = open("/dev2/ptmx", O_RDWR | O_NOCTTY);
    CHECK(other >= 0);
    unsigned n = 99;
    CHECK(ioctl(other, TIOCGPTN, &n) == 0 && n == 0); /* its own pts/0 */
    CHECK(stat("/dev2/pts/0", &st) == 0);
    CHECK(close(other) == 0);
    CHECK(stat("/dev2/pts/0", &st) == -1 && errno == ENOENT); /* gone with its master */
    CHECK(stat("/dev/pts/0", &st) == 0);
    return true;
}

static bool check_master_close(void)
{
    char buf[8];
    CHECK(close(master) == 0);
    CHECK(read(slave, buf, sizeof(buf)) == 0);
    CHECK(write(slave, "x", 1) == -1 && errno == EIO);
    struct stat st;
    CHECK(stat("/dev/pts/0", &st) == -1 && errno == ENOENT);
    CHECK(close(slave) == 0);
    return true;
}

static bool check_slave_close(void)
{
    char buf[8];
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0 && unlockpt(m) == 0);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    CHECK(s >= 0);
    CHECK(close(s) == 0);
    CHECK(read(m, buf, sizeof(buf)) == -1 && errno == EIO);
    CHECK(close(m) == 0);
    return true;
}

/* A child whose controlling terminal is a slave reaches it as /dev/tty,
 * and dies of SIGHUP when the master closes. */
static bool check_hangup(void)
{
    int ready[2];
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0 && unlockpt(m) == 0 && pipe(ready) == 0);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    CHECK(s >= 0);
    CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO); /* not ours */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(m);
        setsid();
        int tty = -1;
        if (ioctl(s, TIOCSCTTY, 0) != 0 || (tty = open("/dev/tty", O_RDWR)) < 0 ||
            write(tty, "tty\n", 4) != 4) {
            _exit(3);
        }
        write(ready[1], "r", 1);
        for (;;) {
            pause();
        }
    }
    char buf[8];
    close(ready[1]);
    CHECK(read(ready[0], buf, 1) == 1);
    close(ready[0]);
    CHECK(read_all(m, buf, 5) == 5 && memcmp(buf, "tty\r\n", 5) == 0);
    CHECK(close(m) == 0);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP);
    CHECK(close(s) == 0);
    return true;
}

static void run(const char *name, bool (*check)(void))
{
    bool ok = check();
    printf("pty: %s %s\n", name, ok ? "ok" : "FAILED");
    failures += ok ? 0 : 1;
}

/* `proc-pty-host --host` on Linux (ctest host_proc_pty): the checks that
 * need no devtmpfs of our own and no Capsule numbering, on a pair of the
 * host's, so their expectations are Linux's own. */
static int host_main(void)
{
    master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
        (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) < 0) {
        printf("pty: no pseudo-terminal on this host (errno %d)\n", errno);
        return 1;
    }
    run("blocking-write", check_blocking_write);
    run("killed-writer", check_killed_writer);
    run("open-ctty", check_open_ctty);
    run("sigttin", check_sigttin);
    printf("pty: %d checks failed\n", failures);
    return failures == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "--host") == 0) {
        return host_main();
    }
    mkdir("/dev", 0755);
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0) {
        printf("pty: cannot mount devtmpfs on /dev (errno %d)\n", errno);
        return 1;
    }
    run("open", check_open);
    run("canonical", check_canonical);
    run("output", check_output);
    run("raw", check_raw);
    run("winsize", check_winsize);
    run("interrupt", check_interrupt);
    run("leader-exit", check_leader_exit);
    run("poll", check_poll);
    run("pollout", check_pollout);
    run("blocking-write", check_blocking_write);
    run("killed-writer", check_killed_writer);
    run("open-ctty", check_open_ctty);
    run("sigttin", check_sigttin);
    run("instances", check_instances);
    run("master-close", check_master_close);
    run("slave-close", check_slave_close);
    run("hangup", check_hangup);
    printf("pty: %d checks failed\n", failures);
    return failures == 0 ? 0 : 1;
}
