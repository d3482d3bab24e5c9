/*
 * comm, the name ps and /proc/<pid>/comm show: exec sets it from the
 * executable's name, prctl(PR_SET_NAME) to any 15 bytes (PROC_SET_COMM),
 * and prctl(PR_GET_NAME) reads it back (PROC_GET_COMM). The process table
 * page publishes every change.
 */
#include "comm.h"

#include <errno.h>
#include <string.h>

#include "protocol/proc.h"

static int64_t set_comm(process_t *caller, const request_t *req)
{
    uint64_t len = req->length < 1 ? PROC_COMM_LEN : req->mr[0];
    int err = proc_string_len(req, len, PROC_COMM_LEN - 1);
    if (err != 0) {
        return err;
    }
    char name[PROC_COMM_LEN] = {0};
    uint64_t done = 0;
    if (len > 0 &&
        (reply_copy_from(CAP_REPLY_CURRENT, 0, 0, name, len, &done) != KERR_OK || done != len)) {
        return -EFAULT;
    }
    proc_set_comm(caller, name); /* a NUL within ends it there, as Linux reads it */
    return 0;
}

static int64_t get_comm(const process_t *caller, const request_t *req)
{
    char name[PROC_COMM_LEN] = {0};
    memcpy(name, caller->comm, PROC_COMM_LEN - 1); /* comm is NUL-padded */
    uint64_t done = 0;
    if (req->descriptors < 1 ||
        reply_copy_to(CAP_REPLY_CURRENT, 0, 0, name, sizeof(name), &done) != KERR_OK ||
        done != sizeof(name)) {
        return -EFAULT;
    }
    return 0;
}

int64_t comm_dispatch(process_t *caller, const request_t *req)
{
    return req->label == PROC_SET_COMM ? set_comm(caller, req) : get_comm(caller, req);
}
