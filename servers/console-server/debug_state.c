/*
 * console-server's part of the debug protocol (protocol/debug.h): the
 * console's state. Asked only by proc-server (badge CONSOLE_BADGE_DEBUG),
 * which checked the caller's debug capability.
 */
#include <errno.h>
#include <stdio.h>

#include "capsule/debug_text.h"
#include "capsule/kernel.h"
#include "console.h"
#include "protocol/debug.h"

#define LFLAG_ICANON 0x2u /* Linux c_lflag bits */
#define LFLAG_ECHO 0x8u

static void put_state(console_t *c, debug_text_t *t)
{
    const ldisc_t *ld = &c->tty.ld;
    const char *mode = (ld->termios.c_lflag & LFLAG_ICANON) ? "canonical" : "raw";
    bool echo = (ld->termios.c_lflag & LFLAG_ECHO) != 0;
    if (t->json) {
        dt_printf(t,
                  "{\"device\":\"COM1\",\"session\":%d,\"foreground_group\":%d,\"mode\":\"%s\","
                  "\"echo\":%s,\"buffered_bytes\":%zu,\"line_bytes\":%zu,\"reads_waiting\":%u,"
                  "\"requests\":%llu,\"bytes_in\":%llu,\"bytes_out\":%llu}\n",
                  c->tty.session, c->tty.fg_pgrp, mode, echo ? "true" : "false", ld->count,
                  ld->canon_count, c->read_count, (unsigned long long)c->requests,
                  (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out);
        return;
    }
    dt_printf(t, "device:           COM1\nsession:          %d\nforeground group: %d\n",
              c->tty.session, c->tty.fg_pgrp);
    dt_printf(t, "mode:             %s, echo %s\n", mode, echo ? "on" : "off");
    dt_printf(t, "buffered:         %zu bytes (%zu in complete lines)\n", ld->count,
              ld->canon_count);
    dt_printf(t, "reads waiting:    %u\nrequests:         %llu\n", c->read_count,
              (unsigned long long)c->requests);
    dt_printf(t, "bytes in/out:     %llu / %llu\n", (unsigned long long)c->bytes_in,
              (unsigned long long)c->bytes_out);
}

/* proc-server's test of its restart (docs/restart.md): a real page fault,
 * as a bug would make */
static void crash(void)
{
    fprintf(stderr, "console-server: crashing as asked\n");
    volatile uint64_t *volatile nowhere = NULL;
    *nowhere = 0;
}

/* What DEBUG_CONSOLE_CRASH armed (its MR0): 0 nothing,
 * DEBUG_CONSOLE_CRASH_AT_LISTING, DEBUG_CONSOLE_CRASH_AT_SESSION_END. */
static uint64_t crash_at;

void console_crash_point(const console_request_t *req)
{
    if (crash_at == DEBUG_CONSOLE_CRASH_AT_SESSION_END && req->label == CONSOLE_SESSION_END &&
        req->badge == CONSOLE_BADGE_FORWARDER) {
        crash(); /* only ever armed in a test image */
    }
}

int64_t console_do_debug(console_t *c, const console_request_t *req)
{
    static char text[4096];
    if (req->badge != CONSOLE_BADGE_DEBUG) {
        return -EPERM;
    }
    if (req->label == DEBUG_CONSOLE_CRASH) {
        uint64_t at = req->length >= 1 ? req->mr[0] : 0;
        if (at == 0) {
            crash();
        }
        if (at == DEBUG_CONSOLE_CRASH_AT_LISTING || at == DEBUG_CONSOLE_CRASH_AT_SESSION_END) {
            crash_at = at;
            fprintf(stderr, "console-server: armed to crash (%llu)\n", (unsigned long long)at);
        }
        return 0; /* a Send: nobody reads it; any other word is ignored */
    }
    if (crash_at == DEBUG_CONSOLE_CRASH_AT_LISTING) {
        crash(); /* only ever armed in a test image */
    }
    debug_request_t dr;
    int err = debug_request_parse(req->label, req->length, req->descriptors, req->mr, &dr);
    if (err != 0) {
        return err;
    }
    if (dr.label != DEBUG_CONSOLE_STATE) {
        return -ENOSYS;
    }
    debug_text_t t;
    dt_init(&t, text, sizeof(text), dr.json);
    put_state(c, &t);
    uint64_t count, done = 0;
    if ((err = debug_text_page(&t, &dr, &count)) != 0) {
        return err;
    }
    if (count > 0 && reply_copy_to(req->reply, 0, 0, text + dr.offset, count, &done) != KERR_OK) {
        return -EINVAL;
    }
    return (int64_t)t.len;
}
