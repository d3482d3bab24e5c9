/* TCB: a thread, its saved user registers, FPU image and scheduling state. */
#ifndef CAPSULE_OBJECT_TCB_H
#define CAPSULE_OBJECT_TCB_H

#include "arch/trap.h"
#include "kernel/object.h"
#include "uapi/message.h"
#include "uapi/registers.h"

struct notification;

/* ipc_flags: what the thread's pending send is. */
#define IPC_CALL 0x1u        /* a Call: it waits for the reply */
#define IPC_GRANT 0x2u       /* its capability had Grant: capabilities may go */
#define IPC_GRANT_REPLY 0x4u /* the reply may carry capabilities */
#define IPC_FAULT 0x8u       /* the message is a fault message the kernel builds */

typedef struct tcb {
    kobject_t obj;
    trap_frame_t ctx; /* user registers while not running */
    _Alignas(16) uint8_t fpu[512];
    uint64_t fs_base, gs_base;

    uint8_t state; /* TCB_STATE_* */
    bool no_fpu;   /* TCB_FLAG_NO_FPU */
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
    /* Taken from the CNode, VSpace and Frame objects when the slots above
     * are filled (tcb_cache_slots), so the fast path and the switch need
     * not touch those objects' own pages; valid while the matching slot is
     * not empty. */
    cte_t *cspace_slots;
    uint64_t cspace_slot_count;
    uint64_t cspace_generation; /* cnode_generation when cached: CNode_Grow moves slots */
    paddr_t pml4;
    ipc_buffer_t *ipc_buffer_kva;

    /* the last fault that stopped the thread */
    uint64_t fault_vector, fault_error, fault_addr;
    cte_t fault_endpoint; /* where faults are sent, as a Call */

    /* IPC (kernel/ipc.c): valid while state is BLOCKED_* */
    kobject_t *blocked_on;           /* endpoint or notification */
    struct tcb *ipc_prev, *ipc_next; /* its wait queue there */
    uint64_t ipc_badge;              /* badge of the capability it sends through */
    unsigned ipc_flags;              /* IPC_* */
    cte_t reply;                     /* the reply capability to its last caller */
    uint8_t desc_count;              /* buffer descriptors its pending Call lends */
    buffer_desc_t descs[MSG_MAX_DESCRIPTORS];
    struct notification *bound; /* delivered to it while it waits in Recv */

    /* the Linux personality: non-negative system calls go to `entry` */
    bool has_personality;
    vaddr_t personality_entry, upcall_entry;
    vaddr_t runtime_lo, runtime_hi; /* the runtime's own code: never diverted */

    /* timeouts (kernel/timeout.c) */
    uint64_t deadline; /* TSC value */
    struct tcb *timeout_prev, *timeout_next;
    bool timeout_armed;

    /* CPU time in timer ticks (kernel/cpu_time.c) */
    uint64_t run_ticks;    /* ticks that found it running */
    uint64_t served_ticks; /* ticks that found a server running its Call */
} tcb_t;

size_t tcb_size(unsigned size_bits);
kerr_t tcb_init(kobject_t *obj, unsigned size_bits);
bool tcb_finalize(kobject_t *obj);

/* The CNode and VSpace the thread runs with, or NULL. */
struct cnode *tcb_cspace(tcb_t *t);
struct vspace *tcb_vspace(tcb_t *t);

/* A user-mode fault of `t`: sent to its fault endpoint as a Call, or, when
 * it has none, `t` is stopped and the fault reported on the kernel log. */
void tcb_fault(tcb_t *t, uint64_t vector, uint64_t error, uint64_t addr);

/* Makes `t` runnable (it must have a VSpace). */
void tcb_resume(tcb_t *t);

/* Refreshes the values cached from the cspace, vspace and ipc_buffer
 * slots; called wherever those slots are filled. */
void tcb_cache_slots(tcb_t *t);

/* The thread's IPC buffer through the direct map, or NULL. */
static inline ipc_buffer_t *tcb_ipc_buffer(const tcb_t *t)
{
    return t->ipc_buffer.cap.obj != NULL ? t->ipc_buffer_kva : NULL;
}

/* The physical address of the PML4 of the thread's VSpace, which it must
 * have. */
static inline paddr_t tcb_pml4(const tcb_t *t)
{
    return t->pml4;
}

/* True while `t` waits in Send, Recv, Call or Wait. */
bool tcb_is_blocked(const tcb_t *t);

/* The thread's saved registers as TCB_ReadRegisters reports them. */
void tcb_regs_from_frame(const tcb_t *t, user_regs_t *r);

/* A non-negative system call of `t`: true if its personality takes it (t's
 * registers now return to the personality entry). */
bool tcb_divert_to_personality(tcb_t *t);

/* Sets `t`'s registers from the user_regs_t in `from`'s message, checked as
 * TCB_WriteRegisters checks them. */
kerr_t tcb_set_registers_from(tcb_t *t, tcb_t *from);

#endif
