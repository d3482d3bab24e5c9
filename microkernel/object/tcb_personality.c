/*
 * The personality entry of a TCB: Linux system calls (non-negative numbers)
 * return to user space at the runtime's entry instead of faulting, and
 * TCB_Interrupt diverts a thread to the runtime's upcall entry to deliver
 * a signal. The runtime's own code range is never diverted.
 */
#include "arch/layout.h"
#include "arch/percpu.h"
#include "arch/cpu.h"
#include "kernel/invocation.h"
#include "kernel/ipc.h"
#include "kernel/memory.h"
#include "kernel/sched.h"
#include "object/tcb.h"
#include "uapi/registers.h"
#include "uapi/vm.h"

#define RFLAGS_ENTRY 0x202ull

static bool in_runtime(const tcb_t *t, vaddr_t rip)
{
    return rip >= t->runtime_lo && rip < t->runtime_hi;
}

/* `syscall` left the return address in rcx and the flags in r11, which is
 * exactly what the entry expects: only RIP and RFLAGS change, and the
 * return is by iretq so no register is lost. */
bool tcb_divert_to_personality(tcb_t *t)
{
    if (!t->has_personality || in_runtime(t, t->ctx.rip)) {
        return false;
    }
    t->ctx.rip = t->personality_entry;
    t->ctx.rflags = RFLAGS_ENTRY;
    t->ctx.vector = VEC_FULL_RESTORE;
    return true;
}

kerr_t tcb_decode_set_personality(invocation_t *inv, tcb_t *t)
{
    kerr_t err = inv_need_args(inv, 4);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t entry = inv_arg(inv, 0), upcall = inv_arg(inv, 1);
    uint64_t lo = inv_arg(inv, 2), hi = inv_arg(inv, 3);
    if (entry == 0 && upcall == 0 && lo == 0 && hi == 0) {
        t->has_personality = false; /* all zero: no personality */
        return KERR_OK;
    }
    if (entry >= USER_LIMIT) {
        return inv_fail(inv, 0, KERR_INVALID_ARGUMENT);
    }
    if (upcall >= USER_LIMIT) {
        return inv_fail(inv, 1, KERR_INVALID_ARGUMENT);
    }
    if (lo > hi || hi > USER_LIMIT) {
        return inv_fail(inv, 3, KERR_RANGE);
    }
    t->personality_entry = entry;
    t->upcall_entry = upcall;
    t->runtime_lo = lo;
    t->runtime_hi = hi;
    t->has_personality = true;
    return KERR_OK;
}

static upcall_area_t *upcall_area(tcb_t *t)
{
    ipc_buffer_t *buf = tcb_ipc_buffer(t);
    return buf != NULL ? (upcall_area_t *)((uint8_t *)buf + UPCALL_AREA_OFFSET) : NULL;
}

/* Saves the thread's context in its upcall area and resumes it at the
 * upcall entry; the runtime restores the context when it is done. */
static void divert_to_upcall(tcb_t *t, upcall_area_t *area)
{
    user_regs_t r;
    tcb_regs_from_frame(t, &r);
    _Static_assert(sizeof(area->context) == sizeof(r), "upcall area holds user_regs_t");
    __builtin_memcpy(area->context, &r, sizeof(r));
    area->interrupted = 1;
    t->ctx.rip = t->upcall_entry;
    t->ctx.rflags = RFLAGS_ENTRY;
    t->ctx.vector = VEC_FULL_RESTORE;
}

/* TCB_Interrupt: out of any blocked call (it returns KERR_CANCELLED); then
 * diverted to the upcall entry, or, inside the runtime, told by the pending
 * word, which the runtime checks before it returns to the program. */
kerr_t tcb_decode_interrupt(invocation_t *inv, tcb_t *t)
{
    upcall_area_t *area = upcall_area(t);
    if (!t->has_personality || area == NULL || t == inv->caller) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_ARGUMENT);
    }
    ipc_cancel(t, KERR_CANCELLED);
    area->pending = 1;
    if (!in_runtime(t, t->ctx.rip) && !area->interrupted) {
        divert_to_upcall(t, area);
    }
    return KERR_OK;
}
