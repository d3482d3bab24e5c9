/*
 * The requests a process sends on its session (protocol/proc.h). Each
 * handler checks every field; an answer now is the return value, an answer
 * later (a wait4 that blocks) is REQUEST_DEFERRED and a saved reply.
 */
#ifndef PROC_SERVER_REQUESTS_H
#define PROC_SERVER_REQUESTS_H

#include "capsule/kernel.h"
#include "process.h"
#include "request_check.h" /* request_t and the checks of its fields */

#define REQUEST_DEFERRED INT64_MIN /* no reply now */

int64_t requests_dispatch(process_t *caller, request_t *req);

/* A string the caller lent as descriptor `desc` of the current request,
 * `len` bytes without its NUL (none may be inside), into *out (malloc'd):
 * 0, -EINVAL (over max, a NUL inside), -EFAULT or -ENOMEM. */
int request_receive_string(unsigned desc, uint64_t len, size_t max, char **out);

#endif
