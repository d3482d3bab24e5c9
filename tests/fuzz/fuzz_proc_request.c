/*
 * libFuzzer target for proc-server's request decoding
 * (proc-server/request_check.c): the functions its handlers call on the
 * label's message registers and descriptor count before acting.
 *
 * Input: byte 0 the registers sent (low 3 bits) and descriptors lent (next
 * 2); then MR0..MR3 (8 bytes each). Each answer is checked against
 * docs/protocols/proc.md: an accepted request has every field in range and
 * decodes to what the protocol says, a refused one gets its errno.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/proc.h"
#include "../../proc-server/request_check.h"
#include "wait4.h"

static void expect(int cond)
{
    if (!cond) {
        abort();
    }
}

static void check_exit_wait(const request_t *req)
{
    int code = -1, pid = 0, options = 0;
    int err = proc_exit_args(req, &code);
    expect(err == 0 ? req->length >= 1 && code == (int)((req->mr[0] >> 8) & 0xff)
                    : err == -EINVAL && req->length < 1);
    err = proc_wait4_args(req, &pid, &options);
    if (err == 0) {
        expect(req->length >= 2 && (int64_t)pid == (int64_t)req->mr[0]);
        expect(req->mr[1] <= UINT32_MAX && (uint32_t)options == (uint32_t)req->mr[1]);
    } else {
        expect(err == -EINVAL);
    }
    err = proc_waitid_args(req, &pid, &options);
    if (err == 0) {
        expect(req->length >= 3 && req->mr[0] <= UINT32_MAX && req->mr[1] <= UINT32_MAX &&
               req->mr[2] <= UINT32_MAX);
        expect(pid != 0 || (uint32_t)req->mr[0] == PROC_P_PGID); /* 0 only as P_PGID 0 */
    } else {
        expect(err == -EINVAL || err == -EBADF);
    }
}

static void check_strings(const request_t *req)
{
    static const uint64_t max[] = {15, 64, 1024, 4096};
    for (unsigned i = 0; i < 4; i++) {
        int err = proc_string_len(req, req->mr[i], max[i]);
        if (err == 0) {
            expect(req->mr[i] <= max[i] && (req->mr[i] == 0 || req->descriptors > 0));
        } else {
            expect(err == (req->mr[i] > max[i] ? -EINVAL : -EFAULT));
        }
    }
}

/* PROC_SPAWN_MOUNTS_OF's packed words, PROC_SCOPE_JOIN's and
 * PROC_HOSTNAME_JOIN's PID. */
static void check_joins(const request_t *req)
{
    int pid = -1;
    uint64_t len = 1;
    int err = proc_spawn_mounts_args(req, 4095, &pid, &len);
    if (!(req->mr[1] & PROC_SPAWN_MOUNTS_OF)) {
        expect(err == 0 && pid == 0 && len == 0);
    } else if (err == 0) {
        expect(pid > 0 && (uint64_t)pid == req->mr[3] >> 32);
        expect(len == req->mr[2] >> 32 && len <= 4095 && (len == 0 || req->descriptors >= 2));
    } else {
        expect(err == -EINVAL || (err == -EFAULT && req->descriptors < 2));
    }
    err = proc_join_pid_arg(req, &pid);
    if (err == 0) {
        expect(req->length >= 1 && pid > 0 && (uint64_t)pid == req->mr[0]);
    } else {
        expect(err == -EINVAL);
    }
}

static void check_spawn_kill(const request_t *req)
{
    uint64_t flags = req->mr[1];
    if (proc_spawn_flags(flags) == 0) {
        /* PROC_SPAWN_PTY (bit 55), then PROC_SPAWN_MOUNTS_OF (56) */
        expect((flags >> 57) == 0);
        expect(!((flags & PROC_SPAWN_SUSPENDED) && (flags & PROC_SPAWN_JOIN)));
        expect(!((flags & PROC_SPAWN_MOUNTS_OF) && (flags & PROC_SPAWN_JOIN)));
        /* a pty only joining, with no descriptor given */
        expect(!(flags & PROC_SPAWN_PTY) ||
               ((flags & PROC_SPAWN_JOIN) && (flags & PROC_SPAWN_FD_BITS) == PROC_SPAWN_FD_BITS));
    }
    for (unsigned i = 0; i < 3; i++) {
        int fd = proc_spawn_fd(flags, i);
        expect(fd >= -1 && fd < (int)PROC_SPAWN_NO_FD);
        expect(fd == -1 || (uint64_t)fd == ((flags >> (16 * i)) & 0xffff));
    }
    check_joins(req);
    if (proc_container_kill_args(req) == 0) {
        expect(req->length >= 2 && req->mr[0] >= 1 && req->mr[0] <= 64 && req->mr[1] <= 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 + 32) {
        return 0;
    }
    request_t req = {0, data[0] & 7, (data[0] >> 3) & 3, {0}, 0, 0};
    for (unsigned i = 0; i < 4; i++) {
        uint64_t w;
        memcpy(&w, data + 1 + 8 * i, 8);
        req.mr[i] = i < req.length ? w : 0; /* as main.c receives it */
    }
    check_exit_wait(&req);
    check_strings(&req);
    check_spawn_kill(&req);
    return 0;
}
