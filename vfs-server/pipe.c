#include "pipe.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

static unsigned pipes;
static unsigned waiting; /* in every queue of every pipe */
static uint64_t next_ino = 1;

unsigned pipe_count(void)
{
    return pipes;
}

unsigned pipe_waiting(void)
{
    return waiting;
}

int pipe_create(const pipe_io_t *io, pipe_t **out)
{
    if (pipes >= PIPE_MAX) {
        return -ENFILE;
    }
    quota_t *q = quota_owner(NULL);
    int err = quota_charge(q, PIPE_CHARGE);
    if (err != 0) {
        return err;
    }
    pipe_t *p = calloc(1, sizeof(*p));
    if (p == NULL || pipe_ring_init(&p->ring) != 0) {
        free(p);
        quota_uncharge(q, PIPE_CHARGE);
        return -ENOMEM;
    }
    p->quota = q;
    quota_get(q);
    p->io = io;
    p->ino = next_ino++;
    pipes++;
    *out = p;
    return 0;
}

/* ---- waiter queues ---- */

static pipe_waiter_t *queue_head(pipe_queue_t *q)
{
    return q->count > 0 ? &q->slots[q->head] : NULL;
}

static void queue_pop(pipe_queue_t *q)
{
    q->head = (q->head + 1) % PIPE_QUEUE;
    q->count--;
    waiting--;
}

static void answer_head(pipe_t *p, pipe_queue_t *q, int64_t result, unsigned flags)
{
    p->io->answer(queue_head(q)->caller, result, flags);
    queue_pop(q);
}

static void drop_head(pipe_t *p, pipe_queue_t *q)
{
    p->io->drop(queue_head(q)->caller);
    queue_pop(q);
}

/* Whether the caller kept in `w` still waits: a copy of no bytes says. */
static bool still_waits(const pipe_t *p, const pipe_waiter_t *w, bool writer)
{
    int err =
        writer ? p->io->copy_in(w->caller, 0, NULL, 0) : p->io->copy_out(w->caller, 0, NULL, 0);
    return err != -EPIPE;
}

/* Drops the callers at the front of `q` that are gone, so a queue that
 * looks busy has a live caller first; whether any went. */
static bool queue_prune(pipe_t *p, pipe_queue_t *q, bool writer)
{
    bool dropped = false;
    while (q->count > 0 && !still_waits(p, queue_head(q), writer)) {
        drop_head(p, q);
        dropped = true;
    }
    return dropped;
}

/* Keeps the current caller at the back of `q`; PIPE_DEFERRED, or -EAGAIN
 * (this pipe's queue is full) / -ENOMEM (all waiters, or no room to keep
 * a caller). */
static int64_t defer(pipe_t *p, pipe_queue_t *q, bool writer, uint64_t want, uint64_t done)
{
    if (q->count == PIPE_QUEUE) {
        queue_prune(p, q, writer);
    }
    if (q->count == PIPE_QUEUE) {
        return -EAGAIN;
    }
    if (waiting >= PIPE_WAITERS_MAX) {
        return -ENOMEM;
    }
    pipe_caller_t caller = p->io->save();
    if (caller == PIPE_CALLER_NONE) {
        return -ENOMEM;
    }
    q->slots[(q->head + q->count) % PIPE_QUEUE] = (pipe_waiter_t){caller, want, done};
    q->count++;
    waiting++;
    return PIPE_DEFERRED;
}

/* ---- moving bytes ---- */

/* Copies up to `want` buffered bytes to `caller`, consuming only what
 * arrived: the count, or -EFAULT / -EPIPE when nothing did. */
static int64_t deliver(pipe_t *p, pipe_caller_t caller, uint64_t want)
{
    uint64_t done = 0;
    while (done < want) {
        const uint8_t *span;
        size_t n = pipe_ring_read_span(&p->ring, want - done, &span);
        if (n == 0) {
            break;
        }
        int err = p->io->copy_out(caller, done, span, n);
        if (err != 0) {
            return done > 0 ? (int64_t)done : err;
        }
        pipe_ring_consume(&p->ring, n);
        done += n;
    }
    return (int64_t)done;
}

/* Copies the caller's bytes from `offset` on into the ring, as many of the
 * `remaining` as fit, or none unless all fit when `atomic`: the count, or
 * -EFAULT / -EPIPE when none went. */
static int64_t fill(pipe_t *p, pipe_caller_t caller, uint64_t offset, uint64_t remaining,
                    bool atomic)
{
    if (atomic && pipe_ring_room(&p->ring) < remaining) {
        return 0;
    }
    uint64_t done = 0;
    while (done < remaining) {
        uint8_t *span;
        size_t n = pipe_ring_write_span(&p->ring, remaining - done, &span);
        if (n == 0) {
            break;
        }
        int err = p->io->copy_in(caller, offset + done, span, n);
        if (err != 0) {
            return done > 0 ? (int64_t)done : err;
        }
        pipe_ring_commit(&p->ring, n);
        done += n;
    }
    return (int64_t)done;
}

/* ---- answering waiters ---- */

/* Answers waiting readers while there is data or no writer; whether any
 * bytes left the ring. */
static bool serve_readers(pipe_t *p)
{
    bool moved = false;
    pipe_waiter_t *w;
    while ((w = queue_head(&p->reading)) != NULL) {
        if (pipe_ring_used(&p->ring) == 0) {
            if (p->writers > 0) {
                break;
            }
            answer_head(p, &p->reading, 0, 0); /* end of file */
            continue;
        }
        int64_t got = deliver(p, w->caller, w->want);
        if (got == -EPIPE) {
            drop_head(p, &p->reading);
            continue;
        }
        moved |= got > 0;
        answer_head(p, &p->reading, got, 0);
    }
    return moved;
}

static int64_t partial_or(uint64_t done, int64_t err)
{
    return done > 0 ? (int64_t)done : err;
}

/* Lets waiting writers go on while there is room; whether any bytes
 * entered the ring. */
static bool serve_writers(pipe_t *p)
{
    bool moved = false;
    pipe_waiter_t *w;
    while ((w = queue_head(&p->writing)) != NULL) {
        if (p->readers == 0) {
            answer_head(p, &p->writing, partial_or(w->done, -EPIPE), PIPE_ANSWER_SIGPIPE);
            continue;
        }
        int64_t put = fill(p, w->caller, w->done, w->want - w->done, w->want <= PIPE_ATOMIC);
        if (put == -EPIPE) {
            drop_head(p, &p->writing);
            continue;
        }
        if (put < 0) {
            answer_head(p, &p->writing, partial_or(w->done, put), 0);
            continue;
        }
        moved |= put > 0;
        w->done += (uint64_t)put;
        if (w->done < w->want) {
            break; /* the ring is full again */
        }
        answer_head(p, &p->writing, (int64_t)w->want, 0);
    }
    return moved;
}

/* Answers whatever can be answered after a change of the pipe. */
static void serve(pipe_t *p)
{
    bool moved;
    do {
        moved = serve_readers(p);
        moved |= serve_writers(p);
    } while (moved);
    p->io->changed();
}

/* ---- requests ---- */

int64_t pipe_read(pipe_t *p, uint64_t want, bool nonblock)
{
    if (want == 0) {
        return 0;
    }
    queue_prune(p, &p->reading, false);
    bool first = p->reading.count == 0; /* readers take turns */
    if (first && pipe_ring_used(&p->ring) > 0) {
        int64_t got = deliver(p, PIPE_CALLER_CURRENT, want);
        if (got > 0) {
            serve(p); /* room for waiting writers */
        }
        return got;
    }
    if (first && p->writers == 0) {
        return 0;
    }
    return nonblock ? -EAGAIN : defer(p, &p->reading, false, want, 0);
}

int64_t pipe_write(pipe_t *p, uint64_t want, bool nonblock)
{
    if (p->readers == 0) {
        return -EPIPE;
    }
    if (want == 0) {
        return 0;
    }
    if (queue_prune(p, &p->writing, true)) {
        serve(p); /* the writer now first may fit where the one gone did not */
    }
    int64_t put = 0;
    if (p->writing.count == 0) { /* nobody is ahead of this write */
        put = fill(p, PIPE_CALLER_CURRENT, 0, want, want <= PIPE_ATOMIC);
        if (put < 0) {
            return put;
        }
        if (put > 0) {
            serve(p);
        }
    }
    uint64_t done = (uint64_t)put;
    if (done == want) {
        return (int64_t)want;
    }
    if (nonblock) {
        return partial_or(done, -EAGAIN);
    }
    int64_t deferred = defer(p, &p->writing, true, want, done);
    return deferred == PIPE_DEFERRED ? deferred : partial_or(done, deferred);
}

/* ---- ends ---- */

void pipe_open_end(pipe_t *p, bool reads, bool writes)
{
    p->readers += reads;
    p->writers += writes;
}

void pipe_close_end(pipe_t *p, bool reads, bool writes)
{
    p->readers -= reads && p->readers > 0;
    p->writers -= writes && p->writers > 0;
    serve(p); /* the last writer: readers get 0; the last reader: writers -EPIPE */
    if (p->readers == 0 && p->writers == 0) {
        pipe_ring_free(&p->ring);
        quota_uncharge(p->quota, PIPE_CHARGE);
        quota_put(p->quota);
        free(p);
        pipes--;
    }
}

size_t pipe_available(const pipe_t *p)
{
    return pipe_ring_used(&p->ring);
}

short pipe_poll(const pipe_t *p, bool reads, bool writes)
{
    short events = 0;
    if (reads) {
        events |= pipe_ring_used(&p->ring) > 0 ? POLLIN | POLLRDNORM : 0;
        events |= p->writers == 0 ? POLLHUP : 0;
    }
    if (writes) {
        events |= pipe_ring_room(&p->ring) > 0 ? POLLOUT | POLLWRNORM : 0;
        events |= p->readers == 0 ? POLLERR : 0;
    }
    return events;
}
