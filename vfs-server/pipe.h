/*
 * Pipes: a ring of PIPE_RING_SIZE bytes, the counts of the open file
 * descriptions that read and write it, and the callers waiting on it.
 *
 * The rules are Linux's (pipe(7)): a read takes what is there, up to its
 * count, waits while the pipe is empty and has writers, and gets 0 (end of
 * file) once it has none. A write of at most PIPE_ATOMIC bytes goes in
 * whole or not at all; a longer one may be split. A blocking write returns
 * its whole count, waiting for room as needed; with no reader left it gets
 * -EPIPE (or the count already written) and the writer is to get SIGPIPE.
 * O_NONBLOCK turns every wait into -EAGAIN (or a partial count). Waiters are
 * answered first come, first served; one whose caller is gone (killed, its
 * call cancelled or timed out) is dropped without taking or giving bytes.
 *
 * This file moves no message itself: pipe_io_t does (pipe_reply.c in the
 * server, a fake in the unit test), so the rules are tested as plain code.
 */
#ifndef VFS_PIPE_H
#define VFS_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipe_ring.h"
#include "quota.h"

#define PIPE_ATOMIC 4096     /* PIPE_BUF: writes up to this size are atomic */
#define PIPE_MAX 128         /* pipes at once in the system (-ENFILE past it) */
#define PIPE_QUEUE 16        /* readers, and writers, waiting on one pipe */
#define PIPE_WAITERS_MAX 256 /* callers waiting on all pipes together */

/* A caller as pipe_io_t knows it; PIPE_CALLER_CURRENT is the one whose
 * request is being handled, PIPE_CALLER_NONE none at all. */
typedef uint64_t pipe_caller_t;
#define PIPE_CALLER_CURRENT UINT64_MAX
#define PIPE_CALLER_NONE 0

/* A pipe_read/pipe_write result meaning "the caller waits; answered later". */
#define PIPE_DEFERRED INT64_MIN

/* An answer's flag: the writer is to get SIGPIPE. */
#define PIPE_ANSWER_SIGPIPE 1u

typedef struct pipe_io {
    /* Bulk copies with the caller's buffer at `offset`: 0, -EFAULT, or
     * -EPIPE when the caller no longer waits. */
    int (*copy_in)(pipe_caller_t caller, uint64_t offset, void *dst, size_t len);
    int (*copy_out)(pipe_caller_t caller, uint64_t offset, const void *src, size_t len);
    /* Keeps the current caller for a later answer; PIPE_CALLER_NONE when
     * nothing is left to keep it in. */
    pipe_caller_t (*save)(void);
    /* Answers a kept caller (never blocking; a caller gone is no error) and
     * forgets it. */
    void (*answer)(pipe_caller_t caller, int64_t result, unsigned flags);
    /* Forgets a kept caller without an answer: it is gone. */
    void (*drop)(pipe_caller_t caller);
    /* Some pipe's readiness may have changed (waiting polls look again). */
    void (*changed)(void);
} pipe_io_t;

typedef struct {
    pipe_caller_t caller;
    uint64_t want, done; /* bytes asked, bytes moved so far */
} pipe_waiter_t;

typedef struct {
    pipe_waiter_t slots[PIPE_QUEUE];
    unsigned head, count;
} pipe_queue_t;

typedef struct pipe {
    pipe_ring_t ring;
    unsigned readers, writers; /* open file descriptions of each end */
    uint64_t ino;
    pipe_queue_t reading, writing;
    const pipe_io_t *io;
    quota_t *quota; /* held: charged PIPE_CHARGE (the requester's when it was made) */
} pipe_t;

/* What a pipe costs its creator's context quota: the record and its ring. */
#define PIPE_CHARGE (sizeof(pipe_t) + PIPE_RING_SIZE)

/* A new pipe with no end open yet: 0, -ENFILE, -ENOMEM, or -ENOSPC when
 * the requester's quota has no room for it. */
int pipe_create(const pipe_io_t *io, pipe_t **out);
/* A file description of the pipe opens or closes (reading and/or writing);
 * the pipe goes when its last description closes. */
void pipe_open_end(pipe_t *p, bool reads, bool writes);
void pipe_close_end(pipe_t *p, bool reads, bool writes);

/* The current caller reads up to `want` bytes / writes `want` bytes:
 * the count, -errno, or PIPE_DEFERRED. */
int64_t pipe_read(pipe_t *p, uint64_t want, bool nonblock);
int64_t pipe_write(pipe_t *p, uint64_t want, bool nonblock);

/* Bytes waiting to be read (FIONREAD). */
size_t pipe_available(const pipe_t *p);
/* poll(2) events of a description that reads and/or writes the pipe. */
short pipe_poll(const pipe_t *p, bool reads, bool writes);

/* Pipes and waiting callers in the system (for tests and limits). */
unsigned pipe_count(void);
unsigned pipe_waiting(void);

#endif
