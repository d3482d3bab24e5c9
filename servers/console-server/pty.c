/*
 * Pseudo-terminal pairs: numbering per devfs instance, the master's output
 * buffer and Linux's rules for closing either end (pty.h).
 */
#include "pty.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

/* Echo of one input byte is at most a few bytes ("^C", an erase sequence
 * for a tab); a kill of a whole line echoes one rubout per byte, so the
 * master's buffer must hold a line's worth before a byte is accepted. */
#define ECHO_ROOM 256

bool pty_writable(const pty_t *p, bool master)
{
    return pty_output_room(p) >= (master ? ECHO_ROOM : 1);
}

void pty_table_init(pty_table_t *t)
{
    memset(t, 0, sizeof(*t));
}

pty_t *pty_at(pty_table_t *t, int slot)
{
    if (slot < 0 || slot >= PTY_MAX || !t->pairs[slot].used) {
        return NULL;
    }
    return &t->pairs[slot];
}

static bool index_taken(const pty_table_t *t, uint64_t instance, unsigned index)
{
    return pty_lookup(t, instance, index) >= 0;
}

int pty_open_master(pty_table_t *t, uint64_t instance)
{
    for (int slot = 0; slot < PTY_MAX; slot++) {
        pty_t *p = &t->pairs[slot];
        if (p->used) {
            continue;
        }
        unsigned index = 0;
        while (index_taken(t, instance, index)) {
            index++;
        }
        memset(p, 0, sizeof(*p));
        p->used = true;
        p->instance = instance;
        p->index = index;
        p->locked = true;
        p->masters = 1;
        tty_init(&p->tty);
        return slot;
    }
    return -ENOSPC;
}

int pty_lookup(const pty_table_t *t, uint64_t instance, unsigned index)
{
    for (int slot = 0; slot < PTY_MAX; slot++) {
        const pty_t *p = &t->pairs[slot];
        if (p->used && p->instance == instance && p->index == index && p->masters > 0) {
            return slot;
        }
    }
    return -ENOENT;
}

int pty_open_slave(pty_table_t *t, int slot)
{
    pty_t *p = pty_at(t, slot);
    if (p == NULL || p->masters == 0 || p->locked) {
        return -EIO;
    }
    p->slaves++;
    p->slave_opened = true;
    return 0;
}

static void free_if_closed(pty_t *p)
{
    if (p->masters == 0 && p->slaves == 0) {
        p->used = false;
    }
}

void pty_close_master(pty_table_t *t, int slot, tty_events_t *ev)
{
    pty_t *p = pty_at(t, slot);
    if (p == NULL || p->masters == 0) {
        return;
    }
    if (--p->masters == 0 && p->tty.session != 0) {
        tty_session_leader_exit(&p->tty, p->tty.session, ev); /* SIGHUP, SIGCONT; no ctty */
    }
    free_if_closed(p);
}

void pty_close_slave(pty_table_t *t, int slot)
{
    pty_t *p = pty_at(t, slot);
    if (p == NULL || p->slaves == 0) {
        return;
    }
    p->slaves--;
    free_if_closed(p);
}

size_t pty_output_room(const pty_t *p)
{
    return PTY_OUTPUT_MAX - p->out_count;
}

static void output_push(pty_t *p, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p->out[(p->out_tail + p->out_count) % PTY_OUTPUT_MAX] = bytes[i];
        p->out_count++;
    }
}

long pty_master_write(pty_t *p, const uint8_t *in, size_t len, tty_events_t *ev, bool *readable)
{
    uint8_t echo[ECHO_ROOM];
    size_t done = 0;
    for (; done < len && pty_output_room(p) >= sizeof(echo); done++) {
        ld_sink_t sink = {echo, 0, sizeof(echo)};
        ld_event_t e = ldisc_receive(&p->tty.ld, in[done], &sink);
        output_push(p, echo, sink.len);
        if (e.signal != 0) {
            tty_signal_foreground(&p->tty, e.signal, ev);
        }
        *readable = *readable || e.readable;
    }
    return done > 0 || len == 0 ? (long)done : -EAGAIN;
}

long pty_slave_write(pty_t *p, const uint8_t *in, size_t len)
{
    if (p->masters == 0) {
        return -EIO;
    }
    uint8_t out[2 * 64];
    size_t done = 0;
    while (done < len) {
        size_t room = pty_output_room(p) < sizeof(out) ? pty_output_room(p) : sizeof(out);
        ld_sink_t sink = {out, 0, room};
        size_t n = ldisc_write(&p->tty.ld, in + done, len - done < 64 ? len - done : 64, &sink);
        output_push(p, out, sink.len);
        if (n == 0) {
            break;
        }
        done += n;
    }
    return done > 0 || len == 0 ? (long)done : -EAGAIN;
}

bool pty_master_ready(const pty_t *p)
{
    return p->out_count > 0 || p->slaves == 0;
}

long pty_master_read(pty_t *p, uint8_t *dst, size_t want)
{
    if (p->out_count == 0) {
        return p->slaves == 0 ? -EIO : -EAGAIN;
    }
    size_t n = want < p->out_count ? want : p->out_count;
    for (size_t i = 0; i < n; i++) {
        dst[i] = p->out[(p->out_tail + i) % PTY_OUTPUT_MAX];
    }
    p->out_tail = (p->out_tail + n) % PTY_OUTPUT_MAX;
    p->out_count -= n;
    return (long)n;
}

bool pty_slave_ready(const pty_t *p, size_t want)
{
    return p->masters == 0 || ldisc_read_ready(&p->tty.ld, want, false);
}

size_t pty_slave_read(pty_t *p, uint8_t *dst, size_t want)
{
    if (!ldisc_read_ready(&p->tty.ld, want, false)) {
        return 0; /* the master closed: end of file */
    }
    return ldisc_read(&p->tty.ld, dst, want);
}
