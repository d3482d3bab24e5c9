/*
 * Native system calls: IPC on endpoints and notifications, replies, and
 * invocations of every other kernel object through Call.
 */
#include "api/syscall.h"

#include "arch/percpu.h"
#include "kernel/cap.h"
#include "kernel/invocation.h"
#include "kernel/ipc.h"
#include "kernel/sched.h"
#include "object/cnode.h"
#include "object/notification.h"
#include "uapi/syscalls.h"
#include "uapi/vm.h"

static void set_result(tcb_t *t, kerr_t err, uint64_t reply_length)
{
    t->ctx.rax = err;
    t->ctx.rsi = msginfo_make(0, reply_length);
}

static void fail(tcb_t *t, kerr_t err, uint64_t bad_arg)
{
    t->ctx.rdx = bad_arg;
    set_result(t, err, 1);
}

/* The capability rdi names; NULL (with the error set) if none. */
static cte_t *lookup(tcb_t *t)
{
    if (t->cspace_generation != cnode_generation) {
        tcb_cache_slots(t); /* a CNode grew: the fast path's cache is stale */
    }
    cnode_t *cspace = tcb_cspace(t);
    cte_t *slot = cspace != NULL ? cnode_slot(cspace, t->ctx.rdi) : NULL;
    if (t->ctx.rdi == CAP_REPLY_CURRENT) {
        /* An empty reply slot is a call already answered, cancelled or
         * gone: say so, as Reply does, rather than "no capability". */
        if (cte_is_empty(&t->reply)) {
            fail(t, KERR_NO_CALLER, KERR_ARG_NONE);
            return NULL;
        }
        slot = &t->reply;
    }
    if (slot == NULL || cte_is_empty(slot)) {
        fail(t, KERR_INVALID_CAP, KERR_ARG_NONE);
        return NULL;
    }
    return slot;
}

static bool has_rights(tcb_t *t, const cte_t *slot, unsigned rights)
{
    if ((slot->cap.rights & rights) != rights) {
        fail(t, KERR_NO_RIGHTS, KERR_ARG_NONE);
        return false;
    }
    return true;
}

static void do_invoke(tcb_t *t, cte_t *slot)
{
    invocation_t inv = {
        .caller = t,
        .slot = slot,
        .label = msginfo_label(t->ctx.rsi),
        .length = msginfo_length(t->ctx.rsi),
        .ipc = tcb_ipc_buffer(t),
    };
    if (inv.length > MSG_MAX_REGISTERS) {
        inv.length = MSG_MAX_REGISTERS;
    }
    if (inv.ipc == NULL && inv.length > MSG_REGISTERS_IN_CPU) {
        inv.length = MSG_REGISTERS_IN_CPU;
    }
    kerr_t err = invoke(&inv);
    object_reap();
    if (this_cpu()->dead == t) {
        return; /* the caller destroyed itself */
    }
    if (err != KERR_OK) {
        fail(t, err, inv.bad_arg);
    } else {
        set_result(t, KERR_OK, inv.reply_length);
    }
}

/* Records the buffers a Call lends its server; false if one is invalid. */
static bool take_descriptors(tcb_t *t)
{
    unsigned count = (unsigned)msginfo_descriptors(t->ctx.rsi);
    ipc_buffer_t *buf = tcb_ipc_buffer(t);
    t->desc_count = 0;
    if (count == 0) {
        return true;
    }
    if (count > MSG_MAX_DESCRIPTORS || buf == NULL) {
        fail(t, KERR_INVALID_ARGUMENT, KERR_ARG_NONE);
        return false;
    }
    for (unsigned i = 0; i < count; i++) {
        buffer_desc_t d = buf->descriptors[i];
        if (d.addr >= USER_LIMIT || d.length > USER_LIMIT - d.addr ||
            (d.flags & ~(DESC_READ | DESC_WRITE)) != 0) {
            fail(t, KERR_INVALID_ARGUMENT, KERR_ARG_NONE);
            return false;
        }
        t->descs[i] = d;
    }
    t->desc_count = (uint8_t)count;
    return true;
}

static void do_call(tcb_t *t)
{
    cte_t *slot = lookup(t);
    if (slot == NULL) {
        return;
    }
    if (slot->cap.type != OBJ_ENDPOINT) {
        do_invoke(t, slot);
        return;
    }
    if (has_rights(t, slot, RIGHT_WRITE) && take_descriptors(t)) {
        t->ctx.rax = KERR_OK;
        ipc_send(t, slot, true, IPC_CALL);
    }
}

static void do_send(tcb_t *t, bool blocking)
{
    cte_t *slot = lookup(t);
    if (slot == NULL) {
        return;
    }
    switch (slot->cap.type) {
    case OBJ_ENDPOINT:
        if (has_rights(t, slot, RIGHT_WRITE)) {
            t->ctx.rax = KERR_OK;
            ipc_send(t, slot, blocking, 0);
        }
        break;
    case OBJ_NOTIFICATION:
        if (has_rights(t, slot, RIGHT_WRITE)) {
            t->ctx.rax = KERR_OK;
            notification_signal((notification_t *)slot->cap.obj, slot->cap.badge);
        }
        break;
    case OBJ_REPLY:
        t->ctx.rax = ipc_reply(t, slot);
        break;
    default:
        fail(t, KERR_WRONG_TYPE, KERR_ARG_NONE);
        break;
    }
}

static void do_recv(tcb_t *t, bool blocking)
{
    cte_t *slot = lookup(t);
    if (slot == NULL || !has_rights(t, slot, RIGHT_READ)) {
        return;
    }
    switch (slot->cap.type) {
    case OBJ_ENDPOINT:
        ipc_recv(t, slot, blocking);
        break;
    case OBJ_NOTIFICATION:
        t->ctx.rax = KERR_OK;
        notification_wait((notification_t *)slot->cap.obj, t, blocking);
        break;
    default:
        fail(t, KERR_WRONG_TYPE, KERR_ARG_NONE);
        break;
    }
}

/* Answers the pending call (if any) and waits for the next message. */
static void do_reply_recv(tcb_t *t)
{
    tcb_t *caller = cte_is_empty(&t->reply) ? NULL : (tcb_t *)t->reply.cap.obj;
    if (caller != NULL) {
        ipc_reply(t, &t->reply);
    }
    do_recv(t, true);
    if (caller != NULL) {
        sched_promote_direct(caller);
    }
}

/* A Linux system call goes to the thread's personality, or is a fault. */
static void do_linux_syscall(tcb_t *t, uint64_t number)
{
    if (!tcb_divert_to_personality(t)) {
        tcb_fault(t, FAULT_VECTOR_SYSCALL, number, 0);
    }
}

void syscall_dispatch(tcb_t *t)
{
    int64_t number = (int64_t)t->ctx.rax;
    switch (number) {
    case SYS_CALL:
        do_call(t);
        break;
    case SYS_SEND:
    case SYS_NBSEND:
        do_send(t, number == SYS_SEND);
        break;
    case SYS_RECV:
    case SYS_NBRECV:
        do_recv(t, number == SYS_RECV);
        break;
    case SYS_REPLY:
        t->ctx.rax = ipc_reply(t, &t->reply);
        break;
    case SYS_REPLY_RECV:
        do_reply_recv(t);
        break;
    case SYS_YIELD:
        sched_yield();
        set_result(t, KERR_OK, 0);
        break;
    default:
        if (number < 0) {
            set_result(t, KERR_UNKNOWN_SYSCALL, 0);
        } else {
            do_linux_syscall(t, (uint64_t)number);
        }
        break;
    }
    object_reap(); /* replies and cancels may have deleted the last name of a thread */
}
