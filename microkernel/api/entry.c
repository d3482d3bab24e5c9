/*
 * The C side of every kernel entry. From user mode: save the thread's
 * registers, handle the event, let the scheduler choose who runs next.
 * In kernel mode only the idle loop takes interrupts; anything else is a bug.
 */
#include "arch/cpu.h"
#include "arch/machine.h"
#include "arch/percpu.h"
#include "arch/trap.h"
#include "api/syscall.h"
#include "kernel/cpu_time.h"
#include "kernel/fastpath.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/section.h"
#include "kernel/timeout.h"
#include "object/device.h"
#include "uapi/syscalls.h"

#define VEC_EXCEPTION_LAST 31

/* A legacy IRQ: masked until its driver acknowledges it. */
static void handle_irq(unsigned irq)
{
    pic_mask(irq, true);
    pic_eoi(irq);
    irq_deliver(irq);
}

/* Interrupts. The timer's tick only counts against a thread's timeslice
 * when it interrupted user mode (not the idle loop). */
static void handle_interrupt(uint64_t vector, bool from_user)
{
    if (vector >= VEC_IRQ_BASE && vector < VEC_IRQ_BASE + IRQ_LINES) {
        handle_irq((unsigned)(vector - VEC_IRQ_BASE));
    } else if (vector == VEC_TIMER) {
        this_cpu()->ticks++;
        lapic_eoi();
        cpu_time_tick(from_user);
        timeout_expire(rdtsc());
        if (from_user) {
            sched_tick();
        }
    } else if (vector != VEC_SPURIOUS) {
        lapic_eoi();
    }
}

static bool try_fastpath(tcb_t *t, trap_frame_t *f)
{
    int64_t number = (int64_t)f->rax;
    if (number == SYS_CALL) {
        return fastpath_call(t, f);
    }
    if (number == SYS_REPLY_RECV) {
        return fastpath_reply_recv(t, f);
    }
    return false;
}

FASTPATH_TEXT void kernel_entry(trap_frame_t *f)
{
    cpu_t *cpu = this_cpu();
    tcb_t *cur = cpu->current;
    ASSERT(cur != NULL);
    cur->ctx = *f;
    if (f->vector == VEC_SYSCALL && fastpath_enabled && try_fastpath(cur, f)) {
        return;
    }
    if (f->vector == VEC_SYSCALL) {
        syscall_dispatch(cur);
    } else if (f->vector <= VEC_EXCEPTION_LAST) {
        uint64_t addr = f->vector == VEC_PAGE_FAULT ? read_cr2() : 0;
        tcb_fault(cur, f->vector, f->error, addr);
    } else {
        handle_interrupt(f->vector, true);
    }
    sched_switch(f);
}

void kernel_trap(trap_frame_t *f)
{
    if (f->vector <= VEC_EXCEPTION_LAST) {
        panic_trap(f);
    }
    handle_interrupt(f->vector, false);
}
