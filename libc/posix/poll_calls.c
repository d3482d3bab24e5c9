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

#include "capsule/kernel.h"
#include "files.h"
#include "signals.h"
#include "process.h"
#include "protocol/posix_runtime.h"
#include "protocol/vfs.h"

#define POLL_FDS_MAX 1024 /* as vfs-server takes; also select's FD_SETSIZE */
#define SET_WORDS (POLL_FDS_MAX / 64)
#define NO_TIMEOUT (-1) /* wait for ever */
#define NS_PER_S 1000000000ll

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
    if (ts[0] < 0 || ts[1] < 0 || ts[1] >= NS_PER_S) {
        return -EINVAL;
    }
    /* beyond some 292 years: for ever */
    *out = ts[0] >= INT64_MAX / NS_PER_S - 1 ? NO_TIMEOUT : ts[0] * NS_PER_S + ts[1];
    return 0;
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
    if (tv[0] < 0 || tv[1] < 0) {
        return -EINVAL;
    }
    int64_t s = tv[0] + tv[1] / 1000000;
    *out = s >= INT64_MAX / NS_PER_S - 1 ? NO_TIMEOUT : s * NS_PER_S + (tv[1] % 1000000) * 1000;
    return 0;
}

RUNTIME static int64_t poll_ms(uint64_t fds, uint64_t nfds, int64_t timeout_ms)
{
    return poll_request(fds, nfds, timeout_ms < 0 ? NO_TIMEOUT : timeout_ms * 1000000);
}

typedef struct {
    uint64_t addr[3]; /* read, write, except sets (0: none) */
    uint64_t bits[3][SET_WORDS];
    unsigned words;
} fd_sets_t;

RUNTIME static bool in_set(const fd_sets_t *s, int which, int fd)
{
    return (s->bits[which][fd / 64] >> (fd % 64)) & 1;
}

/* The poll array of the sets: one entry per descriptor named in any. */
RUNTIME static uint64_t sets_to_poll(const fd_sets_t *s, int nfds)
{
    uint64_t n = 0;
    for (int fd = 0; fd < nfds; fd++) {
        short events = (in_set(s, 0, fd) ? POLLIN : 0) | (in_set(s, 1, fd) ? POLLOUT : 0) |
                       (in_set(s, 2, fd) ? POLLPRI : 0);
        if (events != 0) {
            select_fds[n++] = (struct pollfd){fd, events, 0};
        }
    }
    return n;
}

/* Linux's POLLIN_SET, POLLOUT_SET and POLLEX_SET. */
#define READ_SET (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define WRITE_SET (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define EXCEPT_SET POLLPRI

/* Rewrites the sets from the revents: the count of bits set, or -EBADF
 * when a descriptor named is not open. */
RUNTIME static int64_t poll_to_sets(fd_sets_t *s, uint64_t n)
{
    const short masks[3] = {READ_SET, WRITE_SET, EXCEPT_SET};
    int64_t count = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (select_fds[i].revents & POLLNVAL) {
            return -EBADF;
        }
    }
    for (int which = 0; which < 3; which++) {
        for (unsigned w = 0; w < s->words; w++) {
            s->bits[which][w] = 0;
        }
        for (uint64_t i = 0; i < n; i++) {
            const struct pollfd *p = &select_fds[i];
            bool asked = which == 0   ? p->events & POLLIN
                         : which == 1 ? p->events & POLLOUT
                                      : p->events & POLLPRI;
            if (asked && (p->revents & masks[which])) {
                s->bits[which][p->fd / 64] |= 1ull << (p->fd % 64);
                count++;
            }
        }
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
    uint64_t n = sets_to_poll(&s, (int)nfds);
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
