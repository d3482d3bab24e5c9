/* A FIFO of threads waiting on an endpoint or a notification. */
#ifndef CAPSULE_KERNEL_THREAD_QUEUE_H
#define CAPSULE_KERNEL_THREAD_QUEUE_H

#include "object/tcb.h"

typedef struct {
    tcb_t *head, *tail;
} thread_queue_t;

static inline bool thread_queue_empty(const thread_queue_t *q)
{
    return q->head == NULL;
}

static inline void thread_queue_append(thread_queue_t *q, tcb_t *t)
{
    t->ipc_next = NULL;
    t->ipc_prev = q->tail;
    if (q->tail != NULL) {
        q->tail->ipc_next = t;
    } else {
        q->head = t;
    }
    q->tail = t;
}

static inline void thread_queue_remove(thread_queue_t *q, tcb_t *t)
{
    if (t->ipc_prev != NULL) {
        t->ipc_prev->ipc_next = t->ipc_next;
    } else {
        q->head = t->ipc_next;
    }
    if (t->ipc_next != NULL) {
        t->ipc_next->ipc_prev = t->ipc_prev;
    } else {
        q->tail = t->ipc_prev;
    }
    t->ipc_prev = t->ipc_next = NULL;
}

#endif
