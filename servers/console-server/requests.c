/*
 * console-server's requests other than reads: write, ioctl and the debug
 * text, and the table that routes labels to handlers. Each handler checks
 * its fields first; a malformed request gets -EINVAL and changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "console.h"
#include "protocol/debug.h"
#include "protocol/ioctl.h"
#include "uart.h"

#define WRITE_CHUNK 256

int console_init(console_t *c)
{
    memset(c, 0, sizeof(*c));
    tty_init(&c->tty);
    pty_table_init(&c->ptys);
    for (unsigned i = 0; i < CONSOLE_PENDING_READS; i++) {
        c->reply_slots[i] = slot_alloc();
        if (c->reply_slots[i] == CAP_NULL) {
            return -ENOMEM;
        }
    }
    return 0;
}

/* Output to the console through OPOST: each chunk copied from the caller,
 * expanded (at most doubled, "\n" to "\r\n"), and sent whole. */
static int64_t write_console(console_t *c, const console_request_t *req)
{
    uint8_t in[WRITE_CHUNK], out[2 * WRITE_CHUNK];
    uint64_t total = req->mr[0], done = 0;
    while (done < total) {
        uint64_t n = total - done < WRITE_CHUNK ? total - done : WRITE_CHUNK, got = 0;
        if (reply_copy_from(req->reply, 0, done, in, n, &got) != KERR_OK) {
            return done > 0 ? (int64_t)done : -EFAULT;
        }
        ld_sink_t sink = {out, 0, sizeof(out)};
        ldisc_write(&c->tty.ld, in, n, &sink);
        uart_transmit(out, sink.len);
        c->bytes_out += sink.len;
        done += n;
    }
    return (int64_t)done;
}

/* One chunk into a pair: a master's bytes are the slave's input, a
 * slave's the master's output. Wakes the readers it made ready. */
static long write_pty_chunk(console_t *c, terminal_t *t, const uint8_t *in, size_t n)
{
    uint64_t slot = t->word & CONSOLE_TERMINAL_SLOT_MASK;
    if (!t->is_master) {
        long took = pty_slave_write(t->pty, in, n);
        console_terminal_readable(c, CONSOLE_TERMINAL_MASTER | slot);
        return took;
    }
    tty_events_t ev = {0};
    bool readable = false;
    long took = pty_master_write(t->pty, in, n, &ev, &readable);
    console_send_signals(&ev);
    if (readable) {
        console_terminal_readable(c, CONSOLE_TERMINAL_SLAVE | slot);
    }
    console_terminal_readable(c, t->word); /* the echo */
    return took;
}

int64_t console_pty_write_from(console_t *c, terminal_t *t, cptr_t reply, uint64_t from,
                               uint64_t total)
{
    uint8_t in[WRITE_CHUNK];
    uint64_t done = from;
    while (done < total) {
        uint64_t n = total - done < WRITE_CHUNK ? total - done : WRITE_CHUNK, got = 0;
        if (reply_copy_from(reply, 0, done, in, n, &got) != KERR_OK) {
            return done > from ? (int64_t)(done - from) : -EFAULT;
        }
        long took = write_pty_chunk(c, t, in, n);
        if (took <= 0) {
            return done > from ? (int64_t)(done - from) : took == -EAGAIN ? 0 : took;
        }
        done += (uint64_t)took;
        if ((uint64_t)took < n) {
            break;
        }
    }
    return (int64_t)(done - from);
}

/* Output to a pseudo-terminal end: all of it, waiting for room (the master
 * reads) unless the writer is non-blocking; behind any write already
 * waiting on that end, so bytes keep their order. */
static int64_t write_pty(console_t *c, terminal_t *t, const console_request_t *req, bool nonblock)
{
    uint64_t total = req->mr[0];
    int64_t took = 0;
    if (console_has_waiting_write(c, t->word)) {
        /* the older ones first: room may have come, or their writers gone */
        console_retry_writes(c, (int)(t->word & CONSOLE_TERMINAL_SLOT_MASK));
    }
    if (!console_has_waiting_write(c, t->word)) {
        took = console_pty_write_from(c, t, req->reply, 0, total);
        if (took < 0 || (uint64_t)took == total) {
            return took;
        }
    }
    if (nonblock) {
        return took > 0 ? took : -EAGAIN;
    }
    return console_defer_write(c, req, total, (uint64_t)took, t->word);
}

/* CONSOLE_WRITE: MR0 = length, MR1 = terminal, MR2 = flags (optional). */
int64_t console_do_write(console_t *c, const console_request_t *req)
{
    bool nonblock;
    int err = console_write_args(req, &nonblock);
    if (err != 0) {
        return err;
    }
    terminal_t t;
    err = console_terminal(c, req, 1, &t);
    if (err != 0) {
        return err;
    }
    if (t.pty == NULL) {
        return write_console(c, req);
    }
    return write_pty(c, &t, req, nonblock);
}

static int caller_pgrp_session(void *ctx, int pgrp)
{
    (void)pgrp;
    const console_request_t *req = ctx;
    return (int)(int64_t)req->mr[6];
}

/* Whether session `sid` has a controlling terminal among ours. */
static bool session_has_terminal(const console_t *c, int sid)
{
    if (sid > 0 && c->tty.session == sid) {
        return true;
    }
    for (int i = 0; i < PTY_MAX; i++) {
        const pty_t *p = &c->ptys.pairs[i];
        if (sid > 0 && p->used && p->tty.session == sid) {
            return true;
        }
    }
    return false;
}

static tty_caller_t caller_of(const console_t *c, const console_request_t *req)
{
    int sid = (int)req->mr[4];
    return (tty_caller_t){
        .pid = (int)req->mr[2],
        .pgrp = (int)req->mr[3],
        .sid = sid,
        .has_ctty = (req->mr[5] & CONSOLE_CALLER_HAS_CTTY) != 0 || session_has_terminal(c, sid),
        .sigttou_ignored = (req->mr[5] & CONSOLE_CALLER_SIGTTOU_IGNORED) != 0,
        .pgrp_session = caller_pgrp_session,
        .ctx = (void *)req,
    };
}

/* The ioctls of a master alone (Linux's ptmx): its number and the lock. */
static long pty_ioctl(terminal_t *t, uint64_t cmd, uint8_t data[TTY_IOCTL_ARG_MAX])
{
    int32_t value;
    switch (cmd) {
    case TIOCGPTN:
        value = (int32_t)t->pty->index;
        memcpy(data, &value, sizeof(value));
        return 0;
    case TIOCGPTLCK:
        value = t->pty->locked ? 1 : 0;
        memcpy(data, &value, sizeof(value));
        return 0;
    case TIOCSPTLCK:
        memcpy(&value, data, sizeof(value));
        t->pty->locked = value != 0;
        return 0;
    default:
        return -ENOTTY;
    }
}

static bool is_pty_command(uint64_t cmd)
{
    return cmd == TIOCGPTN || cmd == TIOCGPTLCK || cmd == TIOCSPTLCK;
}

/* CONSOLE_IOCTL: the argument's bytes come in and go out by bulk copy, in
 * the sizes the command's shape gives; MR7 names the terminal. */
int64_t console_do_ioctl(console_t *c, const console_request_t *req)
{
    if (req->length < CONSOLE_IOCTL_WORDS) {
        return -EINVAL;
    }
    terminal_t t;
    int err = console_terminal(c, req, CONSOLE_IOCTL_WORDS, &t);
    if (err != 0) {
        return err;
    }
    tty_ioctl_shape_t shape;
    if ((err = tty_ioctl_shape(req->mr[0], &shape)) != 0) {
        return err;
    }
    if (is_pty_command(req->mr[0]) && (t.pty == NULL || !t.is_master)) {
        return -ENOTTY; /* Linux: only a master has a number and a lock */
    }
    uint8_t data[TTY_IOCTL_ARG_MAX] = {0};
    uint64_t done = 0;
    if (shape.in_size > 0 &&
        reply_copy_from(req->reply, 0, 0, data, shape.in_size, &done) != KERR_OK) {
        return -EFAULT;
    }
    long result;
    if (req->mr[0] == TIOCSPGRP && req->badge == CONSOLE_BADGE_FORWARDER) {
        /* the group as vfs-server translated it: a global PID */
        int32_t pgrp = (int32_t)req->mr[1];
        memcpy(data, &pgrp, sizeof(pgrp));
    }
    if (is_pty_command(req->mr[0])) {
        result = pty_ioctl(&t, req->mr[0], data);
    } else {
        tty_caller_t who = caller_of(c, req);
        tty_events_t ev = {0};
        result = tty_ioctl(t.tty, &who, req->mr[0], req->mr[1], data, &ev);
        console_send_signals(&ev);
    }
    if (result >= 0 && shape.out_size > 0 &&
        reply_copy_to(req->reply, 0, 0, data, shape.out_size, &done) != KERR_OK) {
        return -EFAULT;
    }
    console_complete_reads(c, &t); /* new settings may let a read complete */
    console_input_ready(c, &t);
    return result;
}

int64_t console_do_debug_text(console_t *c, const console_request_t *req)
{
    if (req->length < 1 || req->mr[0] != DEBUG_LIST_SUMMARY) {
        return -EINVAL;
    }
    char text[192];
    int n = snprintf(text, sizeof(text),
                     "console-server: COM1, %lu requests, %lu bytes in, %lu out, %u reads "
                     "waiting, session %d, foreground group %d\n",
                     c->requests, c->bytes_in, c->bytes_out, c->read_count, c->tty.session,
                     c->tty.fg_pgrp);
    uint64_t done = 0;
    kerr_t err = reply_copy_to(req->reply, 0, 0, text, (uint64_t)n, &done);
    return err == KERR_OK ? (int64_t)done : -EFAULT;
}

int64_t console_dispatch(console_t *c, const console_request_t *req)
{
    console_crash_point(req);
    c->requests++;
    switch (req->label) {
    case CONSOLE_WRITE:
        return console_do_write(c, req);
    case CONSOLE_READ:
        return console_do_read(c, req);
    case CONSOLE_IOCTL:
        return console_do_ioctl(c, req);
    case CONSOLE_READINESS:
        return console_do_readiness(c, req);
    case CONSOLE_SUBSCRIBE:
        return console_do_subscribe(c, req);
    case CONSOLE_SESSION:
        return console_do_session(c, req);
    case CONSOLE_PTY_OPEN:
        return console_do_pty_open(c, req);
    case CONSOLE_PTY_OPEN_SLAVE:
        return console_do_pty_open_slave(c, req);
    case CONSOLE_PTY_CLOSE:
        return console_do_pty_close(c, req);
    case CONSOLE_CTTY:
        return console_do_ctty(c, req);
    case CONSOLE_OPEN_CTTY:
        return console_do_open_ctty(c, req);
    case CONSOLE_SESSION_END:
        return console_do_session_end(c, req);
    case CONSOLE_FG_PGRP:
        return console_do_fg_pgrp(c, req);
    case CONSOLE_PAIRS_RESET:
        return console_do_pairs_reset(c, req);
    case PROTO_DEBUG_TEXT:
        return console_do_debug_text(c, req);
    default:
        return debug_label(req->label) ? console_do_debug(c, req) : -ENOSYS;
    }
}

void console_print_raw(console_t *c, const char *text, size_t len)
{
    uint8_t out[2 * WRITE_CHUNK];
    while (len > 0) {
        size_t n = 0, i = 0;
        for (; i < len && n + 2 <= sizeof(out); i++) {
            if (text[i] == '\n') {
                out[n++] = '\r';
            }
            out[n++] = (uint8_t)text[i];
        }
        uart_transmit(out, n);
        c->bytes_out += n;
        text += i;
        len -= i;
    }
}
