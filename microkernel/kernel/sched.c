/*
 * The scheduler: 256 run queues with a bitmap of non-empty ones; the highest
 * priority runs, equal priorities share the CPU in timeslices. Interrupts
 * are off in the kernel, so this runs to completion on every entry.
 */
#include "kernel/sched.h"

#include "arch/cpu.h"
#include "arch/machine.h"
#include "arch/paging.h"
#include "arch/percpu.h"
#include "kernel/kalloc.h"
#include "kernel/panic.h"
#include "kernel/section.h"
#include "object/vspace.h"
#include "uapi/objects.h"

#define PRIORITY_LEVELS (PRIORITY_MAX + 1)

static struct {
    tcb_t *head[PRIORITY_LEVELS];
    tcb_t *tail[PRIORITY_LEVELS];
} runq;

/* Which levels have a queued thread. Apart from the 4 KiB of queue heads:
 * the fast path reads only this. */
static uint64_t runq_bitmap[PRIORITY_LEVELS / 64] FASTPATH_DATA;

static void runq_insert(tcb_t *t, bool at_head)
{
    unsigned p = t->priority;
    ASSERT(!t->queued);
    t->sched_prev = NULL;
    t->sched_next = NULL;
    if (runq.head[p] == NULL) {
        runq.head[p] = runq.tail[p] = t;
    } else if (at_head) {
        t->sched_next = runq.head[p];
        runq.head[p]->sched_prev = t;
        runq.head[p] = t;
    } else {
        t->sched_prev = runq.tail[p];
        runq.tail[p]->sched_next = t;
        runq.tail[p] = t;
    }
    runq_bitmap[p / 64] |= 1ull << (p % 64);
    t->queued = true;
}

void sched_dequeue(tcb_t *t)
{
    if (!t->queued) {
        return;
    }
    unsigned p = t->priority;
    if (t->sched_prev != NULL) {
        t->sched_prev->sched_next = t->sched_next;
    } else {
        runq.head[p] = t->sched_next;
    }
    if (t->sched_next != NULL) {
        t->sched_next->sched_prev = t->sched_prev;
    } else {
        runq.tail[p] = t->sched_prev;
    }
    if (runq.head[p] == NULL) {
        runq_bitmap[p / 64] &= ~(1ull << (p % 64));
    }
    t->queued = false;
}

void sched_enqueue(tcb_t *t)
{
    runq_insert(t, false);
}

/* The highest priority with a queued thread, or -1. */
static inline int runq_highest(void)
{
    for (int w = PRIORITY_LEVELS / 64 - 1; w >= 0; w--) {
        if (runq_bitmap[w] != 0) {
            return w * 64 + 63 - __builtin_clzll(runq_bitmap[w]);
        }
    }
    return -1;
}

static void wake(tcb_t *t, bool at_head)
{
    cpu_t *cpu = this_cpu();
    /* In the idle loop the current thread is the one that blocked: woken
     * by an interrupt (a timeout, an IRQ) it must be queued to run again. */
    bool running = t == cpu->current && !cpu->idle;
    if (running || t->queued) {
        return;
    }
    runq_insert(t, at_head);
    if (cpu->current == NULL || t->priority > cpu->current->priority) {
        cpu->resched = true;
    }
}

void sched_wake(tcb_t *t)
{
    wake(t, false);
}

void sched_wake_direct(tcb_t *t)
{
    cpu_t *cpu = this_cpu();
    tcb_t *cur = cpu->current;
    bool cur_blocked = cur == NULL || cur->state != TCB_STATE_RUNNABLE;
    if (!cpu->idle && cpu->direct == NULL && cur_blocked && t != cur && !t->queued &&
        (int)t->priority >= runq_highest()) {
        cpu->direct = t;
        cpu->resched = true;
        return;
    }
    /* A thread whose wait ended goes first at its level: it used none of
     * its timeslice while it waited, so a thread of the same priority that
     * never blocks delays it by the rest of one slice at most, not by a
     * slice of every runnable thread (a pipe round trip behind a busy loop
     * took 20 ms instead of 0.1 ms). One that keeps waking is still charged
     * its ticks (sched_tick) and goes behind when its slice runs out. */
    wake(t, true);
}

void sched_promote_direct(tcb_t *t)
{
    cpu_t *cpu = this_cpu();
    if (t->queued && cpu->direct == NULL && cpu->current->state != TCB_STATE_RUNNABLE &&
        runq_highest() == (int)t->priority && runq.head[t->priority] == t) {
        sched_dequeue(t);
        cpu->direct = t;
        cpu->resched = true;
    }
}

void sched_stop(tcb_t *t)
{
    sched_dequeue(t);
    if (this_cpu()->direct == t) {
        this_cpu()->direct = NULL;
    }
    if (t == this_cpu()->current) {
        this_cpu()->resched = true;
    }
}

void sched_yield(void)
{
    cpu_t *cpu = this_cpu();
    cpu->resched = true;
    cpu->yielded = true;
}

void sched_tick(void)
{
    cpu_t *cpu = this_cpu();
    tcb_t *cur = cpu->current;
    if (cur != NULL && cur->timeslice > 0 && --cur->timeslice == 0) {
        cur->timeslice = TIMESLICE_TICKS;
        sched_yield();
    }
}

void sched_set_priority(tcb_t *t, uint8_t priority)
{
    cpu_t *cpu = this_cpu();
    bool queued = t->queued;
    sched_dequeue(t);
    t->priority = priority;
    if (queued) {
        runq_insert(t, false);
    }
    /* Either the current thread may now be outranked, or `t` outranks it. */
    cpu->resched = true;
}

static bool can_run(tcb_t *t)
{
    return t != NULL && t->state == TCB_STATE_RUNNABLE && tcb_vspace(t) != NULL;
}

/* Puts the current thread back in its queue if it should give way. */
static tcb_t *keep_or_requeue(cpu_t *cpu)
{
    tcb_t *cur = cpu->current;
    if (!can_run(cur)) {
        return NULL;
    }
    int best = runq_highest();
    if (cpu->yielded) {
        runq_insert(cur, false);
        return NULL;
    }
    if (best > (int)cur->priority) {
        runq_insert(cur, true); /* preempted: it resumes first at its level */
        return NULL;
    }
    return cur;
}

/* The IPC fast path: the thread woken by IPC runs now if the current
 * thread cannot and nothing outranks it; otherwise it joins its queue. */
static tcb_t *take_direct(cpu_t *cpu)
{
    tcb_t *t = cpu->direct;
    cpu->direct = NULL;
    if (can_run(t) && !can_run(cpu->current) && (int)t->priority >= runq_highest()) {
        return t;
    }
    if (t->state == TCB_STATE_RUNNABLE && !t->queued && t != cpu->current) {
        runq_insert(t, false);
    }
    return NULL;
}

static tcb_t *pick_next(void)
{
    for (;;) {
        int best = runq_highest();
        if (best < 0) {
            return NULL;
        }
        tcb_t *t = runq.head[best];
        sched_dequeue(t);
        if (can_run(t)) {
            return t;
        }
        t->state = TCB_STATE_INACTIVE; /* lost its VSpace: cannot run */
    }
}

void fpu_switch(cpu_t *cpu, tcb_t *next)
{
    fpu_trap(next->no_fpu);
    if (next->no_fpu || cpu->fpu_owner == next) {
        return; /* the FPU keeps its owner's registers */
    }
    if (cpu->fpu_owner != NULL) {
        fpu_save(cpu->fpu_owner->fpu);
    }
    fpu_restore(next->fpu);
    cpu->fpu_owner = next;
}

/* Loads `next`'s address space unless it is loaded already. (The PML4
 * address comes from the TCB, not from the VSpace object, so this touches
 * no page of its own.) */
static void load_vspace(cpu_t *cpu, tcb_t *next)
{
    paddr_t pml4 = tcb_pml4(next);
    if (cpu->loaded_cr3 != pml4) {
        write_cr3(pml4);
        cpu->loaded_cr3 = pml4;
    }
}

/* Loads `next`'s FPU image and segment bases. */
static void switch_to(cpu_t *cpu, tcb_t *next)
{
    fpu_switch(cpu, next);
    /* MSR writes are slow; most threads share a base of 0. */
    if (cpu->loaded_fs_base != next->fs_base) {
        wrmsr(MSR_FS_BASE, next->fs_base);
        cpu->loaded_fs_base = next->fs_base;
    }
    if (cpu->loaded_gs_base != next->gs_base) {
        wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
        cpu->loaded_gs_base = next->gs_base;
    }
}

FASTPATH_TEXT int sched_highest_queued(void)
{
    return runq_highest();
}

FASTPATH_TEXT void sched_switch_direct(trap_frame_t *f, tcb_t *next)
{
    cpu_t *cpu = this_cpu();
    if (next->timeslice == 0) {
        next->timeslice = TIMESLICE_TICKS;
    }
    load_vspace(cpu, next);
    switch_to(cpu, next);
    cpu->current = next;
    *f = next->ctx;
}

void sched_switch(trap_frame_t *f)
{
    cpu_t *cpu = this_cpu();
    tcb_t *next = cpu->current;
    if (cpu->resched || !can_run(next)) {
        next = cpu->direct != NULL ? take_direct(cpu) : NULL;
        if (next == NULL) {
            next = keep_or_requeue(cpu);
        }
        if (next == NULL) {
            cpu->idle = true;
            while ((next = pick_next()) == NULL) {
                machine_idle_wait();
            }
            cpu->idle = false;
        }
        if (next->timeslice == 0) {
            next->timeslice = TIMESLICE_TICKS;
        }
        cpu->resched = false;
        cpu->yielded = false;
    }
    /* On every exit: a thread that gave itself another VSpace (with
     * TCB_Configure) runs in it as soon as the call returns. */
    load_vspace(cpu, next);
    if (next != cpu->current || cpu->dead != NULL) {
        switch_to(cpu, next);
    }
    cpu->current = next;
    *f = next->ctx;
    if (cpu->dead != NULL) {
        kfree(cpu->dead, sizeof(tcb_t));
        cpu->dead = NULL;
    }
}
