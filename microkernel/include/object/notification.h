/* Notification: a word of bits, signalled without blocking, waited on. */
#ifndef CAPSULE_OBJECT_NOTIFICATION_H
#define CAPSULE_OBJECT_NOTIFICATION_H

#include "kernel/thread_queue.h"

typedef struct notification {
    kobject_t obj;
    uint64_t word;        /* bits signalled and not yet taken */
    bool active;          /* signalled and not yet taken, even with badge 0 (as seL4) */
    thread_queue_t queue; /* threads in Wait */
    tcb_t *bound;         /* the thread it also wakes in Recv, or NULL */
} notification_t;

size_t notification_size(unsigned size_bits);
bool notification_finalize(kobject_t *obj);

/* ORs `bits` in and wakes a waiter (or the bound thread in Recv). */
void notification_signal(notification_t *n, uint64_t bits);

/* Wait (`blocking`) or Poll by `t`. */
void notification_wait(notification_t *n, tcb_t *t, bool blocking);

/* Binds `n` to `t`, or unbinds `t`'s notification when `n` is NULL. */
kerr_t notification_bind(tcb_t *t, notification_t *n);

#endif
