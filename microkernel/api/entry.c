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
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched.h"

#define VEC_EXCEPTION_LAST 31

static void handle_interrupt(uint64_t vector)
{
    if (vector == VEC_TIMER) {
        this_cpu()->ticks++;
        lapic_eoi();
        sched_tick();
    } else if (vector != VEC_SPURIOUS) {
        lapic_eoi();
    }
}

void kernel_entry(trap_frame_t *f)
{
    cpu_t *cpu = this_cpu();
    tcb_t *cur = cpu->current;
    ASSERT(cur != NULL);
    cur->ctx = *f;
    if (f->vector == VEC_SYSCALL) {
        syscall_dispatch(cur);
    } else if (f->vector <= VEC_EXCEPTION_LAST) {
        uint64_t addr = f->vector == VEC_PAGE_FAULT ? read_cr2() : 0;
        tcb_fault(cur, f->vector, f->error, addr);
    } else {
        handle_interrupt(f->vector);
    }
    sched_switch(f);
}

void kernel_trap(trap_frame_t *f)
{
    if (f->vector <= VEC_EXCEPTION_LAST) {
        panic_trap(f);
    }
    if (f->vector == VEC_TIMER) {
        this_cpu()->ticks++; /* idle: nobody's timeslice to count */
    }
    if (f->vector != VEC_SPURIOUS) {
        lapic_eoi();
    }
}
