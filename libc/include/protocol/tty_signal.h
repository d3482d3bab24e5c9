/*
 * The terminal-signal ring: how console-server tells proc-server that ^C,
 * ^\ or ^Z (or a tty ioctl) signals a process group. console-server may
 * not Call proc-server (servers Call only rightwards, ARCHITECTURE.md §5),
 * so what flows left goes through this page, shared read-write, and a
 * Signal on a notification bound to proc-server's thread.
 *
 * One producer (console-server) advances `head`, one consumer (proc-server)
 * advances `tail`; both count entries, and the slot of entry n is
 * n % TTY_SIGNAL_SLOTS. A full ring drops the new entry and counts it in
 * `lost`. proc-server trusts nothing here: it checks every entry.
 */
#ifndef CAPSULE_PROTOCOL_TTY_SIGNAL_H
#define CAPSULE_PROTOCOL_TTY_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#define TTY_SIGNAL_RING_VADDR 0x410000000000ull /* in both servers */
#define TTY_SIGNAL_SLOTS 64

typedef struct {
    int32_t pgrp;   /* the process group, by its global PID */
    int32_t signal; /* SIGINT, SIGQUIT, SIGTSTP, SIGTTOU, SIGTTIN, SIGHUP, SIGCONT, SIGWINCH */
} tty_signal_entry_t;

typedef struct {
    uint32_t head; /* entries produced: console-server's */
    uint32_t tail; /* entries consumed: proc-server's */
    uint32_t lost; /* entries dropped on a full ring: console-server's */
    uint32_t reserved;
    tty_signal_entry_t slots[TTY_SIGNAL_SLOTS];
} tty_signal_ring_t;

/* console-server's side: false (and `lost` counted) when the ring is full. */
static inline bool tty_signal_push(volatile tty_signal_ring_t *r, tty_signal_entry_t s)
{
    uint32_t head = r->head;
    uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
    if (head - tail >= TTY_SIGNAL_SLOTS) {
        r->lost++;
        return false;
    }
    r->slots[head % TTY_SIGNAL_SLOTS] = s;
    __atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE); /* the entry before the count */
    return true;
}

/* proc-server's side: the oldest entry, or false when there is none. A
 * head that claims more than a full ring is not believed: the ring is
 * emptied. */
static inline bool tty_signal_pop(volatile tty_signal_ring_t *r, tty_signal_entry_t *out)
{
    uint32_t tail = r->tail;
    uint32_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
    if (head == tail) {
        return false;
    }
    if (head - tail > TTY_SIGNAL_SLOTS) {
        __atomic_store_n(&r->tail, head, __ATOMIC_RELEASE);
        return false;
    }
    *out = r->slots[tail % TTY_SIGNAL_SLOTS];
    __atomic_store_n(&r->tail, tail + 1, __ATOMIC_RELEASE); /* the copy before the slot is free */
    return true;
}

#endif
