/*
 * console-server's state and request handlers: the console (COM1), the
 * pseudo-terminal pairs, the reads waiting for input, and what it has
 * served.
 */
#ifndef CONSOLE_CONSOLE_H
#define CONSOLE_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "capsule/server.h"
#include "protocol/console.h"
#include "pty.h"
#include "request_check.h" /* console_request_t and the checks of its fields */
#include "tty.h"

/* A read that waits for input, answered through its saved reply capability. */
typedef struct {
    cptr_t reply;
    uint64_t want;
    uint64_t terminal; /* CONSOLE_TERMINAL_* word of the terminal it reads */
} pending_read_t;

#define CONSOLE_PENDING_READS 32

/* A write to a pseudo-terminal end waiting for room: `done` of `total`
 * bytes taken so far, its reply capability kept in a reply slot. */
typedef struct {
    cptr_t reply;
    uint64_t total, done;
    uint64_t terminal;
} pending_write_t;

_Static_assert(PTY_MAX <= 32, "retry_slots has a bit per pair");

/* Writes that wait; each holds one of the CONSOLE_PENDING_READS reply
 * slots too. */
#define CONSOLE_PENDING_WRITES 8

/* One terminal a request names: the console, or one end of a pair. */
typedef struct {
    uint64_t word; /* CONSOLE_TERMINAL_* */
    tty_t *tty;
    pty_t *pty;     /* NULL for the console */
    bool is_master; /* the master end of `pty` */
    bool *armed;    /* signal the subscriber when it becomes readable */
} terminal_t;

typedef struct {
    tty_t tty;
    pty_table_t ptys;
    /* Waiting reads in arrival order, reads[0..read_count). Each has its
     * own slot, reply_slots[i], for its reply capability. */
    pending_read_t reads[CONSOLE_PENDING_READS];
    unsigned read_count;
    cptr_t reply_slots[CONSOLE_PENDING_READS];
    bool slot_used[CONSOLE_PENDING_READS];
    pending_write_t writes[CONSOLE_PENDING_WRITES]; /* in arrival order */
    unsigned write_count;
    bool retrying;               /* console_retry_writes is running */
    uint32_t retry_slots;        /* pairs it must (still) go over, a bit each */
    bool reader_seen;            /* a client has read: lines no longer go to the log */
    cptr_t subscriber;           /* the forwarder's notification for readiness (CAP_NULL: none) */
    bool input_armed;            /* signal the subscriber when console input becomes readable */
    bool pty_armed[PTY_MAX][2];  /* the same for [slot][0: slave, 1: master] */
    bool pty_out_armed[PTY_MAX]; /* signal it when a full slave's output has room */
    uint64_t requests, bytes_in, bytes_out, reads_answered;
} console_t;

/* A handler's answer that means "no reply now: saved for later". */
#define CONSOLE_DEFERRED INT64_MIN

/* Returns 0, or -ENOMEM when the CSpace has no slots for saved replies. */
int console_init(console_t *c);

/* Handles one request; returns the reply's MR0 or CONSOLE_DEFERRED. */
int64_t console_dispatch(console_t *c, const console_request_t *req);

/* Feeds bytes received on the UART through the line discipline: echoes,
 * reports signals, answers the reads that can now complete. */
void console_input(console_t *c, const uint8_t *bytes, size_t len);

/* The handlers, one per request label (requests.c, reads.c). */
int64_t console_do_write(console_t *c, const console_request_t *req);
int64_t console_do_read(console_t *c, const console_request_t *req);
int64_t console_do_ioctl(console_t *c, const console_request_t *req);
int64_t console_do_debug_text(console_t *c, const console_request_t *req);
/* The debug protocol (protocol/debug.h), from proc-server only: debug_state.c. */
int64_t console_do_debug(console_t *c, const console_request_t *req);
/* The request about to be served: console-server faults here if
 * DEBUG_CONSOLE_CRASH armed it for that request (test images only). */
void console_crash_point(const console_request_t *req);
int64_t console_do_readiness(console_t *c, const console_request_t *req);
int64_t console_do_subscribe(console_t *c, const console_request_t *req);
/* CONSOLE_SESSION: the session the console is the controlling terminal of. */
int64_t console_do_session(console_t *c, const console_request_t *req);

/* The terminal named by word `index` of `req` (the console when the
 * request has no such word): 0, -EPERM when a caller other than the
 * forwarder names a pseudo-terminal, -EBADF when the word names no open
 * end (terminals.c). */
int console_terminal(console_t *c, const console_request_t *req, unsigned index, terminal_t *out);

/* Whether a read of `want` bytes on `t` would not wait. */
bool terminal_read_ready(const terminal_t *t, uint64_t want);

/* Takes up to `want` bytes of ready input of `t` (a master's -EIO too). */
int64_t terminal_take(terminal_t *t, uint8_t *dst, uint64_t want);

/* The pseudo-terminal requests of the forwarder (terminals.c). */
int64_t console_do_pty_open(console_t *c, const console_request_t *req);
int64_t console_do_pty_open_slave(console_t *c, const console_request_t *req);
int64_t console_do_pty_close(console_t *c, const console_request_t *req);
int64_t console_do_pairs_reset(console_t *c, const console_request_t *req);
int64_t console_do_ctty(console_t *c, const console_request_t *req);
int64_t console_do_open_ctty(console_t *c, const console_request_t *req);
/* CONSOLE_SESSION_END: the terminals of a dead session leader's session. */
int64_t console_do_session_end(console_t *c, const console_request_t *req);
int64_t console_do_fg_pgrp(console_t *c, const console_request_t *req);

/* Input became readable on terminal `word`: answers its waiting reads and
 * tells a subscriber that asked. */
void console_terminal_readable(console_t *c, uint64_t word);

/* Sends the signals of `ev` to their process groups through proc-server. */
void console_send_signals(const tty_events_t *ev);

/* Answers every read waiting on terminal `word` -EIO (its end closed). */
void console_drop_reads(console_t *c, uint64_t word);

/* Terminal `t` became readable: tells a subscriber that asked. */
void console_input_ready(console_t *c, const terminal_t *t);

/* A master read made room in its pair's output: tells a subscriber that
 * asked for the slave's POLLOUT. */
void console_output_room(console_t *c, const terminal_t *t);

/* Answers the waiting reads of `t` that can now complete. */
void console_complete_reads(console_t *c, const terminal_t *t);

/* The reply slots deferred reads and writes keep their reply capability
 * in (reads.c): one taken (CAP_NULL: none left), one given back, and the
 * capability of `req` moved or saved into one. */
cptr_t console_take_reply_slot(console_t *c);
void console_release_reply_slot(console_t *c, cptr_t slot);
kerr_t console_keep_reply(const console_request_t *req, cptr_t slot);

/* Writes to pseudo-terminal ends that wait for room (writes.c). */
/* Bytes [from, total) of the writer behind `reply` into end `t`: the count
 * taken now (0: no room), or -errno with none taken (requests.c). */
int64_t console_pty_write_from(console_t *c, terminal_t *t, cptr_t reply, uint64_t from,
                               uint64_t total);
/* Whether terminal `word` has a write waiting (a new one queues behind). */
bool console_has_waiting_write(const console_t *c, uint64_t word);
/* Keeps `req`'s write, `done` of `total` bytes taken, until there is room:
 * CONSOLE_DEFERRED, or -EAGAIN/-ENOMEM when it cannot be kept. */
int64_t console_defer_write(console_t *c, const console_request_t *req, uint64_t total,
                            uint64_t done, uint64_t word);
/* Room may have come in pair `slot` (a master read, a close): carries the
 * waiting writes of both its ends on, answering those done. */
void console_retry_writes(console_t *c, int slot);

/* Sends bytes to the UART as they are (the kernel log), "\n" as "\r\n". */
void console_print_raw(console_t *c, const char *text, size_t len);

/* Takes COM1 over from the kernel (log_relay.c): `notification` is
 * signalled when servers log. Returns 0, or -1 if the kernel keeps it. */
int log_relay_start(cptr_t notification);

/* Prints what the kernel log gained since the last call. */
void log_relay_drain(console_t *c);

#endif
