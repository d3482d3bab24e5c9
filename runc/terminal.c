#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "capsule/vfs_client.h"
#include "relay.h"

/* ---- the pair ---- */

int terminal_make(const capsule_obj_t *ctx, terminal_t *out)
{
    int master = capsule_vfs_context_open(ctx, "/dev/ptmx", O_RDWR | O_NOCTTY, 0);
    if (master < 0) {
        return master;
    }
    int unlock = 0, err = 0;
    unsigned n;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0) {
        err = -errno;
    }
    char path[32];
    snprintf(path, sizeof(path), "/dev/pts/%u", n);
    /* O_NOCTTY: the pty is PID 1's terminal (vfs-server's spawn), never runc's */
    int slave = err < 0 ? err : capsule_vfs_context_open(ctx, path, O_RDWR | O_NOCTTY, 0);
    err = slave < 0 ? slave : capsule_vfs_context_set_console(ctx, master);
    if (err < 0) {
        if (slave >= 0) {
            close(slave);
        }
        close(master);
        return err;
    }
    *out = (terminal_t){master, slave};
    return 0;
}

/* ---- runc's own terminal: raw while relaying ---- */

static struct termios saved;
static volatile sig_atomic_t raw_now, winch;

static void restore(void)
{
    if (raw_now) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        raw_now = 0;
    }
}

static void make_raw(void)
{
    struct termios raw = saved;
    cfmakeraw(&raw);
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
        raw_now = 1;
    }
}

/* A signal that would end runc: the terminal first, then the default. */
static void restore_and_die(int sig)
{
    restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Stopped (kill -TSTP): cooked while stopped, raw again when continued. */
static void restore_and_stop(int sig)
{
    (void)sig;
    restore();
    raise(SIGSTOP);
    make_raw();
}

static void note_winch(int sig)
{
    (void)sig;
    winch = 1;
}

static void on(int sig, void (*handler)(int))
{
    struct sigaction sa = {.sa_handler = handler};
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL); /* no SA_RESTART: poll wakes up */
}

/* SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 are runc's to forward
 * (verbs.c) and end nothing; these would end or stop runc. */
static void enter_raw(void)
{
    static const int fatal[] = {SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGSEGV,
                                SIGBUS,  SIGILL,    SIGFPE,  SIGABRT, SIGSYS,  SIGTRAP};
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) < 0) {
        return; /* not a terminal: relayed as it is */
    }
    atexit(restore);
    for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
        on(fatal[i], restore_and_die);
    }
    on(SIGTSTP, restore_and_stop);
    make_raw();
}

/* runc's window size, when it has one, becomes the pty's. */
static void copy_winsize(int master)
{
    struct winsize ws;
    winch = 0;
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) {
        ioctl(master, TIOCSWINSZ, &ws);
    }
}

/* ---- the relay ---- */

typedef struct {
    relay_t in;  /* runc's stdin to the master */
    relay_t out; /* the master to runc's stdout */
    int master;
    int veof; /* the pty's end-of-file character */
} pumps_t;

/* Reads from fd into r; the end (or an error) ends r. */
static void pump_in(int fd, relay_t *r, int eof_byte)
{
    unsigned char *at;
    size_t room = relay_room(r, &at);
    ssize_t n = room > 0 ? read(fd, at, room) : -1;
    if (n > 0) {
        relay_filled(r, (size_t)n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        relay_end(r, eof_byte);
    }
}

/* Writes what r holds to fd; bytes nobody can take any more are dropped so
 * the other side never stalls on them. */
static void pump_out(int fd, relay_t *r)
{
    const unsigned char *at;
    size_t len = relay_pending(r, &at);
    ssize_t n = write(fd, at, len);
    if (n > 0) {
        relay_taken(r, (size_t)n);
    } else if (n < 0 && errno != EINTR && errno != EAGAIN) {
        relay_taken(r, len);
        relay_end(r, -1);
    }
}

enum { P_STDIN, P_STDOUT, P_MASTER, P_COUNT };

/* One round of poll: timeout in ms. */
static void relay_round(pumps_t *p, int timeout, bool *master_quiet)
{
    struct pollfd fds[P_COUNT] = {
        [P_STDIN] = {STDIN_FILENO, relay_wants_input(&p->in) ? POLLIN : 0, 0},
        [P_STDOUT] = {STDOUT_FILENO, relay_wants_output(&p->out) ? POLLOUT : 0, 0},
        [P_MASTER] = {p->master,
                      (short)((relay_wants_input(&p->out) ? POLLIN : 0) |
                              (relay_wants_output(&p->in) ? POLLOUT : 0)),
                      0},
    };
    for (int i = 0; i < P_COUNT; i++) {
        fds[i].fd = fds[i].events != 0 ? fds[i].fd : -1; /* poll skips it */
    }
    *master_quiet = true;
    if (poll(fds, P_COUNT, timeout) <= 0) {
        return; /* a signal, or nothing yet */
    }
    const short in_events = POLLIN | POLLHUP | POLLERR;
    if (fds[P_STDIN].revents & in_events) {
        pump_in(STDIN_FILENO, &p->in, p->veof);
    }
    if (fds[P_MASTER].revents & in_events) {
        *master_quiet = false;
        pump_in(p->master, &p->out, -1); /* EIO: every slave closed */
    }
    if (fds[P_MASTER].revents & (POLLOUT | POLLERR)) {
        pump_out(p->master, &p->in);
    }
    if (fds[P_STDOUT].revents & (POLLOUT | POLLERR | POLLHUP)) {
        pump_out(STDOUT_FILENO, &p->out);
    }
}

static int exit_code(int status)
{
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int terminal_relay(int master, int pid, void (*tick)(void *), void *arg)
{
    static pumps_t p; /* two 4 KiB rings: not on the stack */
    relay_init(&p.in);
    relay_init(&p.out);
    p.master = master;
    struct termios t;
    p.veof = tcgetattr(master, &t) == 0 ? t.c_cc[VEOF] : 4;
    signal(SIGPIPE, SIG_IGN); /* a closed stdout is a write error, not runc's end */
    on(SIGWINCH, note_winch);
    enter_raw();
    copy_winsize(master);
    int status = 0;
    bool exited = false, quiet;
    /* PID 1's end is seen by waitpid after each round (poll wakes at least
     * every 200 ms), so no SIGCHLD handler is needed. After its end, only
     * what its pty already holds is still written: a process it left
     * holding the slave cannot keep runc waiting. */
    while (!exited || !relay_done(&p.out)) {
        relay_round(&p, exited ? 0 : 200, &quiet);
        if (exited && quiet && !relay_wants_output(&p.out)) {
            relay_end(&p.out, -1);
        }
        tick(arg);
        if (winch) {
            copy_winsize(master);
        }
        int r = exited ? 0 : waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) {
            status = r == pid ? status : 1 << 8; /* not ours to wait for: 1 */
            exited = true;
        }
    }
    restore();
    return exit_code(status);
}
