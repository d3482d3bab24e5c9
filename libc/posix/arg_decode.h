/*
 * The runtime's decoding of structures a program passes to system calls,
 * once they are copied in: timeouts (timespec, timeval), select's fd sets
 * as a poll array and back, clone's flags, sigaltstack's stack. Pure (no
 * kernel, no program memory), so the host fuzzes them
 * (tests/fuzz/fuzz_posix_args.c); the callers copy in and out.
 */
#ifndef CAPSULE_POSIX_ARG_DECODE_H
#define CAPSULE_POSIX_ARG_DECODE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#define ARG_NO_TIMEOUT (-1) /* wait for ever */
#define ARG_FDSET_MAX 1024  /* select's FD_SETSIZE, as many as a poll takes */
#define ARG_FDSET_WORDS (ARG_FDSET_MAX / 64)

/* A struct timespec {tv_sec, tv_nsec} as nanoseconds (ARG_NO_TIMEOUT
 * beyond some 292 years); -EINVAL when a field is negative or tv_nsec is a
 * second or more. */
int arg_timespec_ns(const int64_t ts[2], int64_t *out);

/* A struct timeval {tv_sec, tv_usec} as nanoseconds, microseconds past a
 * second carried over as Linux does; -EINVAL when a field is negative. */
int arg_timeval_ns(const int64_t tv[2], int64_t *out);

/* select's three sets (read, write, except; `bits` of the first `nfds`
 * descriptors, 0 <= nfds <= ARG_FDSET_MAX) as a poll array: one entry per
 * descriptor named in any, in `fds` (room for nfds). Returns the count. */
uint64_t arg_fdsets_to_poll(const uint64_t bits[3][ARG_FDSET_WORDS], int nfds, struct pollfd *fds);

/* The answer to that poll as the three sets again (their first `words`
 * words rewritten, Linux's POLLIN_SET, POLLOUT_SET and POLLEX_SET): the
 * count of bits set, or -EBADF when an entry is POLLNVAL. */
int64_t arg_poll_to_fdsets(const struct pollfd *fds, uint64_t n, unsigned words,
                           uint64_t bits[3][ARG_FDSET_WORDS]);

/* clone's flags (and child stack) that make a new process as fork or vfork
 * does; -ENOSYS for threads, namespaces and shared memory without vfork. */
int arg_clone_flags(uint64_t flags, uint64_t stack);

/* sigaltstack's new stack: 0 to install it, 1 to disable (SS_DISABLE),
 * -EINVAL for other flags, -ENOMEM below MINSIGSTKSZ. */
int arg_sigaltstack(uint32_t flags, uint64_t size);

#endif
