/*
 * The tty ioctls over a terminal's state, with Linux's session rules
 * (drivers/tty/tty_jobctrl.c): only a session leader without a terminal
 * takes one, only the controlling session reads or moves the foreground
 * group, and a background process changing its terminal gets SIGTTOU.
 */
#include "tty.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>

#include "protocol/ioctl.h"

_Static_assert(sizeof(ld_termios_t) == IOCTL_TERMIOS_BYTES, "termios as the protocol sizes it");
_Static_assert(sizeof(tty_winsize_t) == IOCTL_WINSIZE_BYTES, "winsize as the protocol sizes it");
_Static_assert(IOCTL_TERMIOS_BYTES <= TTY_IOCTL_ARG_MAX, "termios fits the argument buffer");

void tty_init(tty_t *t)
{
    memset(t, 0, sizeof(*t));
    ldisc_init(&t->ld);
    t->winsize = (tty_winsize_t){.ws_row = 24, .ws_col = 80};
}

int tty_ioctl_shape(unsigned long cmd, tty_ioctl_shape_t *shape)
{
    const ioctl_shape_t *known = ioctl_shape(cmd);
    if (known == NULL) {
        return -ENOTTY;
    }
    *shape = (tty_ioctl_shape_t){known->in_size, known->out_size};
    return 0;
}

static void add_signal(tty_events_t *ev, int signal, int pgrp)
{
    if (pgrp > 0 && ev->count < TTY_MAX_SIGNALS) {
        ev->signals[ev->count++] = (tty_signal_t){signal, pgrp};
    }
}

void tty_signal_foreground(const tty_t *t, int signal, tty_events_t *ev)
{
    add_signal(ev, signal, t->fg_pgrp);
}

static bool is_controlling(const tty_t *t, const tty_caller_t *who)
{
    return t->session != 0 && t->session == who->sid;
}

/* Linux's tty_check_change: a background process of the controlling
 * session that changes the terminal is stopped with SIGTTOU, unless it
 * ignores or blocks that signal. (Restarting the call afterwards, and EIO
 * for an orphaned group, are not done: the caller sees EINTR.) */
static int check_change(const tty_t *t, const tty_caller_t *who, tty_events_t *ev)
{
    if (!is_controlling(t, who) || t->fg_pgrp == 0 || who->pgrp == t->fg_pgrp ||
        who->sigttou_ignored) {
        return 0;
    }
    add_signal(ev, SIGTTOU, who->pgrp);
    return -EINTR;
}

static long set_termios(tty_t *t, const tty_caller_t *who, unsigned long cmd, const uint8_t *data,
                        tty_events_t *ev)
{
    int err = check_change(t, who, ev);
    if (err != 0) {
        return err;
    }
    ld_termios_t tio;
    memcpy(&tio, data, sizeof(tio));
    if (cmd == TCSETSF) {
        ldisc_flush_input(&t->ld);
    }
    ldisc_set_termios(&t->ld, &tio); /* output is never queued: TCSETSW has nothing to wait for */
    return 0;
}

static long set_winsize(tty_t *t, const uint8_t *data, tty_events_t *ev)
{
    tty_winsize_t ws;
    memcpy(&ws, data, sizeof(ws));
    if (memcmp(&ws, &t->winsize, sizeof(ws)) != 0) {
        t->winsize = ws;
        tty_signal_foreground(t, SIGWINCH, ev);
    }
    return 0;
}

static long get_pgrp(const tty_t *t, const tty_caller_t *who, uint8_t *data)
{
    if (!is_controlling(t, who)) {
        return -ENOTTY;
    }
    int32_t pgrp = t->fg_pgrp;
    memcpy(data, &pgrp, sizeof(pgrp));
    return 0;
}

static long set_pgrp(tty_t *t, const tty_caller_t *who, const uint8_t *data, tty_events_t *ev)
{
    if (!is_controlling(t, who)) {
        return -ENOTTY;
    }
    int err = check_change(t, who, ev);
    if (err != 0) {
        return err;
    }
    int32_t pgrp;
    memcpy(&pgrp, data, sizeof(pgrp));
    if (pgrp < 0) {
        return -EINVAL;
    }
    int session = who->pgrp_session != NULL ? who->pgrp_session(who->ctx, pgrp) : -ESRCH;
    if (session < 0) {
        return -ESRCH;
    }
    if (session != who->sid) {
        return -EPERM;
    }
    t->fg_pgrp = pgrp;
    return 0;
}

/* TIOCSCTTY: `steal` (argument 1) takes a terminal another session holds;
 * every process is privileged for now, so it always may. */
static long set_ctty(tty_t *t, const tty_caller_t *who, uint64_t steal)
{
    bool leader = who->pid == who->sid;
    if (leader && t->session == who->sid) {
        return 0;
    }
    if (!leader || who->has_ctty) {
        return -EPERM;
    }
    if (t->session != 0 && steal != 1) {
        return -EPERM;
    }
    t->session = who->sid;
    t->fg_pgrp = who->pgrp;
    return 0;
}

/* TIOCNOTTY: a session leader gives the terminal up for its whole session
 * (its foreground group gets SIGHUP and SIGCONT); anyone else only for
 * itself, which is the process server's record, not the terminal's. */
static long drop_ctty(tty_t *t, const tty_caller_t *who, tty_events_t *ev)
{
    if (!is_controlling(t, who)) {
        return -ENOTTY;
    }
    if (who->pid == who->sid) {
        tty_session_leader_exit(t, who->sid, ev);
    }
    return 0;
}

void tty_session_leader_exit(tty_t *t, int sid, tty_events_t *ev)
{
    if (t->session == 0 || t->session != sid) {
        return;
    }
    tty_signal_foreground(t, SIGHUP, ev);
    tty_signal_foreground(t, SIGCONT, ev);
    t->session = 0;
    t->fg_pgrp = 0;
}

static long flush(tty_t *t, uint64_t which)
{
    if (which != TCIFLUSH && which != TCOFLUSH && which != TCIOFLUSH) {
        return -EINVAL;
    }
    if (which != TCOFLUSH) {
        ldisc_flush_input(&t->ld);
    }
    return 0;
}

long tty_ioctl(tty_t *t, const tty_caller_t *who, unsigned long cmd, uint64_t arg,
               uint8_t data[TTY_IOCTL_ARG_MAX], tty_events_t *ev)
{
    switch (cmd) {
    case TCGETS:
        memcpy(data, &t->ld.termios, sizeof(t->ld.termios));
        return 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        return set_termios(t, who, cmd, data, ev);
    case TIOCGWINSZ:
        memcpy(data, &t->winsize, sizeof(t->winsize));
        return 0;
    case TIOCSWINSZ:
        return set_winsize(t, data, ev);
    case TIOCGPGRP:
        return get_pgrp(t, who, data);
    case TIOCSPGRP:
        return set_pgrp(t, who, data, ev);
    case TIOCSCTTY:
        return set_ctty(t, who, arg);
    case TIOCNOTTY:
        return drop_ctty(t, who, ev);
    case FIONREAD: {
        int32_t n = (int32_t)ldisc_readable(&t->ld);
        memcpy(data, &n, sizeof(n));
        return 0;
    }
    case TCFLSH:
        return flush(t, arg);
    case TIOCSTI:
        return -EIO; /* as Linux with dev.tty.legacy_tiocsti = 0 */
    default:
        return -ENOTTY;
    }
}
