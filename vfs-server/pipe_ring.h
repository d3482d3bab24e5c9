/*
 * The byte ring of a pipe: PIPE_RING_SIZE bytes (Linux's default pipe
 * capacity). Bytes move straight between a caller's buffer and the ring by
 * bulk copy, so the ring hands out contiguous spans and is told afterwards
 * how much of a span was used; nothing is consumed or added before the copy
 * succeeded.
 */
#ifndef VFS_PIPE_RING_H
#define VFS_PIPE_RING_H

#include <stddef.h>
#include <stdint.h>

#define PIPE_RING_SIZE 65536u

typedef struct {
    uint8_t *bytes; /* PIPE_RING_SIZE of them */
    size_t head;    /* the oldest byte */
    size_t used;
} pipe_ring_t;

/* 0, or -ENOMEM. */
int pipe_ring_init(pipe_ring_t *r);
void pipe_ring_free(pipe_ring_t *r);

size_t pipe_ring_used(const pipe_ring_t *r);
size_t pipe_ring_room(const pipe_ring_t *r);

/* The oldest bytes that lie contiguous, at most `max`: their address in
 * *span and their count (0 when empty). pipe_ring_consume(n) drops them. */
size_t pipe_ring_read_span(const pipe_ring_t *r, size_t max, const uint8_t **span);
void pipe_ring_consume(pipe_ring_t *r, size_t n);

/* The free room that lies contiguous after the newest byte, at most `max`;
 * pipe_ring_commit(n) adds the n bytes written there. */
size_t pipe_ring_write_span(pipe_ring_t *r, size_t max, uint8_t **span);
void pipe_ring_commit(pipe_ring_t *r, size_t n);

#endif
