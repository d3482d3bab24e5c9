/*
 * One direction of runc's terminal relay (terminal.c): bytes read from one
 * descriptor wait in a ring until the other descriptor takes them, so a
 * slow reader never makes runc drop or block on the other direction. Pure:
 * no system calls, host-tested (tests/unit/test_runc_relay.c).
 */
#ifndef RUNC_RELAY_H
#define RUNC_RELAY_H

#include <stdbool.h>
#include <stddef.h>

#define RELAY_SIZE 4096

typedef struct {
    unsigned char data[RELAY_SIZE];
    size_t head; /* the oldest waiting byte */
    size_t len;  /* bytes waiting */
    bool ended;  /* the source ended: nothing more is read from it */
} relay_t;

void relay_init(relay_t *r);
/* Contiguous room for the next read at *at; 0 when full or ended. */
size_t relay_room(relay_t *r, unsigned char **at);
/* n bytes were read into the room relay_room gave. */
void relay_filled(relay_t *r, size_t n);
/* The oldest waiting bytes, contiguous, at *at; 0 when none wait. */
size_t relay_pending(const relay_t *r, const unsigned char **at);
/* n of the bytes relay_pending gave were written. */
void relay_taken(relay_t *r, size_t n);
/* The source ended. eof_byte >= 0 is queued after what waits (the pty's
 * VEOF: a shell reading the terminal then sees end of file, as it would
 * have seen the end of runc's stdin); room for it is always kept. */
void relay_end(relay_t *r, int eof_byte);
/* Whether to poll the source for input (room and not ended) and the
 * destination for output (bytes waiting). */
bool relay_wants_input(const relay_t *r);
bool relay_wants_output(const relay_t *r);
/* Ended and everything written. */
bool relay_done(const relay_t *r);

#endif
