#include "pipe_ring.h"

#include <errno.h>
#include <stdlib.h>

int pipe_ring_init(pipe_ring_t *r)
{
    r->bytes = malloc(PIPE_RING_SIZE);
    r->head = 0;
    r->used = 0;
    return r->bytes != NULL ? 0 : -ENOMEM;
}

void pipe_ring_free(pipe_ring_t *r)
{
    free(r->bytes);
    r->bytes = NULL;
    r->used = 0;
}

size_t pipe_ring_used(const pipe_ring_t *r)
{
    return r->used;
}

size_t pipe_ring_room(const pipe_ring_t *r)
{
    return PIPE_RING_SIZE - r->used;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

size_t pipe_ring_read_span(const pipe_ring_t *r, size_t max, const uint8_t **span)
{
    *span = r->bytes + r->head;
    return min_size(min_size(r->used, PIPE_RING_SIZE - r->head), max);
}

void pipe_ring_consume(pipe_ring_t *r, size_t n)
{
    n = min_size(n, r->used);
    r->head = (r->head + n) % PIPE_RING_SIZE;
    r->used -= n;
    if (r->used == 0) {
        r->head = 0; /* keeps the next spans as long as they can be */
    }
}

size_t pipe_ring_write_span(pipe_ring_t *r, size_t max, uint8_t **span)
{
    size_t tail = (r->head + r->used) % PIPE_RING_SIZE;
    *span = r->bytes + tail;
    size_t contiguous =
        tail >= r->head && r->used < PIPE_RING_SIZE ? PIPE_RING_SIZE - tail : r->head - tail;
    return min_size(min_size(contiguous, pipe_ring_room(r)), max);
}

void pipe_ring_commit(pipe_ring_t *r, size_t n)
{
    r->used += min_size(n, pipe_ring_room(r));
}
