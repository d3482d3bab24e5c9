#include "relay.h"

void relay_init(relay_t *r)
{
    r->head = 0;
    r->len = 0;
    r->ended = false;
}

/* One byte of room stays free for relay_end's VEOF. */
static size_t usable(const relay_t *r)
{
    return RELAY_SIZE - 1 - r->len;
}

size_t relay_room(relay_t *r, unsigned char **at)
{
    if (r->ended || usable(r) == 0) {
        return 0;
    }
    size_t tail = (r->head + r->len) % RELAY_SIZE;
    size_t to_end = RELAY_SIZE - tail; /* room runs to the end of the array */
    size_t n = to_end < usable(r) ? to_end : usable(r);
    *at = r->data + tail;
    return n;
}

void relay_filled(relay_t *r, size_t n)
{
    r->len += n <= usable(r) ? n : usable(r);
}

size_t relay_pending(const relay_t *r, const unsigned char **at)
{
    size_t to_end = RELAY_SIZE - r->head;
    *at = r->data + r->head;
    return r->len < to_end ? r->len : to_end;
}

void relay_taken(relay_t *r, size_t n)
{
    n = n <= r->len ? n : r->len;
    r->head = (r->head + n) % RELAY_SIZE;
    r->len -= n;
    if (r->len == 0) {
        r->head = 0; /* the next read gets the whole array */
    }
}

void relay_end(relay_t *r, int eof_byte)
{
    if (r->ended) {
        return;
    }
    if (eof_byte >= 0 && r->len < RELAY_SIZE) {
        r->data[(r->head + r->len) % RELAY_SIZE] = (unsigned char)eof_byte;
        r->len++;
    }
    r->ended = true;
}

bool relay_wants_input(const relay_t *r)
{
    return !r->ended && usable(r) > 0;
}

bool relay_wants_output(const relay_t *r)
{
    return r->len > 0;
}

bool relay_done(const relay_t *r)
{
    return r->ended && r->len == 0;
}
