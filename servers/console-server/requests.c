/*
 * console-server's requests other than reads: write, ioctl and the debug
 * text, and the table that routes labels to handlers. Each handler checks
 * its fields first; a malformed request gets -EINVAL and changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "uart.h"

#define WRITE_CHUNK 256

int console_init(console_t *c)
{
    memset(c, 0, sizeof(*c));
    tty_init(&c->tty);
    for (unsigned i = 0; i < CONSOLE_PENDING_READS; i++) {
        c->reply_slots[i] = slot_alloc();
        if (c->reply_slots[i] == CAP_NULL) {
            return -ENOMEM;
        }
    }
    return 0;
}

/* Output through OPOST: each chunk copied from the caller, expanded (at most
 * doubled, "\n" to "\r\n"), and sent whole. */
int64_t console_do_write(console_t *c, const console_request_t *req)
{
    if (req->length < 1) {
        return -EINVAL;
    }
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

static int caller_pgrp_session(void *ctx, int pgrp)
{
    (void)pgrp;
    const console_request_t *req = ctx;
    return (int)(int64_t)req->mr[6];
}

static tty_caller_t caller_of(const console_request_t *req)
{
    return (tty_caller_t){
        .pid = (int)req->mr[2],
        .pgrp = (int)req->mr[3],
        .sid = (int)req->mr[4],
        .has_ctty = (req->mr[5] & CONSOLE_CALLER_HAS_CTTY) != 0,
        .sigttou_ignored = (req->mr[5] & CONSOLE_CALLER_SIGTTOU_IGNORED) != 0,
        .pgrp_session = caller_pgrp_session,
        .ctx = (void *)req,
    };
}

/* CONSOLE_IOCTL: the argument's bytes come in and go out by bulk copy, in
 * the sizes the command's shape gives. */
int64_t console_do_ioctl(console_t *c, const console_request_t *req)
{
    if (req->length < CONSOLE_IOCTL_WORDS) {
        return -EINVAL;
    }
    tty_ioctl_shape_t shape;
    int err = tty_ioctl_shape(req->mr[0], &shape);
    if (err != 0) {
        return err;
    }
    uint8_t data[TTY_IOCTL_ARG_MAX] = {0};
    uint64_t done = 0;
    if (shape.in_size > 0 &&
        reply_copy_from(req->reply, 0, 0, data, shape.in_size, &done) != KERR_OK) {
        return -EFAULT;
    }
    tty_caller_t who = caller_of(req);
    tty_events_t ev = {0};
    long result = tty_ioctl(&c->tty, &who, req->mr[0], req->mr[1], data, &ev);
    console_send_signals(&ev);
    if (result >= 0 && shape.out_size > 0 &&
        reply_copy_to(req->reply, 0, 0, data, shape.out_size, &done) != KERR_OK) {
        return -EFAULT;
    }
    console_settings_changed(c);
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
    case PROTO_DEBUG_TEXT:
        return console_do_debug_text(c, req);
    default:
        return -ENOSYS;
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
