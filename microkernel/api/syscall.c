/*
 * Native system calls. Call on a kernel-object capability is an invocation;
 * the other calls (IPC) arrive with endpoints.
 */
#include "api/syscall.h"

#include "arch/percpu.h"
#include "kernel/invocation.h"
#include "kernel/memory.h"
#include "kernel/sched.h"
#include "object/cnode.h"
#include "object/frame.h"
#include "uapi/syscalls.h"

static ipc_buffer_t *ipc_buffer_of(tcb_t *t)
{
    frame_t *frame = (frame_t *)t->ipc_buffer.cap.obj;
    return frame != NULL ? phys_to_virt(frame->paddr) : NULL;
}

static void set_result(tcb_t *t, kerr_t err, uint64_t reply_length)
{
    t->ctx.rax = err;
    t->ctx.rsi = msginfo_make(0, reply_length);
}

static void do_call(tcb_t *t)
{
    invocation_t inv = {
        .caller = t,
        .label = msginfo_label(t->ctx.rsi),
        .length = msginfo_length(t->ctx.rsi),
        .ipc = ipc_buffer_of(t),
    };
    if (inv.length > MSG_MAX_REGISTERS) {
        inv.length = MSG_MAX_REGISTERS;
    }
    if (inv.ipc == NULL && inv.length > MSG_REGISTERS_IN_CPU) {
        inv.length = MSG_REGISTERS_IN_CPU;
    }
    cnode_t *cspace = tcb_cspace(t);
    inv.slot = cspace != NULL ? cnode_slot(cspace, t->ctx.rdi) : NULL;
    if (inv.slot == NULL || inv.slot->cap.obj == NULL) {
        t->ctx.rdx = KERR_ARG_NONE;
        set_result(t, KERR_INVALID_CAP, 1);
        return;
    }
    kerr_t err = invoke(&inv);
    object_reap();
    if (this_cpu()->dead == t) {
        return; /* the caller destroyed itself */
    }
    if (err != KERR_OK) {
        t->ctx.rdx = inv.bad_arg;
        set_result(t, err, 1);
    } else {
        set_result(t, KERR_OK, inv.reply_length);
    }
}

void syscall_dispatch(tcb_t *t)
{
    int64_t number = (int64_t)t->ctx.rax;
    switch (number) {
    case SYS_CALL:
        do_call(t);
        break;
    case SYS_YIELD:
        sched_yield();
        set_result(t, KERR_OK, 0);
        break;
    default:
        if (number >= 0) {
            /* a Linux call, and this thread has no personality */
            tcb_fault(t, FAULT_UNKNOWN_SYSCALL, (uint64_t)number, 0);
        } else {
            set_result(t, KERR_UNKNOWN_SYSCALL, 0);
        }
        break;
    }
}
