/*
 * Notifications: Signal ORs bits into the word and never blocks; Wait takes
 * the whole word, blocking while it is zero; Poll takes it without blocking.
 * A notification bound to a thread also ends that thread's Recv on an
 * endpoint, so a server can wait for requests and signals at once.
 */
#include "object/notification.h"

#include "kernel/ipc.h"
#include "kernel/sched.h"

size_t notification_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(notification_t);
}

bool notification_finalize(kobject_t *obj)
{
    notification_t *n = (notification_t *)obj;
    while (!thread_queue_empty(&n->queue)) {
        ipc_cancel(n->queue.head, KERR_DELETED);
    }
    if (n->bound != NULL) {
        n->bound->bound = NULL;
    }
    return true;
}

/* Hands the word to `t` and clears it. */
static void take(notification_t *n, tcb_t *t)
{
    ipc_deliver_notification(t, n->word);
    n->word = 0;
    n->active = false;
}

void notification_signal(notification_t *n, uint64_t bits)
{
    n->word |= bits;
    n->active = true;
    if (!thread_queue_empty(&n->queue)) {
        tcb_t *t = n->queue.head;
        thread_queue_remove(&n->queue, t);
        ipc_wake(t, KERR_OK);
        take(n, t);
        return;
    }
    tcb_t *b = n->bound;
    if (b != NULL && b->state == TCB_STATE_BLOCKED_RECV) {
        ipc_cancel(b, KERR_OK);
        take(n, b);
    }
}

void notification_wait(notification_t *n, tcb_t *t, bool blocking)
{
    if (n->active || !blocking) {
        take(n, t);
        return;
    }
    thread_queue_append(&n->queue, t);
    t->ipc_flags = 0;
    ipc_block(t, TCB_STATE_BLOCKED_NOTIFICATION, &n->obj);
}

kerr_t notification_bind(tcb_t *t, notification_t *n)
{
    if (n == NULL) {
        if (t->bound != NULL) {
            t->bound->bound = NULL;
            t->bound = NULL;
        }
        return KERR_OK;
    }
    if (t->bound != NULL || n->bound != NULL) {
        return KERR_INVALID_ARGUMENT;
    }
    n->bound = t;
    t->bound = n;
    return KERR_OK;
}
