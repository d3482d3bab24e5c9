/*
 * Fixed-priority round-robin scheduling, 256 priorities. The running thread
 * is not on a run queue; sched_switch() picks the next one on the way out of
 * the kernel.
 */
#ifndef CAPSULE_KERNEL_SCHED_H
#define CAPSULE_KERNEL_SCHED_H

#include "arch/percpu.h"
#include "object/tcb.h"

#define TIMER_HZ 1000
#define TIMESLICE_TICKS 5

/* Adds a runnable thread to its queue (not the current thread). */
void sched_enqueue(tcb_t *t);
void sched_dequeue(tcb_t *t);

/* `t` became runnable: queue it, and preempt the current thread if `t`
 * has a higher priority. */
void sched_wake(tcb_t *t);

/* Like sched_wake, for a thread woken by IPC: if the current thread just
 * blocked and `t` may run at once, switch straight to it without queueing;
 * else it is queued first at its priority (its wait ended). */
void sched_wake_direct(tcb_t *t);

/* After ReplyRecv: if the current thread blocked and `t` (just woken by the
 * reply) is the best candidate, take it off its queue to run next. */
void sched_promote_direct(tcb_t *t);

/* `t` stops running (suspended, faulted or destroyed). */
void sched_stop(tcb_t *t);

/* The current thread gives up the rest of its timeslice. */
void sched_yield(void);

/* A timer tick while `current` ran in user mode. */
void sched_tick(void);

/* A priority change of `t`. */
void sched_set_priority(tcb_t *t, uint8_t priority);

/* Makes the FPU right for `next`: its registers loaded (saving the previous
 * owner's), or trapping if `next` does not use it. */
void fpu_switch(cpu_t *cpu, tcb_t *next);

/* The highest priority with a queued thread (-1 if none). */
int sched_highest_queued(void);

/* The fast path's switch: the current thread is blocked, `next` (runnable,
 * not queued) runs now; its frame goes into `f`. */
void sched_switch_direct(trap_frame_t *f, tcb_t *next);

/* Chooses the thread to run next and loads its state into `f` (idling with
 * interrupts on until a thread is runnable). */
void sched_switch(trap_frame_t *f);

#endif
