/*
 * poll and select. Both become one VFS_POLL request: an array of struct
 * pollfd lent to vfs-server, which fills in revents and, when nothing is
 * ready and the timeout is not 0, answers later. The timeout is this
 * side's: the Call carries it as its IPC timeout, so a poll that times out
 * simply returns 0 (and vfs-server's late answer finds nobody). select's
 * sets are turned into a pollfd array here and back, with Linux's mapping
 * of events onto the three sets. The signal masks of ppoll and pselect6
 * are not applied yet. A timeout given is not updated with the time left.
 */
#include "poll_calls.h"

#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>

#include "arg_decode.h"
#include "capsule/kernel.h"
#include "files.h"
#include "signals.h"
#include "process.h"
#include "protocol/posix_runtime.h"
#include "protocol/vfs.h"

#define POLL_FDS_MAX ARG_FDSET_MAX /* as vfs-server takes; also select's FD_SETSIZE */
#define NO_TIMEOUT ARG_NO_TIMEOUT

/* select's sets as a poll array (one process, one thread: no sharing). */
static struct pollfd select_fds[POLL_FDS_MAX];

/* On a timeout the answer may have raced it: revents are cleared here so
 * that a result of 0 never comes with events. */
RUNTIME static void clear_revents(uint64_t fds, uint64_t nfds)
{
    short none = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        user_put(fds + i * sizeof(struct pollfd) + offsetof(struct pollfd, revents), &none,
                 sizeof(none));
    }
}

/* The poll request; `timeout_ns` 0: answer now, NO_TIMEOUT: wait for ever. */
RUNTIME static int64_t poll_request(uint64_t fds, uint64_t nfds, int64_t timeout_ns)
{
    if (nfds > POLL_FDS_MAX) {
        return -EINVAL;
    }
    unsigned descriptors = nfds > 0;
    if (nfds > 0) {
        lend(0, fds, nfds * sizeof(struct pollfd), DESC_READ | DESC_WRITE);
    }
    uint64_t info = msginfo_with(msginfo_make(VFS_POLL, 2), 0, descriptors);
    ipc_buffer->timeout_ns = timeout_ns > 0 ? (uint64_t)timeout_ns : 0;
    sys_result_t r =
        sys_call(CAP_VFS_SESSION, info, nfds, timeout_ns != 0 ? VFS_POLL_WAIT : 0, 0, 0);
    ipc_buffer->timeout_ns = 0;
    switch (r.err) {
    case KERR_OK:
        return (int64_t)r.mr[0];
    case KERR_TIMEOUT:
        clear_revents(fds, nfds);
        return 0;
    case KERR_CANCELLED:
        return -RUNTIME_ERESTART; /* EINTR with a handler; else made again */
    default:
        return -EIO;
    }
}

/* A timespec (NULL: NO_TIMEOUT) in nanoseconds; -EINVAL when malformed. */
RUNTIME static int64_t timespec_ns(uint64_t addr, int64_t *out)
{
    int64_t ts[2];
    if (addr == 0) {
        *out = NO_TIMEOUT;
        return 0;
    }
    if (user_copy_in(ts, addr, sizeof(ts)) != 0) {
        return -EFAULT;
    }
    return arg_timespec_ns(ts, out);
}

/* A timeval, microseconds past a second carried over as Linux does. */
RUNTIME static int64_t timeval_ns(uint64_t addr, int64_t *out)
{
    int64_t tv[2];
    if (addr == 0) {
        *out = NO_TIMEOUT;
        return 0;
    }
    if (user_copy_in(tv, addr, sizeof(tv)) != 0) {
        return -EFAULT;
    }
    return arg_timeval_ns(tv, out);
}

RUNTIME static int64_t poll_ms(uint64_t fds, uint64_t nfds, int64_t timeout_ms)
{
    return poll_request(fds, nfds, timeout_ms < 0 ? NO_TIMEOUT : timeout_ms * 1000000);
}

typedef struct {
    uint64_t addr[3]; /* read, write, except sets (0: none) */
    uint64_t bits[3][ARG_FDSET_WORDS];
    unsigned words;
} fd_sets_t;

/* Rewrites the sets from the revents: the count of bits set, or -EBADF
 * when a descriptor named is not open. */
RUNTIME static int64_t poll_to_sets(fd_sets_t *s, uint64_t n)
{
    int64_t count = arg_poll_to_fdsets(select_fds, n, s->words, s->bits);
    for (int which = 0; which < 3 && count >= 0; which++) {
        if (s->addr[which] != 0 &&
            user_put(s->addr[which], s->bits[which], s->words * sizeof(uint64_t)) != 0) {
            return -EFAULT;
        }
    }
    return count;
}

RUNTIME static int64_t select_call(int64_t nfds, uint64_t rd, uint64_t wr, uint64_t ex,
                                   int64_t timeout_ns)
{
    if (nfds < 0 || nfds > POLL_FDS_MAX) {
        return -EINVAL;
    }
    fd_sets_t s = {{rd, wr, ex}, {{0}}, (unsigned)(nfds + 63) / 64};
    for (int which = 0; which < 3; which++) {
        if (s.addr[which] != 0 &&
            user_copy_in(s.bits[which], s.addr[which], s.words * sizeof(uint64_t)) != 0) {
            return -EFAULT;
        }
    }
    uint64_t n = arg_fdsets_to_poll(s.bits, (int)nfds, select_fds);
    int64_t ready = poll_request((uint64_t)select_fds, n, timeout_ns);
    return ready < 0 ? ready : poll_to_sets(&s, n);
}

RUNTIME int64_t poll_dispatch(const syscall_frame_t *f)
{
    int64_t timeout_ns, err;
    switch (f->nr) {
    case SYS_poll:
        return poll_ms(f->a1, f->a2, (int32_t)f->a3);
    case SYS_ppoll:
        err = timespec_ns(f->a3, &timeout_ns);
        return err != 0 ? err : poll_request(f->a1, f->a2, timeout_ns);
    case SYS_select:
        err = timeval_ns(f->a5, &timeout_ns);
        return err != 0 ? err : select_call((int32_t)f->a1, f->a2, f->a3, f->a4, timeout_ns);
    case SYS_pselect6:
        err = timespec_ns(f->a5, &timeout_ns);
        return err != 0 ? err : select_call((int32_t)f->a1, f->a2, f->a3, f->a4, timeout_ns);
    default:
        return -ENOSYS;
    }
}
