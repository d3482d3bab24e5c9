/*
 * The terminals a request can name: the console and both ends of each
 * pseudo-terminal pair, and the forwarder's requests that open and close
 * pairs. Only the forwarder (vfs-server) names a pseudo-terminal: it opened
 * it for a file description and passes the devfs instance the open went
 * through, so a pair is reached only through its own instance.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "console.h"

/* Where each request carries its terminal word (console.h). */
int console_terminal(console_t *c, const console_request_t *req, unsigned index, terminal_t *out)
{
    uint64_t word = index < req->length ? req->mr[index] : CONSOLE_TERMINAL_CONSOLE;
    if (word == CONSOLE_TERMINAL_CONSOLE) {
        *out = (terminal_t){word, &c->tty, NULL, false, &c->input_armed};
        return 0;
    }
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    int slot;
    bool master;
    pty_t *p = NULL;
    if (console_terminal_word(word, &slot, &master) == 0) {
        p = pty_at(&c->ptys, slot);
    }
    if (p == NULL || (master && p->masters == 0) || (!master && p->slaves == 0)) {
        return -EBADF;
    }
    *out = (terminal_t){word, &p->tty, p, master, &c->pty_armed[slot][master ? 1 : 0]};
    return 0;
}

bool terminal_read_ready(const terminal_t *t, uint64_t want)
{
    if (t->pty == NULL) {
        return ldisc_read_ready(&t->tty->ld, want, false);
    }
    return t->is_master ? pty_master_ready(t->pty) : pty_slave_ready(t->pty, want);
}

int64_t terminal_take(terminal_t *t, uint8_t *dst, uint64_t want)
{
    if (t->pty == NULL) {
        return (int64_t)ldisc_read(&t->tty->ld, dst, want);
    }
    if (t->is_master) {
        return pty_master_read(t->pty, dst, want);
    }
    return (int64_t)pty_slave_read(t->pty, dst, want);
}

/* The terminal of pair `slot`'s end, for waking its reads after a change
 * made through the other end; false when that end is not open. */
static bool end_of(console_t *c, int slot, bool master, terminal_t *out)
{
    console_request_t req = {
        .length = 1,
        .badge = CONSOLE_BADGE_FORWARDER,
        .mr = {(master ? CONSOLE_TERMINAL_MASTER : CONSOLE_TERMINAL_SLAVE) | (uint64_t)slot},
    };
    return console_terminal(c, &req, 0, out) == 0;
}

void console_terminal_readable(console_t *c, uint64_t word)
{
    console_request_t req = {.length = 1, .badge = CONSOLE_BADGE_FORWARDER, .mr = {word}};
    terminal_t t;
    if (console_terminal(c, &req, 0, &t) == 0) {
        console_complete_reads(c, &t);
        console_input_ready(c, &t);
    }
}

int64_t console_do_pty_open(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    bool unlocked;
    if (console_pty_open_args(req, &unlocked) != 0) {
        return -EINVAL;
    }
    int slot = pty_open_master(&c->ptys, req->mr[0]);
    if (slot < 0) {
        return slot;
    }
    /* runc exec -t: vfs-server opens both ends at once, for a process that
     * cannot unlock it itself (docs/runc.md) */
    pty_at(&c->ptys, slot)->locked = !unlocked;
    c->pty_armed[slot][0] = c->pty_armed[slot][1] = c->pty_out_armed[slot] = false;
    return (int64_t)pty_at(&c->ptys, slot)->index << 8 | slot;
}

int64_t console_do_pty_open_slave(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    if (req->length < 2 || req->mr[1] > 0xffffffffu) {
        return -EINVAL;
    }
    int slot = pty_lookup(&c->ptys, req->mr[0], (unsigned)req->mr[1]);
    if (slot < 0) {
        return slot;
    }
    int err = pty_open_slave(&c->ptys, slot);
    return err != 0 ? err : slot;
}

/* The last master closed: the slave's reads get end of file, its session
 * SIGHUP. The last slave closed: the master's reads get -EIO. */
int64_t console_do_pty_close(console_t *c, const console_request_t *req)
{
    terminal_t t;
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    if (req->length < 1 || req->mr[0] == CONSOLE_TERMINAL_CONSOLE) {
        return -EINVAL;
    }
    int err = console_terminal(c, req, 0, &t);
    if (err != 0) {
        return err;
    }
    int slot = (int)(req->mr[0] & CONSOLE_TERMINAL_SLOT_MASK);
    terminal_t other;
    console_drop_reads(c, t.word); /* readers of a closed end are gone */
    if (t.is_master) {
        tty_events_t ev = {0};
        pty_close_master(&c->ptys, slot, &ev);
        console_send_signals(&ev);
        if (end_of(c, slot, false, &other)) {
            console_complete_reads(c, &other);
            console_input_ready(c, &other);
        }
    } else {
        pty_close_slave(&c->ptys, slot);
        if (end_of(c, slot, true, &other)) {
            console_complete_reads(c, &other);
            console_input_ready(c, &other);
        }
    }
    console_retry_writes(c, slot); /* writers of a closed end or pair are answered */
    return 0;
}

/* CONSOLE_PAIRS_RESET: vfs-server restarted, and with the old instance
 * went every description of every pair's ends; no CONSOLE_PTY_CLOSE will
 * come for them. Each end is closed as by its last close, so the pair is
 * freed for the new instance's openers. */
int64_t console_do_pairs_reset(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    if (req->length != 0) {
        return -EINVAL;
    }
    int64_t freed = 0;
    for (int slot = 0; slot < PTY_MAX; slot++) {
        pty_t *p = pty_at(&c->ptys, slot);
        if (p == NULL) {
            continue;
        }
        console_drop_reads(c, CONSOLE_TERMINAL_MASTER | (uint64_t)slot);
        console_drop_reads(c, CONSOLE_TERMINAL_SLAVE | (uint64_t)slot);
        tty_events_t ev = {0};
        while (p->masters > 0) { /* the last one hangs the slave's session up */
            pty_close_master(&c->ptys, slot, &ev);
        }
        while (p->slaves > 0) {
            pty_close_slave(&c->ptys, slot);
        }
        console_send_signals(&ev);
        console_retry_writes(c, slot); /* writers of the pair are answered */
        freed++;
    }
    return freed;
}

/* /dev/tty: the terminal whose controlling session `MR0` is. A pair's
 * slave is opened once more, as Linux counts /dev/tty as an open of it;
 * after a hangup the pair has no session and /dev/tty is -ENXIO. */
int64_t console_do_ctty(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    int sid;
    if (console_session_arg(req, &sid) != 0) {
        return -EINVAL;
    }
    if (c->tty.session == sid) {
        return CONSOLE_TERMINAL_CONSOLE;
    }
    for (int slot = 0; slot < PTY_MAX; slot++) {
        pty_t *p = pty_at(&c->ptys, slot);
        if (p != NULL && p->tty.session == sid && p->masters > 0 &&
            pty_open_slave(&c->ptys, slot) == 0) {
            return CONSOLE_TERMINAL_SLAVE | (int64_t)slot;
        }
    }
    return -ENXIO;
}

int64_t console_do_session_end(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    int sid;
    if (console_session_arg(req, &sid) != 0) {
        return -EINVAL;
    }
    tty_events_t ev = {0};
    tty_session_leader_exit(&c->tty, sid, &ev); /* each does nothing if not sid's */
    console_send_signals(&ev);
    for (int slot = 0; slot < PTY_MAX; slot++) {
        pty_t *p = pty_at(&c->ptys, slot);
        if (p != NULL && p->tty.session == sid) {
            ev = (tty_events_t){0};
            tty_session_leader_exit(&p->tty, sid, &ev);
            console_send_signals(&ev);
        }
    }
    return 0;
}

/* CONSOLE_OPEN_CTTY: TIOCSCTTY without stealing, on the opener's behalf. */
int64_t console_do_open_ctty(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    if (req->length < 4 || !(req->mr[0] & CONSOLE_TERMINAL_SLAVE)) {
        return -EINVAL;
    }
    console_request_t ioctl = {
        .label = CONSOLE_IOCTL,
        .length = CONSOLE_REQUEST_WORDS,
        .mr = {TIOCSCTTY, 0, req->mr[1], req->mr[2], req->mr[3], 0, (uint64_t)-ESRCH, req->mr[0]},
        .reply = req->reply,
        .badge = req->badge,
    };
    return console_do_ioctl(c, &ioctl);
}

/* CONSOLE_FG_PGRP: TIOCGPGRP's answer by global PID, which vfs-server
 * translates into the caller's numbering (a container's processes name
 * groups by their scope's numbers). */
int64_t console_do_fg_pgrp(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    if (req->length < 2) {
        return -EINVAL;
    }
    terminal_t t;
    int err = console_terminal(c, req, 0, &t);
    if (err != 0) {
        return err;
    }
    if (t.tty->session == 0 || t.tty->session != (int)req->mr[1]) {
        return -ENOTTY;
    }
    return t.tty->fg_pgrp;
}
