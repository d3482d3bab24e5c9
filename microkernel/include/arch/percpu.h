/*
 * Per-CPU state, reached through the kernel GS base. entry.S uses the first
 * fields by offset; there is one instance until SMP arrives.
 */
#ifndef CAPSULE_ARCH_PERCPU_H
#define CAPSULE_ARCH_PERCPU_H

#define CPU_OFF_SELF 0
#define CPU_OFF_KSTACK_TOP 8
#define CPU_OFF_USER_RSP 16

#ifndef __ASSEMBLER__
#include "kernel/types.h"

struct tcb;

typedef struct cpu {
    struct cpu *self;
    uint64_t kstack_top;
    uint64_t user_rsp;     /* scratch for syscall entry */
    struct tcb *current;   /* the thread whose frame is on the kernel stack */
    struct tcb *fpu_owner; /* whose registers are in the FPU */
    struct tcb *dead;      /* destroyed while current: freed after the switch */
    struct tcb *direct;    /* woken by IPC: runs next without a queue pass */
    paddr_t loaded_cr3;
    uint64_t loaded_fs_base, loaded_gs_base; /* what the MSRs hold for user mode */
    uint64_t ticks;
    bool idle; /* in the idle loop: wake-ups go through the run queues */
    bool resched;
    bool yielded;   /* current gave up the rest of its timeslice */
    bool preempted; /* current lost the CPU to a higher priority */
} cpu_t;

_Static_assert(__builtin_offsetof(cpu_t, kstack_top) == CPU_OFF_KSTACK_TOP, "entry.S offset");
_Static_assert(__builtin_offsetof(cpu_t, user_rsp) == CPU_OFF_USER_RSP, "entry.S offset");

static inline cpu_t *this_cpu(void)
{
    cpu_t *c;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
    return c;
}

void cpu_init(void);

#endif
#endif
