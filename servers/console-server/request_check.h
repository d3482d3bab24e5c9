/*
 * The fields of a console-server request and the checks that need nothing
 * but them: write and read flags, the terminal word, a session number.
 * Pure (no IPC, no terminal state), so the handlers call them before acting
 * and the host fuzzes them with the terminal code (tests/fuzz/
 * fuzz_console_request.c). Each handler calls its check where it always
 * checked those fields, so the order of errors stays the handler's.
 */
#ifndef CONSOLE_REQUEST_CHECK_H
#define CONSOLE_REQUEST_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "capsule/kernel.h"
#include "protocol/console.h"

/* A request as received: label, length and MR0..MR7, and the reply
 * capability that reaches the process that asked (CAP_REPLY_CURRENT for a
 * Call; the landing slot of a forwarded request). The buffers it lends are
 * checked by the copies themselves. */
typedef struct {
    uint64_t label;
    uint64_t length;
    uint64_t mr[CONSOLE_REQUEST_WORDS];
    cptr_t reply;
    uint64_t badge;
    unsigned caps; /* capabilities received: they are in the landing slot */
    cptr_t landing;
    unsigned descriptors; /* buffers the caller lent */
} console_request_t;

/* CONSOLE_WRITE: MR0 length, MR2 (optional) CONSOLE_WRITE_NONBLOCK. -EINVAL. */
int console_write_args(const console_request_t *req, bool *nonblock);

/* CONSOLE_READ: MR0 length, MR1 CONSOLE_READ_* flags. -EINVAL. */
int console_read_args(const console_request_t *req, uint64_t *want, uint64_t *flags);

/* A terminal word: the console (*slot -1), or a pair's master or slave end
 * and its slot (0..CONSOLE_TERMINAL_SLOT_MASK, not yet known to be open);
 * -EBADF for any other word. */
int console_terminal_word(uint64_t word, int *slot, bool *master);

/* CONSOLE_PTY_OPEN: MR0 a devfs instance, MR1 (optional)
 * CONSOLE_PTY_UNLOCKED or 0. -EINVAL. */
int console_pty_open_args(const console_request_t *req, bool *unlocked);

/* MR0 as a session (or a session leader's PID): 1..INT32_MAX. -EINVAL. */
int console_session_arg(const console_request_t *req, int *sid);

#endif
