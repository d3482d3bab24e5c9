/*
 * The register frame built at every kernel entry from user mode, on the
 * per-CPU kernel stack. The exit path restores the next thread's copy of it.
 */
#ifndef CAPSULE_ARCH_TRAP_H
#define CAPSULE_ARCH_TRAP_H

#include "kernel/types.h"

/* Vector numbers beyond the IDT's: how the thread entered the kernel. */
#define VEC_SYSCALL 0x100      /* syscall; may return with sysretq */
#define VEC_FULL_RESTORE 0x101 /* registers rewritten: return with iretq */

#define VEC_PAGE_FAULT 14
#define VEC_IRQ_BASE 0x20
#define VEC_TIMER 0x40
#define VEC_SPURIOUS 0xff

typedef struct {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
} trap_frame_t;

_Static_assert(sizeof(trap_frame_t) == 22 * 8, "trap frame layout matches entry.S");

/* Called from entry.S for every entry from user mode; on return `f` holds
 * the frame of the thread to run next. */
void kernel_entry(trap_frame_t *f);

/* Called from entry.S for interrupts and exceptions taken in kernel mode. */
void kernel_trap(trap_frame_t *f);

/* Prints a trap taken in kernel mode with its registers and stops. */
__attribute__((noreturn)) void panic_trap(const trap_frame_t *f);

#endif
