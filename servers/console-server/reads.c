/*
 * Reads and input. A read that cannot complete keeps its reply capability
 * in a slot of its own and waits in a queue; input that arrives answers the
 * queue in order. The server never blocks on a reader: an answer is a Send
 * on a reply capability, which does not wait.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "uart.h"

#define READ_CHUNK 4096 /* the whole input buffer: one read never takes more */
#define ECHO_ROOM 256

static uint8_t read_buf[READ_CHUNK];

cptr_t console_take_reply_slot(console_t *c)
{
    for (unsigned i = 0; i < CONSOLE_PENDING_READS; i++) {
        if (!c->slot_used[i]) {
            c->slot_used[i] = true;
            return c->reply_slots[i];
        }
    }
    return CAP_NULL;
}

void console_release_reply_slot(console_t *c, cptr_t slot)
{
    for (unsigned i = 0; i < CONSOLE_PENDING_READS; i++) {
        if (c->reply_slots[i] == slot) {
            cnode_delete(CAP_INIT_CNODE, slot); /* empty already after a Send */
            c->slot_used[i] = false;
        }
    }
}

/* Checks, by copying no bytes at offset `want`, that the caller behind
 * `reply` still waits and lent a writable buffer of `want` bytes: -EPIPE
 * when it is gone (nobody to answer), -EFAULT for a bad buffer. */
static int64_t check_reader(cptr_t reply, uint64_t want)
{
    uint64_t done = 0;
    kerr_t err = reply_copy_to(reply, 0, want, read_buf, 0, &done);
    if (err == KERR_NO_CALLER || err == KERR_INVALID_CAP) {
        return -EPIPE;
    }
    return err == KERR_OK ? 0 : -EFAULT;
}

/* Copies up to `want` bytes of ready input of `t` to the caller behind
 * `reply`. The caller is checked first, so a reader that is gone costs no
 * input. Returns the byte count or -errno. */
static int64_t deliver(console_t *c, terminal_t *t, cptr_t reply, uint64_t want)
{
    uint64_t done = 0;
    int64_t err = check_reader(reply, want);
    if (err != 0) {
        return err;
    }
    int64_t n = terminal_take(t, read_buf, want < READ_CHUNK ? want : READ_CHUNK);
    if (n < 0) {
        return n;
    }
    if (reply_copy_to(reply, 0, 0, read_buf, (uint64_t)n, &done) != KERR_OK) {
        return -EFAULT; /* the bytes are lost, as a read into a bad buffer loses them */
    }
    if (t->pty == NULL) {
        c->bytes_in += (uint64_t)n;
    } else if (t->is_master && n > 0) {
        console_output_room(c, t);
        console_retry_writes(c, (int)(t->word & CONSOLE_TERMINAL_SLOT_MASK));
    }
    c->reads_answered++;
    return n;
}

/* Removes waiting read `i`, keeping the others in arrival order. */
static void remove_read(console_t *c, unsigned i)
{
    console_release_reply_slot(c, c->reads[i].reply);
    for (unsigned j = i + 1; j < c->read_count; j++) {
        c->reads[j - 1] = c->reads[j];
    }
    c->read_count--;
}

/* Answers the waiting reads of `t`, oldest first, while input is ready for
 * them; the reads of other terminals wait on. */
void console_complete_reads(console_t *c, const terminal_t *t)
{
    terminal_t term = *t;
    for (unsigned i = 0; i < c->read_count;) {
        pending_read_t *r = &c->reads[i];
        if (r->terminal != t->word) {
            i++;
            continue;
        }
        if (!terminal_read_ready(&term, r->want)) {
            return;
        }
        int64_t result = deliver(c, &term, r->reply, r->want);
        if (result != -EPIPE) {
            sys_send(r->reply, msginfo_make(0, 1), (uint64_t)result, 0);
        }
        remove_read(c, i);
    }
}

/* Whether terminal `word` has a read waiting (a new read queues behind). */
static bool has_waiting_read(const console_t *c, uint64_t word)
{
    for (unsigned i = 0; i < c->read_count; i++) {
        if (c->reads[i].terminal == word) {
            return true;
        }
    }
    return false;
}

void console_drop_reads(console_t *c, uint64_t word)
{
    for (unsigned i = 0; i < c->read_count;) {
        if (c->reads[i].terminal != word) {
            i++;
            continue;
        }
        sys_send(c->reads[i].reply, msginfo_make(0, 1), (uint64_t)-EIO, 0);
        remove_read(c, i);
    }
}

/* Keeps the reply capability of `req` in a slot of the queue: saved from
 * the TCB for a Call, moved from the landing slot for a forwarded request. */
kerr_t console_keep_reply(const console_request_t *req, cptr_t slot)
{
    if (req->reply == CAP_REPLY_CURRENT) {
        return cnode_save_caller(CAP_INIT_CNODE, slot);
    }
    return cnode_move(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, req->reply);
}

static int64_t defer_read(console_t *c, const console_request_t *req, uint64_t want,
                          uint64_t terminal)
{
    if (c->read_count == CONSOLE_PENDING_READS) {
        return -EAGAIN;
    }
    cptr_t slot = console_take_reply_slot(c);
    if (slot == CAP_NULL || console_keep_reply(req, slot) != KERR_OK) {
        if (slot != CAP_NULL) {
            console_release_reply_slot(c, slot);
        }
        return -ENOMEM;
    }
    c->reads[c->read_count++] = (pending_read_t){slot, want, terminal};
    return CONSOLE_DEFERRED;
}

/* Linux's job control of a read (n_tty_read's tty_check_change with
 * SIGTTIN): a reader of its session's controlling terminal that is not in
 * the foreground group gets SIGTTIN sent to its group and the call made
 * again once that is dealt with; -EIO when it ignores or blocks SIGTTIN.
 * (An orphaned group would get EIO too on Linux; that is not known here.)
 * 0 lets the read go on. */
static int64_t check_background_read(const terminal_t *t, const console_request_t *req)
{
    if (req->length < 5) {
        return 0; /* a caller that does not say who it is: no job control */
    }
    int pgrp = (int)(int64_t)req->mr[3], sid = (int)(int64_t)req->mr[4];
    const tty_t *tty = t->tty;
    if (tty->session == 0 || tty->session != sid || tty->fg_pgrp == 0 || pgrp == tty->fg_pgrp) {
        return 0;
    }
    if (req->mr[1] & CONSOLE_READ_SIGTTIN_IGNORED) {
        return -EIO;
    }
    tty_events_t ev = {0};
    ev.signals[ev.count++] = (tty_signal_t){SIGTTIN, pgrp};
    console_send_signals(&ev);
    return -CONSOLE_ERESTART;
}

/* CONSOLE_READ: MR0 = length, MR1 = flags, MR2 = terminal, MR3/MR4 = the
 * caller's group and session (optional), descriptor 0 = the buffer. */
int64_t console_do_read(console_t *c, const console_request_t *req)
{
    uint64_t want, flags;
    int64_t err = console_read_args(req, &want, &flags);
    if (err != 0) {
        return err;
    }
    terminal_t t;
    err = console_terminal(c, req, 2, &t);
    if (err != 0) {
        return err;
    }
    if (!t.is_master && (err = check_background_read(&t, req)) != 0) {
        return err;
    }
    if (t.pty == NULL) {
        c->reader_seen = true;
    }
    err = check_reader(req->reply, want);
    if (err != 0 || want == 0) {
        return err;
    }
    if (!has_waiting_read(c, t.word) && terminal_read_ready(&t, want)) {
        return deliver(c, &t, req->reply, want);
    }
    if (flags & CONSOLE_READ_NONBLOCK) {
        return -EAGAIN;
    }
    return defer_read(c, req, want, t.word);
}

/* Until some client reads, a typed line is shown in the log, so input is
 * never silently swallowed (and the scenario test sees it arrive). */
static void log_unread_line(console_t *c)
{
    if (c->reader_seen || (c->tty.ld.termios.c_lflag & ICANON) == 0) {
        return;
    }
    size_t n = ldisc_read(&c->tty.ld, read_buf, sizeof(read_buf) - 1);
    while (n > 0 && (read_buf[n - 1] == '\n' || read_buf[n - 1] == '\r')) {
        n--;
    }
    fprintf(stderr, "console-server: no reader yet; line typed: \"%.*s\"\n", (int)n,
            (const char *)read_buf);
}

static void report_signal(console_t *c, int signal)
{
    tty_events_t ev = {0};
    tty_signal_foreground(&c->tty, signal, &ev);
    if (ev.count == 0) {
        fprintf(stderr, "console-server: signal %d: no foreground process group\n", signal);
    }
    console_send_signals(&ev);
}

void console_input(console_t *c, const uint8_t *bytes, size_t len)
{
    uint8_t echo[ECHO_ROOM];
    for (size_t i = 0; i < len; i++) {
        ld_sink_t sink = {echo, 0, sizeof(echo)};
        ld_event_t ev = ldisc_receive(&c->tty.ld, bytes[i], &sink);
        uart_transmit(echo, sink.len);
        c->bytes_out += sink.len;
        if (ev.signal != 0) {
            report_signal(c, ev.signal);
        }
        if (ev.readable) {
            console_terminal_readable(c, CONSOLE_TERMINAL_CONSOLE);
            if (!has_waiting_read(c, CONSOLE_TERMINAL_CONSOLE) &&
                ldisc_read_ready(&c->tty.ld, 1, false)) {
                log_unread_line(c);
            }
        }
    }
}
