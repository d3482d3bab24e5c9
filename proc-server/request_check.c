#include "request_check.h"

#include <errno.h>

#include "kill.h"
#include "protocol/proc.h"
#include "wait4.h"

#define SPAWN_FLAGS_KNOWN                                                                          \
    (PROC_SPAWN_FD_BITS | PROC_SPAWN_SUSPENDED | PROC_SPAWN_JOIN | PROC_SPAWN_JAIL |               \
     PROC_SPAWN_SEARCH | PROC_SPAWN_NO_ADMIN | PROC_SPAWN_NO_KILL | PROC_SPAWN_NO_CHROOT |         \
     PROC_SPAWN_PTY | PROC_SPAWN_MOUNTS_OF)

int proc_exit_args(const request_t *req, int *code)
{
    if (req->length < 1) {
        return -EINVAL;
    }
    *code = (int)((req->mr[0] >> 8) & 0xff);
    return 0;
}

int proc_wait4_args(const request_t *req, int *pid, int *options)
{
    if (req->length < 2) {
        return -EINVAL;
    }
    int p = (int)(int64_t)req->mr[0];
    if ((int64_t)req->mr[0] != p || req->mr[1] > UINT32_MAX) {
        return -EINVAL;
    }
    int o = (int)(uint32_t)req->mr[1]; /* __WCLONE is the sign bit */
    if (!proc_wait4_options_ok(o)) {
        return -EINVAL;
    }
    *pid = p;
    *options = o;
    return 0;
}

int proc_waitid_args(const request_t *req, int *pid, int *options)
{
    if (req->length < 3 || req->mr[0] > UINT32_MAX || req->mr[1] > UINT32_MAX ||
        req->mr[2] > UINT32_MAX) {
        return -EINVAL;
    }
    return proc_waitid_selector((int)(uint32_t)req->mr[0], (int)(uint32_t)req->mr[1],
                                (int)(uint32_t)req->mr[2], pid, options);
}

int proc_string_len(const request_t *req, uint64_t len, uint64_t max)
{
    if (len > max) {
        return -EINVAL;
    }
    return len > 0 && req->descriptors < 1 ? -EFAULT : 0;
}

int proc_spawn_flags(uint64_t flags)
{
    const uint64_t no_fds = PROC_SPAWN_FDS(PROC_SPAWN_NO_FD, PROC_SPAWN_NO_FD, PROC_SPAWN_NO_FD);
    if ((flags & ~SPAWN_FLAGS_KNOWN) != 0 ||
        ((flags & PROC_SPAWN_SUSPENDED) && (flags & PROC_SPAWN_JOIN)) ||
        ((flags & PROC_SPAWN_MOUNTS_OF) && (flags & PROC_SPAWN_JOIN))) {
        return -EINVAL;
    }
    /* the pair's slave is the child's 0-2: nothing else may be given */
    if ((flags & PROC_SPAWN_PTY) &&
        (!(flags & PROC_SPAWN_JOIN) || (flags & PROC_SPAWN_FD_BITS) != no_fds)) {
        return -EINVAL;
    }
    return 0;
}

int proc_spawn_fd(uint64_t flags, unsigned i)
{
    unsigned fd = (unsigned)(flags >> (16 * i)) & 0xffff;
    return fd == PROC_SPAWN_NO_FD ? -1 : (int)fd;
}

int proc_spawn_mounts_args(const request_t *req, uint64_t max_cwd, int *pid, uint64_t *cwd_len)
{
    *pid = 0;
    *cwd_len = 0;
    if (!(req->mr[1] & PROC_SPAWN_MOUNTS_OF)) {
        return 0;
    }
    uint64_t nr = req->mr[3] >> 32, len = req->mr[2] >> 32;
    if (nr == 0 || nr > INT32_MAX || len > max_cwd) {
        return -EINVAL;
    }
    if (len > 0 && req->descriptors < 2) {
        return -EFAULT;
    }
    *pid = (int)nr;
    *cwd_len = len;
    return 0;
}

int proc_join_pid_arg(const request_t *req, int *pid)
{
    if (req->length < 1 || req->mr[0] == 0 || req->mr[0] > INT32_MAX) {
        return -EINVAL;
    }
    *pid = (int)req->mr[0];
    return 0;
}

int proc_container_kill_args(const request_t *req)
{
    if (req->length < 2 || req->mr[0] == 0 || req->mr[0] > KILL_SIGNAL_MAX || req->mr[1] > 1 ||
        kill_check_signal((int)req->mr[0]) != 0) {
        return -EINVAL;
    }
    return 0;
}
