/*
 * The IPC fast path: Call to an endpoint where a receiver waits, and
 * ReplyRecv that answers a waiting caller and finds no sender queued, with
 * a short message (registers only, no capabilities, no buffers, no
 * timeout). It does in one straight function what kernel/ipc.c does in
 * general, then switches to the other thread directly. Anything unusual
 * returns false before changing state, and the general path takes over.
 * `nofastpath` on the kernel command line turns it off; the self-test runs
 * both ways.
 */
#include "kernel/fastpath.h"

#include "kernel/cap.h"
#include "kernel/sched.h"
#include "kernel/section.h"
#include "object/cnode.h"
#include "object/endpoint.h"
#include "object/notification.h"

bool fastpath_enabled FASTPATH_DATA; /* set by kernel_main from the command line */

/* The slot `cptr` names in t's CSpace, through what the TCB caches of its
 * CNode: the CNode's header is often on another page than the slot. A cache
 * older than the last CNode_Grow sends the call to the general path, which
 * renews it. */
static inline cte_t *slot_of(tcb_t *t, uint64_t cptr)
{
    if (cte_is_empty(&t->cspace) || cptr >= t->cspace_slot_count ||
        t->cspace_generation != cnode_generation) {
        return NULL;
    }
    return &t->cspace_slots[cptr];
}

/* A short message: registers only, no capabilities or descriptors. */
static inline bool message_is_short(uint64_t info)
{
    return (info & ~(~0ull << MSGINFO_LABEL_SHIFT)) <= MSG_REGISTERS_IN_CPU;
}

/* A timeout asked for in the IPC buffer needs the general path. */
static inline bool wants_timeout(tcb_t *t)
{
    ipc_buffer_t *buf = tcb_ipc_buffer(t);
    return buf != NULL && buf->timeout_ns != 0;
}

static inline void copy_message(tcb_t *from, tcb_t *to, uint64_t badge)
{
    uint64_t info = from->ctx.rsi;
    to->ctx.rdx = from->ctx.rdx;
    to->ctx.r8 = from->ctx.r8;
    to->ctx.r9 = from->ctx.r9;
    to->ctx.r10 = from->ctx.r10;
    to->ctx.rax = KERR_OK;
    to->ctx.rdi = badge;
    to->ctx.rsi = msginfo_make(msginfo_label(info), msginfo_length(info));
}

static inline bool can_take(tcb_t *next)
{
    return next->obj.flags == 0 && next->vspace.cap.obj != NULL &&
           (int)next->priority >= sched_highest_queued();
}

FASTPATH_TEXT bool fastpath_call(tcb_t *t, trap_frame_t *f)
{
    cte_t *slot = slot_of(t, t->ctx.rdi);
    if (slot == NULL || slot->cap.type != OBJ_ENDPOINT || !(slot->cap.rights & RIGHT_WRITE) ||
        !message_is_short(t->ctx.rsi) || wants_timeout(t)) {
        return false;
    }
    endpoint_t *ep = (endpoint_t *)slot->cap.obj;
    if (ep->kind != EP_RECEIVERS) {
        return false;
    }
    tcb_t *r = ep->queue.head;
    if (!cte_is_empty(&r->reply) || r->timeout_armed || !can_take(r)) {
        return false;
    }
    thread_queue_remove(&ep->queue, r);
    if (thread_queue_empty(&ep->queue)) {
        ep->kind = EP_IDLE;
    }
    copy_message(t, r, slot->cap.badge);
    unsigned rights = RIGHT_WRITE;
    if (slot->cap.rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)) {
        rights |= RIGHT_GRANT;
    }
    cte_insert(&r->reply, (cap_t){.obj = &t->obj, .type = OBJ_REPLY, .rights = (uint8_t)rights},
               NULL);
    t->ipc_flags = IPC_CALL;
    t->desc_count = 0;
    t->state = TCB_STATE_BLOCKED_REPLY;
    r->blocked_on = NULL;
    r->state = TCB_STATE_RUNNABLE;
    sched_switch_direct(f, r);
    return true;
}

FASTPATH_TEXT bool fastpath_reply_recv(tcb_t *t, trap_frame_t *f)
{
    cte_t *slot = slot_of(t, t->ctx.rdi);
    if (slot == NULL || slot->cap.type != OBJ_ENDPOINT || !(slot->cap.rights & RIGHT_READ) ||
        !message_is_short(t->ctx.rsi) || cte_is_empty(&t->reply) || wants_timeout(t) ||
        (t->bound != NULL && t->bound->active)) {
        return false;
    }
    endpoint_t *ep = (endpoint_t *)slot->cap.obj;
    tcb_t *caller = (tcb_t *)t->reply.cap.obj;
    if (ep->kind == EP_SENDERS || caller->state != TCB_STATE_BLOCKED_REPLY ||
        (caller->ipc_flags & IPC_FAULT) || caller->timeout_armed || !can_take(caller)) {
        return false;
    }
    copy_message(t, caller, 0);
    caller->ctx.rdi = 0;
    caller->ipc_flags = 0;
    caller->state = TCB_STATE_RUNNABLE;
    cte_clear_answered_reply(&t->reply);
    ep->kind = EP_RECEIVERS;
    thread_queue_append(&ep->queue, t);
    t->ipc_flags = 0;
    t->blocked_on = &ep->obj;
    t->state = TCB_STATE_BLOCKED_RECV;
    sched_switch_direct(f, caller);
    return true;
}
