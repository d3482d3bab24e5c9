/*
 * console-server's protocol (see docs/protocols/console.md): the terminal
 * on COM1 and the pseudo-terminals. A forwarded read, write, ioctl or
 * readiness names its terminal in a last word (CONSOLE_TERMINAL_*); a
 * request without that word is for the console. Requests are Calls on console-server's endpoint;
 * the reply has label 0 and MR0 = a result >= 0 or -errno (protocol/server.h).
 */
#ifndef CAPSULE_PROTOCOL_CONSOLE_H
#define CAPSULE_PROTOCOL_CONSOLE_H

#include "protocol/server.h"

enum {
    /* MR0 = length, MR1 = terminal, MR2 = CONSOLE_WRITE_* flags (optional,
     * 0 when absent); descriptor 0 (DESC_READ) holds the bytes. Reply:
     * bytes written, always all of them on the console (output never
     * drops). On a pseudo-terminal a write waits, answered later, until its
     * buffer took every byte (the master reads to make room); with
     * CONSOLE_WRITE_NONBLOCK it takes what fits, -EAGAIN if nothing does.
     * -EIO on a slave whose master closed. */
    CONSOLE_WRITE = 0x300,
    /* MR0 = length, MR1 = CONSOLE_READ_* flags, MR2 = terminal; MR3, MR4
     * (optional) = the caller's process group and session: a reader in a
     * background group of the terminal's session gets CONSOLE_ERESTART
     * and its group SIGTTIN, or -EIO when CONSOLE_READ_SIGTTIN_IGNORED;
     * descriptor 0 (DESC_WRITE) receives the bytes. Reply: bytes read, 0 at end of file (^D);
     * -EAGAIN with CONSOLE_READ_NONBLOCK when nothing is ready. A read that must wait is answered
     * later: the server never blocks on it. */
    CONSOLE_READ = 0x301,
    /* MR0 = the ioctl command, MR1 = its argument word, MR2..MR4 = the
     * caller's PID, process group and session, MR5 = CONSOLE_CALLER_* flags,
     * MR6 = the session of the process group a TIOCSPGRP names (-ESRCH: no
     * such group) — from the forwarder, a TIOCSPGRP's MR1 is that group as
     * a global PID, used instead of the caller's bytes —, MR7 = terminal; descriptor 0 covers the
     * argument's bytes when the command passes a pointer (DESC_READ to set, DESC_WRITE to get).
     * Reply: the ioctl's result or -errno. */
    CONSOLE_IOCTL = 0x302,
    /* From the forwarder only, a Call: MR0 = CONSOLE_READY_* events asked,
     * MR1 = terminal.
     * Reply: the events ready now. When input is asked for and not ready,
     * the subscribed notification is signalled once it is. */
    CONSOLE_READINESS = 0x303,
    /* From the forwarder only, a Call carrying one notification capability:
     * the one CONSOLE_READINESS signals (it replaces any earlier one). */
    CONSOLE_SUBSCRIBE = 0x304,
    /* From the forwarder only, a Call with no words. Reply: the session
     * whose controlling terminal the console is, 0 if none (vfs-server's
     * open of /dev/tty). */
    CONSOLE_SESSION = 0x305,
    /* From the forwarder only, a Call: MR0 = the devfs instance /dev/ptmx
     * was opened through; MR1 (optional) CONSOLE_PTY_UNLOCKED or 0. A new
     * pair, its slave locked unless MR1 says so. Reply: N << 8 | slot (N of
     * /dev/pts/N in that instance; the master's terminal is
     * CONSOLE_TERMINAL_MASTER | slot), or -ENOSPC, -EINVAL. */
    CONSOLE_PTY_OPEN = 0x306,
    /* From the forwarder only, a Call: MR0 = devfs instance, MR1 = N.
     * Opens /dev/pts/N of that instance. Reply: the slot (the terminal is
     * CONSOLE_TERMINAL_SLAVE | slot), -ENOENT if there is no such pair,
     * -EIO while it is locked or once its master closed. */
    CONSOLE_PTY_OPEN_SLAVE = 0x307,
    /* From the forwarder only, a Call: MR0 = the terminal of a master or
     * slave whose last open file description closed. Reply: 0. */
    CONSOLE_PTY_CLOSE = 0x308,
    /* From the forwarder only, a Call: MR0 = a session. Reply: the
     * terminal word of that session's controlling terminal (the console:
     * CONSOLE_TERMINAL_CONSOLE; a pair's slave, opened once more for the
     * new description, closed by CONSOLE_PTY_CLOSE), or -ENXIO when it
     * has none (vfs-server's open of /dev/tty). */
    CONSOLE_CTTY = 0x309,
    /* From the forwarder only, a Call, at an open(2) without O_NOCTTY of a
     * pair's slave: MR0 = its terminal word, MR1..MR3 = the opener's PID,
     * process group and session. A session leader whose session has no
     * controlling terminal takes this one if no session holds it (Linux's
     * tty_open_proc_set_tty); otherwise nothing changes. Reply: 0 when it
     * became the controlling terminal, -EPERM when not, -EINVAL (not a
     * slave, fewer than 4 words), -EBADF (no such open end). */
    CONSOLE_OPEN_CTTY = 0x30a,
    /* From the forwarder only, a Call: MR0 = a session leader's global PID,
     * which has exited. Every terminal that session controlled loses it,
     * its foreground group getting SIGHUP and SIGCONT (Linux's
     * disassociate_ctty), so the next session leader can take it. Reply:
     * 0, -EINVAL (no PID). */
    CONSOLE_SESSION_END = 0x30b,
    /* From the forwarder only, a Call: MR0 = a terminal word, MR1 = the
     * caller's session. Reply: the terminal's foreground process group (a
     * global PID, 0 when none), -ENOTTY when it is not that session's
     * controlling terminal (TIOCGPGRP: vfs-server gives the caller the
     * group's number in the caller's own scope). */
    CONSOLE_FG_PGRP = 0x30c,
    /* From the forwarder only, a Call with no words, sent by vfs-server as
     * it starts: the forwarder is a new instance, and every pair's ends
     * were open in file descriptions of the old one, which died with it
     * (docs/restart.md). Each pair is closed as by the last close of both
     * ends — readers answered, the slave's session hung up — and freed.
     * Reply: the number of pairs freed; -EINVAL (any word), -EPERM. */
    CONSOLE_PAIRS_RESET = 0x30d,
};

/* The terminal word: 0 is the console; a pseudo-terminal end is its kind
 * or'ed with the pair's slot. */
enum {
    CONSOLE_TERMINAL_CONSOLE = 0,
    CONSOLE_TERMINAL_MASTER = 0x100,
    CONSOLE_TERMINAL_SLAVE = 0x200,
    CONSOLE_TERMINAL_SLOT_MASK = 0xff,
};

enum {
    CONSOLE_READY_IN = 1,  /* a read would not wait */
    CONSOLE_READY_OUT = 2, /* a write would not wait: always */
};

#define CONSOLE_IOCTL_WORDS 7
/* The words a request may carry: an ioctl's and its terminal. */
#define CONSOLE_REQUEST_WORDS (CONSOLE_IOCTL_WORDS + 1)

/* The badge of the console capability a forwarding server (vfs-server)
 * holds. Its requests come by Send, not Call, carry the same fields, and
 * transfer the reply capability of the process that asked, whose buffer
 * descriptors they are: console-server answers the process directly. */
#define CONSOLE_BADGE_FORWARDER 1ull

enum {
    CONSOLE_READ_NONBLOCK = 1,        /* O_NONBLOCK: -EAGAIN instead of waiting */
    CONSOLE_READ_SIGTTIN_IGNORED = 2, /* the caller ignores or blocks SIGTTIN */
};

enum {
    CONSOLE_WRITE_NONBLOCK = 1, /* O_NONBLOCK: what fits, -EAGAIN instead of waiting */
};

enum {
    CONSOLE_PTY_UNLOCKED = 1, /* CONSOLE_PTY_OPEN: the slave opens at once (runc exec -t) */
};

/* A reply (as -CONSOLE_ERESTART) telling the caller's runtime to make the
 * call again once the signal it was sent is dealt with: Linux's internal
 * ERESTARTSYS (a background read stopped by SIGTTIN restarts when the job
 * is continued; with a handler, SA_RESTART decides). The POSIX runtime's
 * RUNTIME_ERESTART. */
#define CONSOLE_ERESTART 512

enum {
    CONSOLE_CALLER_HAS_CTTY = 1,        /* the caller's session has a controlling terminal */
    CONSOLE_CALLER_SIGTTOU_IGNORED = 2, /* the caller ignores or blocks SIGTTOU */
};

#endif
