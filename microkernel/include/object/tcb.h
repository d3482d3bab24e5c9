/* TCB: a thread, its saved user registers, FPU image and scheduling state. */
#ifndef CAPSULE_OBJECT_TCB_H
#define CAPSULE_OBJECT_TCB_H

#include "arch/trap.h"
#include "kernel/object.h"

typedef struct tcb {
    kobject_t obj;
    trap_frame_t ctx; /* user registers while not running */
    _Alignas(16) uint8_t fpu[512];
    uint64_t fs_base, gs_base;

    uint8_t state; /* TCB_STATE_* */
    uint8_t priority;
    uint8_t mcp;        /* highest priority this TCB may give (as authority) */
    bool queued;        /* on a run queue */
    unsigned timeslice; /* ticks left */
    struct tcb *sched_prev, *sched_next;

    /* capabilities the thread runs with; copies owned by the TCB */
    cte_t cspace;
    cte_t vspace;
    cte_t ipc_buffer;
    vaddr_t ipc_buffer_vaddr;

    /* the last fault that stopped the thread */
    uint64_t fault_vector, fault_error, fault_addr;
} tcb_t;

size_t tcb_size(unsigned size_bits);
kerr_t tcb_init(kobject_t *obj, unsigned size_bits);
bool tcb_finalize(kobject_t *obj);

/* The CNode and VSpace the thread runs with, or NULL. */
struct cnode *tcb_cspace(tcb_t *t);
struct vspace *tcb_vspace(tcb_t *t);

/* Stops `t` after a user-mode fault and reports it on the kernel log. */
void tcb_fault(tcb_t *t, uint64_t vector, uint64_t error, uint64_t addr);

/* Makes `t` runnable (it must have a VSpace). */
void tcb_resume(tcb_t *t);

#endif
