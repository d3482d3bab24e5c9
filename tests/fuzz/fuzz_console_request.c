/*
 * libFuzzer target for console-server's request decoding
 * (servers/console-server/request_check.c) and what its requests reach on
 * the host: the terminal code an ioctl's argument bytes and a write's bytes
 * go through (tty.c, line_discipline.c, pty.c).
 *
 * Input: byte 0 the words sent (low 4 bits); MR0..MR7 (8 bytes each); then
 * operations on the console and one pseudo-terminal pair, each an op byte, a
 * command index, an argument word and TTY_IOCTL_ARG_MAX bytes of argument
 * or data: ioctls with arbitrary argument bytes and callers, typed input,
 * writes through OPOST, reads. Checked: the decoded fields are in range,
 * an ioctl's shape fits its buffer, no signal goes to group 0 or below,
 * reads and writes never move more than asked or more than the sink holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/ioctl.h"
#include "pty.h"
#include "../../servers/console-server/request_check.h"
#include "tty.h"

#define OP_BYTES (2 + 8 + TTY_IOCTL_ARG_MAX)

static void expect(int cond)
{
    if (!cond) {
        abort();
    }
}

static void check_fields(const console_request_t *req)
{
    bool nonblock;
    if (console_write_args(req, &nonblock) == 0) {
        expect(req->length >= 1 && (req->length < 3 || req->mr[2] <= CONSOLE_WRITE_NONBLOCK));
    }
    uint64_t want, flags;
    if (console_read_args(req, &want, &flags) == 0) {
        expect(req->length >= 2 && (flags & ~(uint64_t)3) == 0 && want == req->mr[0]);
    }
    for (unsigned i = 0; i < CONSOLE_REQUEST_WORDS; i++) {
        int slot = -2;
        bool master;
        if (console_terminal_word(req->mr[i], &slot, &master) == 0) {
            expect(req->mr[i] == 0 ? slot == -1 : slot >= 0 && slot <= 0xff);
        }
    }
    int sid;
    if (console_session_arg(req, &sid) == 0) {
        expect(sid > 0 && (uint64_t)sid == req->mr[0]);
    }
    bool unlocked = false;
    uint64_t pty_flags = req->length >= 2 ? req->mr[1] : 0;
    int err = console_pty_open_args(req, &unlocked);
    expect((err == 0) == (req->length >= 1 && pty_flags <= CONSOLE_PTY_UNLOCKED));
    expect(err != 0 || unlocked == (pty_flags == CONSOLE_PTY_UNLOCKED));
}

static int group_session(void *ctx, int pgrp)
{
    (void)pgrp;
    return *(const int *)ctx;
}

static void check_events(const tty_events_t *ev)
{
    expect(ev->count <= TTY_MAX_SIGNALS);
    for (unsigned i = 0; i < ev->count; i++) {
        expect(ev->signals[i].pgrp > 0);
    }
}

static void do_ioctl(tty_t *t, const uint8_t *op, int session)
{
    size_t shapes = sizeof(ioctl_shapes) / sizeof(ioctl_shapes[0]);
    uint64_t arg;
    memcpy(&arg, op + 2, 8);
    unsigned long cmd = op[1] < shapes ? ioctl_shapes[op[1]].cmd : (unsigned long)arg;
    tty_ioctl_shape_t shape;
    if (tty_ioctl_shape(cmd, &shape) != 0) {
        return;
    }
    expect(shape.in_size <= TTY_IOCTL_ARG_MAX && shape.out_size <= TTY_IOCTL_ARG_MAX);
    uint8_t data[TTY_IOCTL_ARG_MAX];
    memcpy(data, op + 10, sizeof(data));
    /* the caller's identity comes from the request: arbitrary here */
    tty_caller_t who = {(int8_t)op[10], (int8_t)op[11], (int8_t)op[12], op[13] & 1,
                        op[13] & 2,     group_session,  &session};
    tty_events_t ev = {0};
    tty_ioctl(t, &who, cmd, arg, data, &ev);
    check_events(&ev);
}

static void do_io(tty_t *console, pty_t *pair, const uint8_t *op)
{
    uint8_t buf[2 * TTY_IOCTL_ARG_MAX];
    size_t n = op[1] % (TTY_IOCTL_ARG_MAX + 1);
    const uint8_t *bytes = op + 10;
    switch (op[0] % 8) {
    case 1:
        for (size_t i = 0; i < n; i++) {
            ld_sink_t echo = {buf, 0, sizeof(buf)};
            ldisc_receive(&console->ld, bytes[i], &echo);
            expect(echo.len <= echo.cap);
        }
        break;
    case 2: {
        ld_sink_t out = {buf, 0, sizeof(buf)};
        expect(ldisc_write(&console->ld, bytes, n, &out) <= n && out.len <= out.cap);
        break;
    }
    case 3:
        if (ldisc_read_ready(&console->ld, n + 1, true)) {
            expect(ldisc_read(&console->ld, buf, n + 1) <= n + 1);
        }
        break;
    case 4: {
        tty_events_t ev = {0};
        bool readable = false;
        long took = pty_master_write(pair, bytes, n, &ev, &readable);
        expect(took <= (long)n);
        check_events(&ev);
        break;
    }
    case 5:
        expect(pty_slave_write(pair, bytes, n) <= (long)n);
        break;
    case 6:
        expect(pty_master_read(pair, buf, n) <= (long)n);
        break;
    default:
        if (pty_slave_ready(pair, n + 1)) {
            expect(pty_slave_read(pair, buf, n + 1) <= n + 1);
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 + 8 * CONSOLE_REQUEST_WORDS) {
        return 0;
    }
    console_request_t req = {.length = data[0] & 15};
    for (unsigned i = 0; i < CONSOLE_REQUEST_WORDS; i++) {
        uint64_t w;
        memcpy(&w, data + 1 + 8 * i, 8);
        req.mr[i] = i < req.length ? w : 0;
    }
    check_fields(&req);
    static tty_t console;
    static pty_table_t ptys;
    tty_init(&console);
    pty_table_init(&ptys);
    int slot = pty_open_master(&ptys, 1);
    expect(slot >= 0);
    pty_t *pair = pty_at(&ptys, slot);
    pair->locked = false;
    expect(pty_open_slave(&ptys, slot) == 0);
    for (size_t at = 1 + 8 * CONSOLE_REQUEST_WORDS; at + OP_BYTES <= size; at += OP_BYTES) {
        const uint8_t *op = data + at;
        if (op[0] % 8 == 0) {
            do_ioctl(op[0] & 8 ? &pair->tty : &console, op, (int8_t)op[14]);
        } else {
            do_io(&console, pair, op);
        }
    }
    return 0;
}
