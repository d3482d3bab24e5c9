/*
 * The requests a process sends on its session (protocol/proc.h). Each
 * handler checks every field; an answer now is the return value, an answer
 * later (a wait4 that blocks) is REQUEST_DEFERRED and a saved reply.
 */
#ifndef PROC_SERVER_REQUESTS_H
#define PROC_SERVER_REQUESTS_H

#include "capsule/kernel.h"
#include "process.h"

#define REQUEST_DEFERRED INT64_MIN /* no reply now */

typedef struct {
    uint64_t label;
    uint64_t length; /* message registers sent */
    uint64_t descriptors;
    uint64_t mr[4];
    uint64_t reply_mr1; /* set by a handler that answers two words */
    cptr_t reply_cap;   /* a slot of proc-server's the answer carries (then deleted), or 0 */
} request_t;

int64_t requests_dispatch(process_t *caller, request_t *req);

/* A string the caller lent as descriptor `desc` of the current request,
 * `len` bytes without its NUL (none may be inside), into *out (malloc'd):
 * 0, -EINVAL (over max, a NUL inside), -EFAULT or -ENOMEM. */
int request_receive_string(unsigned desc, uint64_t len, size_t max, char **out);

#endif
