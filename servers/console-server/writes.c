/*
 * Writes to a pseudo-terminal end that wait for room, as a blocking write
 * to a full pty waits on Linux. Each keeps its reply capability in a reply
 * slot and the count taken so far; a master read that makes room (or a
 * close) carries them on in arrival order, and a writer is answered only
 * when every byte is taken (or the end failed: the count taken, else the
 * error). A writer that was interrupted meanwhile (its reply capability
 * gone) is dropped; the bytes taken before stay written.
 */
#include <errno.h>

#include "console.h"

static void remove_write(console_t *c, unsigned i);
static bool writer_waits(cptr_t reply);

bool console_has_waiting_write(const console_t *c, uint64_t word)
{
    for (unsigned i = 0; i < c->write_count; i++) {
        if (c->writes[i].terminal == word) {
            return true;
        }
    }
    return false;
}

int64_t console_defer_write(console_t *c, const console_request_t *req, uint64_t total,
                            uint64_t done, uint64_t word)
{
    for (unsigned i = 0; c->write_count == CONSOLE_PENDING_WRITES && i < c->write_count;) {
        if (writer_waits(c->writes[i].reply)) {
            i++;
        } else {
            remove_write(c, i); /* a writer a signal took away: its place is free */
        }
    }
    if (c->write_count == CONSOLE_PENDING_WRITES) {
        return done > 0 ? (int64_t)done : -EAGAIN;
    }
    cptr_t slot = console_take_reply_slot(c);
    if (slot == CAP_NULL || console_keep_reply(req, slot) != KERR_OK) {
        if (slot != CAP_NULL) {
            console_release_reply_slot(c, slot);
        }
        return done > 0 ? (int64_t)done : -ENOMEM;
    }
    c->writes[c->write_count++] = (pending_write_t){slot, total, done, word};
    return CONSOLE_DEFERRED;
}

static void remove_write(console_t *c, unsigned i)
{
    console_release_reply_slot(c, c->writes[i].reply);
    for (unsigned j = i + 1; j < c->write_count; j++) {
        c->writes[j - 1] = c->writes[j];
    }
    c->write_count--;
}

/* Whether the writer behind `reply` still waits (a copy of no bytes). */
static bool writer_waits(cptr_t reply)
{
    uint8_t none;
    uint64_t got = 0;
    kerr_t err = reply_copy_from(reply, 0, 0, &none, 0, &got);
    return err != KERR_NO_CALLER && err != KERR_INVALID_CAP;
}

/* Carries write `i` on; true when it is finished (answered or dropped). */
static bool carry_on(console_t *c, pending_write_t *w)
{
    if (!writer_waits(w->reply)) {
        return true;
    }
    console_request_t req = {.length = 1, .badge = CONSOLE_BADGE_FORWARDER, .mr = {w->terminal}};
    terminal_t t;
    int64_t took = console_terminal(c, &req, 0, &t) == 0
                       ? console_pty_write_from(c, &t, w->reply, w->done, w->total)
                       : -EIO; /* its end closed */
    if (took > 0) {
        w->done += (uint64_t)took;
    }
    if (took >= 0 && w->done < w->total) {
        return false;
    }
    int64_t answer = w->done > 0 ? (int64_t)w->done : took;
    sys_send(w->reply, msginfo_make(0, 1), (uint64_t)answer, 0);
    return true;
}

/* One pass over the waiting writes of pair `slot`; an end whose oldest
 * write is still waiting holds its later ones back. */
static void retry_pass(console_t *c, int slot)
{
    bool held[2] = {false, false}; /* [0: slave, 1: master] */
    for (unsigned i = 0; i < c->write_count;) {
        pending_write_t *w = &c->writes[i];
        bool master = (w->terminal & CONSOLE_TERMINAL_MASTER) != 0;
        if ((int)(w->terminal & CONSOLE_TERMINAL_SLOT_MASK) != slot || held[master]) {
            i++;
            continue;
        }
        if (carry_on(c, w)) {
            remove_write(c, i);
        } else {
            held[master] = true;
            i++;
        }
    }
}

void console_retry_writes(console_t *c, int slot)
{
    c->retry_slots |= 1u << slot;
    if (c->retrying) {
        return; /* a write woke a read that made room: the outer loop goes on */
    }
    c->retrying = true;
    while (c->retry_slots != 0) {
        int next = __builtin_ctz(c->retry_slots);
        c->retry_slots &= ~(1u << next);
        retry_pass(c, next);
    }
    c->retrying = false;
}
