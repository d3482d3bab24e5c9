/*
 * Message passing. The sender's message is in its saved registers and IPC
 * buffer until a receiver takes it; transfer() copies it into the
 * receiver's, with the badge and any capabilities the sender may grant.
 * Nothing here blocks in the kernel: a thread that must wait is marked
 * blocked and the scheduler runs someone else; its call's result is written
 * into its saved registers when it is woken.
 */
#include "kernel/ipc.h"

#include "kernel/cap.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/timeout.h"
#include "object/cnode.h"
#include "object/notification.h"
#include "uapi/fault.h"

static uint64_t mr_get(tcb_t *t, ipc_buffer_t *buf, unsigned i)
{
    switch (i) {
    case 0:
        return t->ctx.rdx;
    case 1:
        return t->ctx.r8;
    case 2:
        return t->ctx.r9;
    case 3:
        return t->ctx.r10;
    default:
        return buf->mr[i];
    }
}

static void mr_set(tcb_t *t, ipc_buffer_t *buf, unsigned i, uint64_t v)
{
    switch (i) {
    case 0:
        t->ctx.rdx = v;
        break;
    case 1:
        t->ctx.r8 = v;
        break;
    case 2:
        t->ctx.r9 = v;
        break;
    case 3:
        t->ctx.r10 = v;
        break;
    default:
        buf->mr[i] = v;
        break;
    }
}

/* Message registers a thread can carry: 4 without an IPC buffer. */
static unsigned mr_capacity(ipc_buffer_t *buf)
{
    return buf != NULL ? MSG_MAX_REGISTERS : MSG_REGISTERS_IN_CPU;
}

/* Moves or copies up to `count` of the sender's capabilities into the
 * receiver's receive slots; stops at the first that cannot be placed. */
static unsigned transfer_caps(tcb_t *from, ipc_buffer_t *fbuf, tcb_t *to, ipc_buffer_t *tbuf,
                              unsigned count)
{
    cnode_t *src_cspace = tcb_cspace(from), *dst_cspace = tcb_cspace(to);
    if (fbuf == NULL || tbuf == NULL || tbuf->recv_slot == 0 || src_cspace == NULL ||
        dst_cspace == NULL) {
        return 0;
    }
    unsigned moved = 0;
    for (; moved < count; moved++) {
        cte_t *src = cnode_slot(src_cspace, fbuf->caps[moved]);
        cte_t *dst = cnode_slot(dst_cspace, tbuf->recv_slot + moved);
        if (src == NULL || cte_is_empty(src) || dst == NULL || !cte_is_empty(dst)) {
            break;
        }
        if (src->cap.type == OBJ_REPLY) {
            cte_move(dst, src); /* one-shot: never copied */
        } else {
            cte_insert(dst, src->cap, src);
        }
    }
    return moved;
}

/* The words of a fault message (uapi/fault.h). */
static unsigned fault_words(tcb_t *t, uint64_t *w)
{
    const trap_frame_t *f = &t->ctx;
    w[0] = t->fault_vector;
    w[1] = t->fault_error;
    w[2] = t->fault_addr;
    w[3] = f->rip;
    w[4] = f->rsp;
    if (t->fault_vector != FAULT_VECTOR_SYSCALL) {
        return FAULT_MSG_WORDS;
    }
    uint64_t regs[] = {f->rax, f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
    for (unsigned i = 0; i < 7; i++) {
        w[FAULT_MSG_WORDS + i] = regs[i];
    }
    return FAULT_MSG_SYSCALL_WORDS;
}

static uint64_t fault_label(uint64_t vector)
{
    switch (vector) {
    case 14:
        return FAULT_PAGE;
    case 13:
        return FAULT_GENERAL_PROTECTION;
    case 6:
        return FAULT_INVALID_OPCODE;
    case 0:
        return FAULT_DIVIDE;
    case FAULT_VECTOR_SYSCALL:
        return FAULT_UNKNOWN_SYSCALL;
    default:
        return FAULT_OTHER;
    }
}

/* A fault message from `from`, built from its fault record. */
static void transfer_fault(tcb_t *from, tcb_t *to, uint64_t badge)
{
    uint64_t w[FAULT_MSG_SYSCALL_WORDS];
    unsigned n = fault_words(from, w);
    ipc_buffer_t *tbuf = tcb_ipc_buffer(to);
    if (n > mr_capacity(tbuf)) {
        n = mr_capacity(tbuf);
    }
    for (unsigned i = 0; i < n; i++) {
        mr_set(to, tbuf, i, w[i]);
    }
    to->ctx.rax = KERR_OK;
    to->ctx.rdi = badge;
    to->ctx.rsi = msginfo_make(fault_label(from->fault_vector), n);
}

/* Copies `from`'s message into `to` and sets `to`'s receive registers. */
static void transfer(tcb_t *from, tcb_t *to, uint64_t badge, bool grant)
{
    if (from->ipc_flags & IPC_FAULT) {
        transfer_fault(from, to, badge);
        return;
    }
    ipc_buffer_t *fbuf = tcb_ipc_buffer(from), *tbuf = tcb_ipc_buffer(to);
    uint64_t info = from->ctx.rsi;
    unsigned length = (unsigned)msginfo_length(info);
    if (length > mr_capacity(fbuf)) {
        length = mr_capacity(fbuf);
    }
    if (length > mr_capacity(tbuf)) {
        length = mr_capacity(tbuf);
    }
    for (unsigned i = 0; i < length; i++) {
        mr_set(to, tbuf, i, mr_get(from, fbuf, i));
    }
    unsigned caps = grant ? transfer_caps(from, fbuf, to, tbuf, (unsigned)msginfo_caps(info)) : 0;
    to->ctx.rax = KERR_OK;
    to->ctx.rdi = badge;
    /* the receiver learns how many buffers a Call lends it, to check requests */
    to->ctx.rsi = msginfo_with(msginfo_make(msginfo_label(info), length), caps, from->desc_count);
}

void ipc_block(tcb_t *t, uint8_t state, kobject_t *on)
{
    t->state = state;
    t->blocked_on = on;
    sched_stop(t);
    timeout_arm_from_buffer(t);
}

void ipc_wake(tcb_t *t, kerr_t result)
{
    timeout_disarm(t);
    t->blocked_on = NULL;
    t->desc_count = 0;
    t->ctx.rax = result;
    t->state = TCB_STATE_RUNNABLE;
    sched_wake_direct(t);
}

/* Gives `receiver` the reply capability to `caller`, which now waits. */
static void setup_reply(tcb_t *caller, tcb_t *receiver)
{
    cte_delete(&receiver->reply);
    cap_t cap = {.obj = &caller->obj, .type = OBJ_REPLY, .rights = RIGHT_WRITE};
    if (caller->ipc_flags & IPC_GRANT_REPLY) {
        cap.rights |= RIGHT_GRANT;
    }
    cte_insert(&receiver->reply, cap, NULL);
    caller->state = TCB_STATE_BLOCKED_REPLY;
    caller->blocked_on = NULL;
}

/* The sender `s` (running or queued) meets the receiver `r`. */
static void rendezvous(tcb_t *s, tcb_t *r, uint64_t badge)
{
    transfer(s, r, badge, (s->ipc_flags & IPC_GRANT) != 0);
    if (s->ipc_flags & IPC_CALL) {
        setup_reply(s, r);
    } else if (tcb_is_blocked(s)) {
        ipc_wake(s, KERR_OK);
    }
}

static unsigned grant_flags(const cte_t *cap)
{
    unsigned flags = 0;
    if (cap->cap.rights & RIGHT_GRANT) {
        flags |= IPC_GRANT;
    }
    if (cap->cap.rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)) {
        flags |= IPC_GRANT_REPLY;
    }
    return flags;
}

void ipc_send(tcb_t *t, const cte_t *cap, bool blocking, unsigned flags)
{
    endpoint_t *ep = (endpoint_t *)cap->cap.obj;
    bool call = (flags & IPC_CALL) != 0;
    t->ipc_flags = flags | grant_flags(cap);
    t->ipc_badge = cap->cap.badge;
    if (ep->kind == EP_RECEIVERS) {
        tcb_t *r = ep->queue.head;
        thread_queue_remove(&ep->queue, r);
        if (thread_queue_empty(&ep->queue)) {
            ep->kind = EP_IDLE;
        }
        rendezvous(t, r, t->ipc_badge);
        if (call) {
            timeout_arm_from_buffer(t);
            sched_stop(t);
        }
        ipc_wake(r, KERR_OK);
        return;
    }
    if (!blocking) {
        return; /* NBSend: dropped when nobody waits, as in seL4 */
    }
    ep->kind = EP_SENDERS;
    thread_queue_append(&ep->queue, t);
    ipc_block(t, TCB_STATE_BLOCKED_SEND, &ep->obj);
}

void ipc_recv(tcb_t *t, const cte_t *cap, bool blocking)
{
    endpoint_t *ep = (endpoint_t *)cap->cap.obj;
    if (t->bound != NULL && t->bound->active) {
        ipc_deliver_notification(t, t->bound->word);
        t->bound->word = 0;
        t->bound->active = false;
        return;
    }
    if (ep->kind == EP_SENDERS) {
        tcb_t *s = ep->queue.head;
        thread_queue_remove(&ep->queue, s);
        if (thread_queue_empty(&ep->queue)) {
            ep->kind = EP_IDLE;
        }
        rendezvous(s, t, s->ipc_badge);
        return;
    }
    if (!blocking) {
        t->ctx.rax = KERR_WOULD_BLOCK;
        return;
    }
    ep->kind = EP_RECEIVERS;
    thread_queue_append(&ep->queue, t);
    t->ipc_flags = 0;
    ipc_block(t, TCB_STATE_BLOCKED_RECV, &ep->obj);
}

void ipc_deliver_notification(tcb_t *t, uint64_t word)
{
    t->ctx.rax = KERR_OK;
    t->ctx.rdi = word;
    t->ctx.rsi = msginfo_make(MSG_LABEL_NOTIFICATION, 0);
}

static void fault_reply(tcb_t *replier, tcb_t *caller)
{
    uint64_t label = msginfo_label(replier->ctx.rsi);
    timeout_disarm(caller);
    caller->ipc_flags = 0;
    if (label == FAULT_REPLY_STOP) {
        caller->state = TCB_STATE_FAULTED;
        return;
    }
    if (label == FAULT_REPLY_SET_REGISTERS && tcb_set_registers_from(caller, replier) != KERR_OK) {
        caller->state = TCB_STATE_FAULTED;
        return;
    }
    caller->state = TCB_STATE_RUNNABLE;
    sched_wake(caller);
}

kerr_t ipc_reply(tcb_t *t, cte_t *slot)
{
    if (cte_is_empty(slot) || slot->cap.type != OBJ_REPLY) {
        return KERR_NO_CALLER;
    }
    tcb_t *caller = (tcb_t *)slot->cap.obj;
    if (caller->state != TCB_STATE_BLOCKED_REPLY) {
        cte_delete(slot);
        return KERR_NO_CALLER;
    }
    if (caller->ipc_flags & IPC_FAULT) {
        fault_reply(t, caller);
    } else {
        transfer(t, caller, 0, (slot->cap.rights & RIGHT_GRANT) != 0);
        caller->ipc_flags = 0;
        ipc_wake(caller, KERR_OK);
    }
    cte_delete(slot); /* after the wake-up: the caller no longer waits */
    return KERR_OK;
}

/* The slot holding the reply capability to `caller`, or NULL. */
static cte_t *reply_cap_of(tcb_t *caller)
{
    for (cte_t *s = caller->obj.slots; s != NULL; s = s->obj_next) {
        if (s->cap.type == OBJ_REPLY) {
            return s;
        }
    }
    return NULL;
}

/* A fault message nobody will answer: the thread was not in a system call,
 * so no error can be returned to it; it stays stopped at the fault, every
 * register as it was (TCB_Resume runs the instruction again). */
static void stop_faulted(tcb_t *t)
{
    timeout_disarm(t);
    t->blocked_on = NULL;
    t->state = TCB_STATE_FAULTED;
    sched_stop(t);
}

void ipc_cancel(tcb_t *t, kerr_t why)
{
    if (!tcb_is_blocked(t)) {
        return;
    }
    uint8_t state = t->state;
    kobject_t *on = t->blocked_on;
    t->state = TCB_STATE_INACTIVE; /* so the reply-cap hook below ignores it */
    if (state == TCB_STATE_BLOCKED_SEND || state == TCB_STATE_BLOCKED_RECV) {
        endpoint_t *ep = (endpoint_t *)on;
        thread_queue_remove(&ep->queue, t);
        if (thread_queue_empty(&ep->queue)) {
            ep->kind = EP_IDLE;
        }
    } else if (state == TCB_STATE_BLOCKED_NOTIFICATION) {
        thread_queue_remove(&((notification_t *)on)->queue, t);
    } else if (state == TCB_STATE_BLOCKED_REPLY) {
        cte_t *reply = reply_cap_of(t);
        if (reply != NULL) {
            cte_delete(reply);
        }
    }
    bool fault = (t->ipc_flags & IPC_FAULT) != 0;
    t->ipc_flags = 0;
    if (fault) {
        stop_faulted(t);
        return;
    }
    ipc_wake(t, why);
}

void reply_cap_deleted(kobject_t *obj)
{
    ipc_reply_cap_deleted((tcb_t *)obj);
}

void ipc_reply_cap_deleted(tcb_t *caller)
{
    if (caller->state == TCB_STATE_BLOCKED_REPLY && !(caller->obj.flags & OBJ_FLAG_DYING)) {
        if (caller->ipc_flags & IPC_FAULT) {
            caller->ipc_flags = 0;
            stop_faulted(caller);
            return;
        }
        caller->ipc_flags = 0;
        ipc_wake(caller, KERR_DELETED);
    }
}

bool ipc_send_fault(tcb_t *t)
{
    cte_t *ep = &t->fault_endpoint;
    if (cte_is_empty(ep)) {
        return false;
    }
    ipc_send(t, ep, true, IPC_CALL | IPC_FAULT);
    return true;
}
