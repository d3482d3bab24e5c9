#define _GNU_SOURCE /* the CLONE_* flags */
#include "arg_decode.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>

#define NS_PER_S 1000000000ll
#define US_PER_S 1000000ll

/* Linux's values, which musl's headers may not all name. */
#define LINUX_SS_ONSTACK 1u
#define LINUX_SS_DISABLE 2u
#define LINUX_SS_AUTODISARM (1u << 31)
#define LINUX_MINSIGSTKSZ 2048

/* Linux's POLLIN_SET, POLLOUT_SET and POLLEX_SET. */
#define READ_SET (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define WRITE_SET (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define EXCEPT_SET POLLPRI

/* The clone flags that still mean "a new process": what glibc's fork and
 * musl's posix_spawn pass. */
#define CLONE_FORK_FLAGS (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_VM | CLONE_VFORK)

/* Seconds past this many are "for ever": their nanoseconds overflow. */
#define SECONDS_FOREVER (INT64_MAX / NS_PER_S - 1)

int arg_timespec_ns(const int64_t ts[2], int64_t *out)
{
    if (ts[0] < 0 || ts[1] < 0 || ts[1] >= NS_PER_S) {
        return -EINVAL;
    }
    *out = ts[0] >= SECONDS_FOREVER ? ARG_NO_TIMEOUT : ts[0] * NS_PER_S + ts[1];
    return 0;
}

int arg_timeval_ns(const int64_t tv[2], int64_t *out)
{
    if (tv[0] < 0 || tv[1] < 0) {
        return -EINVAL;
    }
    /* compared before adding: tv_sec near INT64_MAX plus the carry overflows */
    int64_t carry = tv[1] / US_PER_S;
    if (tv[0] >= SECONDS_FOREVER - carry) {
        *out = ARG_NO_TIMEOUT;
        return 0;
    }
    *out = (tv[0] + carry) * NS_PER_S + (tv[1] % US_PER_S) * 1000;
    return 0;
}

static bool in_set(const uint64_t bits[3][ARG_FDSET_WORDS], int which, int fd)
{
    return (bits[which][fd / 64] >> (fd % 64)) & 1;
}

uint64_t arg_fdsets_to_poll(const uint64_t bits[3][ARG_FDSET_WORDS], int nfds, struct pollfd *fds)
{
    uint64_t n = 0;
    for (int fd = 0; fd < nfds; fd++) {
        short events = (in_set(bits, 0, fd) ? POLLIN : 0) | (in_set(bits, 1, fd) ? POLLOUT : 0) |
                       (in_set(bits, 2, fd) ? POLLPRI : 0);
        if (events != 0) {
            fds[n++] = (struct pollfd){fd, events, 0};
        }
    }
    return n;
}

int64_t arg_poll_to_fdsets(const struct pollfd *fds, uint64_t n, unsigned words,
                           uint64_t bits[3][ARG_FDSET_WORDS])
{
    const short asked_by[3] = {POLLIN, POLLOUT, POLLPRI};
    const short masks[3] = {READ_SET, WRITE_SET, EXCEPT_SET};
    int64_t count = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (fds[i].revents & POLLNVAL) {
            return -EBADF;
        }
    }
    for (int which = 0; which < 3; which++) {
        for (unsigned w = 0; w < words; w++) {
            bits[which][w] = 0;
        }
        for (uint64_t i = 0; i < n; i++) {
            const struct pollfd *p = &fds[i];
            if ((p->events & asked_by[which]) && (p->revents & masks[which])) {
                bits[which][p->fd / 64] |= 1ull << (p->fd % 64);
                count++;
            }
        }
    }
    return count;
}

int arg_clone_flags(uint64_t flags, uint64_t stack)
{
    if ((flags & 0xff) != SIGCHLD || (flags & ~(uint64_t)0xff & ~(uint64_t)CLONE_FORK_FLAGS)) {
        return -ENOSYS; /* threads and namespaces: not by clone */
    }
    if ((flags & CLONE_VM) && (!(flags & CLONE_VFORK) || stack == 0)) {
        return -ENOSYS; /* shared memory without vfork's wait is a thread */
    }
    return 0;
}

int arg_sigaltstack(uint32_t flags, uint64_t size)
{
    uint32_t mode = flags & ~LINUX_SS_AUTODISARM;
    if (mode == LINUX_SS_DISABLE) {
        return 1;
    }
    if (mode != 0 && mode != LINUX_SS_ONSTACK) {
        return -EINVAL;
    }
    return size < LINUX_MINSIGSTKSZ ? -ENOMEM : 0;
}
