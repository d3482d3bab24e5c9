/*
 * console-server's state and request handlers: one terminal (COM1), the
 * reads waiting for input, and what it has served.
 */
#ifndef CONSOLE_CONSOLE_H
#define CONSOLE_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "capsule/server.h"
#include "protocol/console.h"
#include "tty.h"

/* A read that waits for input, answered through its saved reply capability. */
typedef struct {
    cptr_t reply;
    uint64_t want;
} pending_read_t;

#define CONSOLE_PENDING_READS 16

typedef struct {
    tty_t tty;
    /* Waiting reads in arrival order: a ring of `read_count` from `read_head`.
     * Each has its own slot, reply_slots[i], for its reply capability. */
    pending_read_t reads[CONSOLE_PENDING_READS];
    unsigned read_head, read_count;
    cptr_t reply_slots[CONSOLE_PENDING_READS];
    bool slot_used[CONSOLE_PENDING_READS];
    bool reader_seen;  /* a client has read: lines no longer go to the log */
    cptr_t subscriber; /* the forwarder's notification for readiness (CAP_NULL: none) */
    bool input_armed;  /* signal the subscriber when input becomes readable */
    uint64_t requests, bytes_in, bytes_out, reads_answered;
} console_t;

/* A request as received: label, length and MR0..MR6, and the reply
 * capability that reaches the process that asked (CAP_REPLY_CURRENT for a
 * Call; the landing slot of a forwarded request). The buffers it lends are
 * checked by the copies themselves. */
typedef struct {
    uint64_t label;
    uint64_t length;
    uint64_t mr[CONSOLE_IOCTL_WORDS];
    cptr_t reply;
    uint64_t badge;
    unsigned caps; /* capabilities received: they are in the landing slot */
    cptr_t landing;
} console_request_t;

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
int64_t console_do_readiness(console_t *c, const console_request_t *req);
int64_t console_do_subscribe(console_t *c, const console_request_t *req);
/* CONSOLE_SESSION: the session the console is the controlling terminal of. */
int64_t console_do_session(console_t *c, const console_request_t *req);

/* Sends the signals of `ev` to their process groups through proc-server. */
void console_send_signals(const tty_events_t *ev);

/* Input became readable: tells a subscriber that asked. */
void console_input_ready(console_t *c);

/* Answers the waiting reads that new settings let complete. */
void console_settings_changed(console_t *c);

/* Sends bytes to the UART as they are (the kernel log), "\n" as "\r\n". */
void console_print_raw(console_t *c, const char *text, size_t len);

/* Takes COM1 over from the kernel (log_relay.c): `notification` is
 * signalled when servers log. Returns 0, or -1 if the kernel keeps it. */
int log_relay_start(cptr_t notification);

/* Prints what the kernel log gained since the last call. */
void log_relay_drain(console_t *c);

#endif
