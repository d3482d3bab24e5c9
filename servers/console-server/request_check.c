#include "request_check.h"

#include <errno.h>

int console_write_args(const console_request_t *req, bool *nonblock)
{
    uint64_t flags = req->length >= 3 ? req->mr[2] : 0;
    if (req->length < 1 || (flags & ~(uint64_t)CONSOLE_WRITE_NONBLOCK)) {
        return -EINVAL;
    }
    *nonblock = (flags & CONSOLE_WRITE_NONBLOCK) != 0;
    return 0;
}

int console_read_args(const console_request_t *req, uint64_t *want, uint64_t *flags)
{
    if (req->length < 2 ||
        (req->mr[1] & ~(uint64_t)(CONSOLE_READ_NONBLOCK | CONSOLE_READ_SIGTTIN_IGNORED))) {
        return -EINVAL;
    }
    *want = req->mr[0];
    *flags = req->mr[1];
    return 0;
}

int console_terminal_word(uint64_t word, int *slot, bool *master)
{
    if (word == CONSOLE_TERMINAL_CONSOLE) {
        *slot = -1;
        *master = false;
        return 0;
    }
    uint64_t kind = word & ~(uint64_t)CONSOLE_TERMINAL_SLOT_MASK;
    if (kind != CONSOLE_TERMINAL_MASTER && kind != CONSOLE_TERMINAL_SLAVE) {
        return -EBADF;
    }
    *slot = (int)(word & CONSOLE_TERMINAL_SLOT_MASK);
    *master = kind == CONSOLE_TERMINAL_MASTER;
    return 0;
}

int console_pty_open_args(const console_request_t *req, bool *unlocked)
{
    uint64_t flags = req->length >= 2 ? req->mr[1] : 0;
    if (req->length < 1 || (flags & ~(uint64_t)CONSOLE_PTY_UNLOCKED) != 0) {
        return -EINVAL;
    }
    *unlocked = flags != 0;
    return 0;
}

int console_session_arg(const console_request_t *req, int *sid)
{
    if (req->length < 1 || (int64_t)req->mr[0] <= 0 || req->mr[0] > INT32_MAX) {
        return -EINVAL;
    }
    *sid = (int)req->mr[0];
    return 0;
}
