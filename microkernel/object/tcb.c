/*
 * TCBs: threads. A TCB owns copies of the capabilities it runs with (CSpace,
 * VSpace, IPC buffer); its user registers and FPU image are saved here while
 * it is not running. Every register value user space hands in is checked or
 * sanitised here, before it can reach a return to user mode.
 */
#include "object/tcb.h"

#include "arch/cpu.h"
#include "arch/layout.h"
#include "arch/machine.h"
#include "arch/percpu.h"
#include "kernel/cap.h"
#include "kernel/cpu_time.h"
#include "kernel/invocation.h"
#include "kernel/ipc.h"
#include "kernel/log.h"
#include "kernel/memory.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/timeout.h"
#include "object/cnode.h"
#include "object/endpoint.h"
#include "object/frame.h"
#include "object/notification.h"
#include "object/vspace.h"
#include "uapi/registers.h"
#include "uapi/vm.h"

/* FS and GS bases must stay in the lower canonical half. */
#define BASE_LIMIT 0x800000000000ull
#define MXCSR_OFFSET 24
#define MXCSR_VALID 0xffffu

size_t tcb_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(tcb_t);
}

kerr_t tcb_init(kobject_t *obj, unsigned size_bits)
{
    (void)size_bits;
    tcb_t *t = (tcb_t *)obj;
    t->ctx.cs = SEL_USER_CS;
    t->ctx.ss = SEL_USER_DS;
    t->ctx.rflags = RFLAGS_IF;
    t->ctx.vector = VEC_FULL_RESTORE;
    fpu_init_state(t->fpu);
    t->state = TCB_STATE_INACTIVE;
    return KERR_OK;
}

bool tcb_finalize(kobject_t *obj)
{
    tcb_t *t = (tcb_t *)obj;
    cpu_t *cpu = this_cpu();
    ipc_cancel(t, KERR_DELETED);
    notification_bind(t, NULL);
    cte_delete(&t->reply);
    cte_delete(&t->fault_endpoint);
    t->state = TCB_STATE_INACTIVE;
    sched_stop(t);
    cte_delete(&t->cspace);
    cte_delete(&t->vspace);
    cte_delete(&t->ipc_buffer);
    if (cpu->fpu_owner == t) {
        cpu->fpu_owner = NULL;
    }
    if (cpu->current == t) {
        cpu->dead = t; /* its frame is still in use: freed after the switch */
        return false;
    }
    return true;
}

struct cnode *tcb_cspace(tcb_t *t)
{
    return (struct cnode *)t->cspace.cap.obj;
}

struct vspace *tcb_vspace(tcb_t *t)
{
    return (struct vspace *)t->vspace.cap.obj;
}

void tcb_fault(tcb_t *t, uint64_t vector, uint64_t error, uint64_t addr)
{
    t->fault_vector = vector;
    t->fault_error = error;
    t->fault_addr = addr;
    if (ipc_send_fault(t)) {
        return; /* its handler decides */
    }
    kprintf("fault: thread %p stopped: vector %lu error 0x%lx address %p rip %p\n", (void *)t,
            vector, error, (void *)addr, (void *)t->ctx.rip);
    t->state = TCB_STATE_FAULTED;
    sched_stop(t);
}

void tcb_resume(tcb_t *t)
{
    if (t->state == TCB_STATE_RUNNABLE) {
        return;
    }
    t->state = TCB_STATE_RUNNABLE;
    sched_wake(t);
}

void tcb_cache_slots(tcb_t *t)
{
    cnode_t *cs = tcb_cspace(t);
    t->cspace_slots = cs != NULL ? cs->slots : NULL;
    t->cspace_slot_count = cs != NULL ? cnode_slot_count(cs) : 0;
    t->cspace_generation = cnode_generation;
    vspace_t *vs = tcb_vspace(t);
    frame_t *frame = (frame_t *)t->ipc_buffer.cap.obj;
    t->pml4 = vs != NULL ? vs->pml4 : 0;
    t->ipc_buffer_kva = frame != NULL ? phys_to_virt(frame->paddr) : NULL;
}

bool tcb_is_blocked(const tcb_t *t)
{
    return t->state >= TCB_STATE_BLOCKED_SEND && t->state <= TCB_STATE_BLOCKED_NOTIFICATION;
}

/* Replaces the capability in the TCB's own slot with a copy of `src`. */
static void set_slot(cte_t *own, cte_t *src)
{
    cte_delete(own);
    if (src != NULL) {
        cte_insert(own, src->cap, src);
    }
}

/* Argument `arg` names a capability of `type`, or is 0 for none. */
static kerr_t optional_cap(invocation_t *inv, unsigned arg, obj_type_t type, unsigned rights,
                           cte_t **out)
{
    *out = NULL;
    if (inv_arg(inv, arg) == 0) {
        return KERR_OK;
    }
    return inv_lookup_arg(inv, arg, type, rights, out);
}

static kerr_t decode_configure(invocation_t *inv, tcb_t *t)
{
    kerr_t err = inv_need_args(inv, 4);
    if (err != KERR_OK) {
        return err;
    }
    vaddr_t ipc_vaddr = inv_arg(inv, 3);
    cte_t *cspace, *vspace, *ipc;
    if ((err = optional_cap(inv, 0, OBJ_CNODE, 0, &cspace)) != KERR_OK ||
        (err = optional_cap(inv, 1, OBJ_VSPACE, 0, &vspace)) != KERR_OK ||
        (err = optional_cap(inv, 2, OBJ_FRAME, RIGHT_READ | RIGHT_WRITE, &ipc)) != KERR_OK) {
        return err;
    }
    if (!IS_ALIGNED(ipc_vaddr, FRAME_SIZE)) {
        return inv_fail(inv, 3, KERR_ALIGNMENT);
    }
    if (ipc_vaddr >= USER_MAP_LIMIT) {
        return inv_fail(inv, 3, KERR_RANGE);
    }
    ipc_cancel(t, KERR_CANCELLED);
    set_slot(&t->cspace, cspace);
    set_slot(&t->vspace, vspace);
    set_slot(&t->ipc_buffer, ipc);
    tcb_cache_slots(t);
    t->ipc_buffer_vaddr = ipc != NULL ? ipc_vaddr : 0;
    if (vspace == NULL && t->state == TCB_STATE_RUNNABLE) {
        t->state = TCB_STATE_INACTIVE;
        sched_stop(t);
    }
    return KERR_OK;
}

static kerr_t decode_resume(invocation_t *inv, tcb_t *t)
{
    if (tcb_vspace(t) == NULL) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_ARGUMENT);
    }
    tcb_resume(t);
    return KERR_OK;
}

static kerr_t decode_suspend(tcb_t *t)
{
    ipc_cancel(t, KERR_CANCELLED);
    t->state = TCB_STATE_INACTIVE;
    sched_stop(t);
    return KERR_OK;
}

/* TCB_SetPriority and TCB_SetMCP: the authority's MCP bounds the value. */
static kerr_t decode_priority(invocation_t *inv, tcb_t *t, bool mcp)
{
    kerr_t err = inv_need_args(inv, 2);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t value = inv_arg(inv, 1);
    cte_t *authority;
    if ((err = inv_lookup_arg(inv, 0, OBJ_TCB, 0, &authority)) != KERR_OK) {
        return err;
    }
    if (value > PRIORITY_MAX || value > ((tcb_t *)authority->cap.obj)->mcp) {
        return inv_fail(inv, 1, KERR_RANGE);
    }
    if (mcp) {
        t->mcp = (uint8_t)value;
    } else {
        sched_set_priority(t, (uint8_t)value);
    }
    return KERR_OK;
}

void tcb_regs_from_frame(const tcb_t *t, user_regs_t *r)
{
    const trap_frame_t *f = &t->ctx;
    *r = (user_regs_t){f->rip, f->rsp, f->rflags, f->rax, f->rbx,     f->rcx,    f->rdx,
                       f->rsi, f->rdi, f->rbp,    f->r8,  f->r9,      f->r10,    f->r11,
                       f->r12, f->r13, f->r14,    f->r15, t->fs_base, t->gs_base};
}

static kerr_t decode_read_registers(invocation_t *inv, tcb_t *t)
{
    if (t == inv->caller) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_ARGUMENT);
    }
    if (this_cpu()->fpu_owner == t) {
        fpu_save(t->fpu);
    }
    user_regs_t r;
    tcb_regs_from_frame(t, &r);
    uint64_t words[REGS_READ_WORDS] = {t->state, t->fault_vector, t->fault_error, t->fault_addr};
    memcpy(&words[REGS_READ_HEADER_WORDS], &r, sizeof(r));
    memcpy(&words[REGS_READ_HEADER_WORDS + REGS_WORDS], t->fpu, FPU_IMAGE_BYTES);
    for (unsigned i = 0; i < REGS_READ_WORDS; i++) {
        inv_reply(inv, i, words[i]);
    }
    return KERR_OK;
}

/* Checks the values nobody may set: RIP and the segment bases. */
static kerr_t check_registers(invocation_t *inv, const user_regs_t *r)
{
    unsigned first = 1; /* argument index of the first register word */
    if (r->rip >= USER_LIMIT) {
        return inv_fail(inv, first + offsetof(user_regs_t, rip) / 8, KERR_INVALID_ARGUMENT);
    }
    if (r->fs_base >= BASE_LIMIT) {
        return inv_fail(inv, first + offsetof(user_regs_t, fs_base) / 8, KERR_INVALID_ARGUMENT);
    }
    if (r->gs_base >= BASE_LIMIT) {
        return inv_fail(inv, first + offsetof(user_regs_t, gs_base) / 8, KERR_INVALID_ARGUMENT);
    }
    return KERR_OK;
}

static void frame_from_regs(tcb_t *t, const user_regs_t *r)
{
    trap_frame_t *f = &t->ctx;
    f->rip = r->rip;
    f->rsp = r->rsp;
    /* Only the arithmetic flags, TF, DF, AC and ID are the thread's. */
    f->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_IF;
    f->rax = r->rax, f->rbx = r->rbx, f->rcx = r->rcx, f->rdx = r->rdx;
    f->rsi = r->rsi, f->rdi = r->rdi, f->rbp = r->rbp;
    f->r8 = r->r8, f->r9 = r->r9, f->r10 = r->r10, f->r11 = r->r11;
    f->r12 = r->r12, f->r13 = r->r13, f->r14 = r->r14, f->r15 = r->r15;
    f->cs = SEL_USER_CS;
    f->ss = SEL_USER_DS;
    f->vector = VEC_FULL_RESTORE;
    t->fs_base = r->fs_base;
    t->gs_base = r->gs_base;
}

kerr_t tcb_set_registers_from(tcb_t *t, tcb_t *from)
{
    ipc_buffer_t *buf = tcb_ipc_buffer(from);
    if (buf == NULL || msginfo_length(from->ctx.rsi) < REGS_WORDS) {
        return KERR_TRUNCATED_MESSAGE;
    }
    user_regs_t r;
    uint64_t *w = (uint64_t *)&r;
    w[0] = from->ctx.rdx, w[1] = from->ctx.r8, w[2] = from->ctx.r9, w[3] = from->ctx.r10;
    for (unsigned i = MSG_REGISTERS_IN_CPU; i < REGS_WORDS; i++) {
        w[i] = buf->mr[i];
    }
    if (r.rip >= USER_LIMIT || r.fs_base >= BASE_LIMIT || r.gs_base >= BASE_LIMIT) {
        return KERR_INVALID_ARGUMENT;
    }
    frame_from_regs(t, &r);
    return KERR_OK;
}

static kerr_t decode_write_registers(invocation_t *inv, tcb_t *t)
{
    kerr_t err = inv_need_args(inv, 1 + REGS_WORDS);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t flags = inv_arg(inv, 0);
    if (flags & ~(uint64_t)(REGS_WRITE_RESUME | REGS_WRITE_FPU)) {
        return inv_fail(inv, 0, KERR_INVALID_ARGUMENT);
    }
    if ((flags & REGS_WRITE_FPU) && (err = inv_need_args(inv, REGS_WRITE_WORDS)) != KERR_OK) {
        return err;
    }
    if (t == inv->caller) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_ARGUMENT);
    }
    user_regs_t r;
    uint64_t *w = (uint64_t *)&r;
    for (unsigned i = 0; i < REGS_WORDS; i++) {
        w[i] = inv_arg(inv, 1 + i);
    }
    if ((err = check_registers(inv, &r)) != KERR_OK) {
        return err;
    }
    if (flags & REGS_WRITE_FPU) {
        uint64_t image[FPU_IMAGE_WORDS];
        for (unsigned i = 0; i < FPU_IMAGE_WORDS; i++) {
            image[i] = inv_arg(inv, 1 + REGS_WORDS + i);
        }
        uint32_t mxcsr;
        memcpy(&mxcsr, (uint8_t *)image + MXCSR_OFFSET, 4);
        mxcsr &= MXCSR_VALID; /* reserved bits would fault in fxrstor */
        memcpy((uint8_t *)image + MXCSR_OFFSET, &mxcsr, 4);
        if (this_cpu()->fpu_owner == t) {
            this_cpu()->fpu_owner = NULL;
        }
        memcpy(t->fpu, image, FPU_IMAGE_BYTES);
    }
    ipc_cancel(t, KERR_CANCELLED);
    frame_from_regs(t, &r);
    if ((flags & REGS_WRITE_RESUME) && tcb_vspace(t) != NULL) {
        tcb_resume(t);
    }
    return KERR_OK;
}

/* TCB_SetTLS (FS) and TCB_SetGSBase: a base of the lower half, loaded
 * before the call returns if `t` is the caller (GS is swapped in on exit). */
kerr_t tcb_decode_segment_base(invocation_t *inv, tcb_t *t, bool gs)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t base = inv_arg(inv, 0);
    if (base >= BASE_LIMIT) {
        return inv_fail(inv, 0, KERR_INVALID_ARGUMENT);
    }
    cpu_t *cpu = this_cpu();
    if (gs) {
        t->gs_base = base;
    } else {
        t->fs_base = base;
    }
    if (t == cpu->current && gs) {
        wrmsr(MSR_KERNEL_GS_BASE, base);
        cpu->loaded_gs_base = base;
    } else if (t == cpu->current) {
        wrmsr(MSR_FS_BASE, base);
        cpu->loaded_fs_base = base;
    }
    return KERR_OK;
}

static kerr_t decode_set_fault_handler(invocation_t *inv, tcb_t *t)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    cte_t *ep;
    if ((err = optional_cap(inv, 0, OBJ_ENDPOINT, RIGHT_WRITE, &ep)) != KERR_OK) {
        return err;
    }
    set_slot(&t->fault_endpoint, ep);
    return KERR_OK;
}

static kerr_t decode_bind_notification(invocation_t *inv, tcb_t *t)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    cte_t *n;
    if ((err = optional_cap(inv, 0, OBJ_NOTIFICATION, RIGHT_READ, &n)) != KERR_OK) {
        return err;
    }
    if (n != NULL && (t->bound != NULL || ((notification_t *)n->cap.obj)->bound != NULL)) {
        return inv_fail(inv, 0, KERR_INVALID_ARGUMENT);
    }
    return notification_bind(t, n != NULL ? (notification_t *)n->cap.obj : NULL);
}

static kerr_t decode_set_flags(invocation_t *inv, tcb_t *t)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t flags = inv_arg(inv, 0);
    if (flags & ~(uint64_t)TCB_FLAG_NO_FPU) {
        return inv_fail(inv, 0, KERR_INVALID_ARGUMENT);
    }
    t->no_fpu = (flags & TCB_FLAG_NO_FPU) != 0;
    if (t == this_cpu()->current) {
        fpu_switch(this_cpu(), t); /* in effect when the call returns */
    }
    return KERR_OK;
}

kerr_t tcb_invoke(invocation_t *inv)
{
    tcb_t *t = (tcb_t *)inv->slot->cap.obj;
    bool reads = inv->label == INV_TCB_READ_REGISTERS || inv->label == INV_TCB_READ_TIMES;
    unsigned need = reads ? RIGHT_READ : RIGHT_WRITE;
    kerr_t err = inv_need_rights(inv, need);
    if (err != KERR_OK) {
        return err;
    }
    switch (inv->label) {
    case INV_TCB_CONFIGURE:
        return decode_configure(inv, t);
    case INV_TCB_RESUME:
        return decode_resume(inv, t);
    case INV_TCB_SUSPEND:
        return decode_suspend(t);
    case INV_TCB_SET_PRIORITY:
        return decode_priority(inv, t, false);
    case INV_TCB_SET_MCP:
        return decode_priority(inv, t, true);
    case INV_TCB_READ_REGISTERS:
        return decode_read_registers(inv, t);
    case INV_TCB_WRITE_REGISTERS:
        return decode_write_registers(inv, t);
    case INV_TCB_SET_TLS:
        return tcb_decode_segment_base(inv, t, false);
    case INV_TCB_SET_FAULT_HANDLER:
        return decode_set_fault_handler(inv, t);
    case INV_TCB_BIND_NOTIFICATION:
        return decode_bind_notification(inv, t);
    case INV_TCB_SET_PERSONALITY:
        return tcb_decode_set_personality(inv, t);
    case INV_TCB_SET_GS_BASE:
        return tcb_decode_segment_base(inv, t, true);
    case INV_TCB_INTERRUPT:
        return tcb_decode_interrupt(inv, t);
    case INV_TCB_SET_FLAGS:
        return decode_set_flags(inv, t);
    case INV_TCB_CANCEL:
        ipc_cancel(t, KERR_CANCELLED);
        return KERR_OK;
    case INV_TCB_READ_TIMES:
        inv_reply(inv, 0, cpu_time_run_ns(t));
        inv_reply(inv, 1, cpu_time_served_ns(t));
        return KERR_OK;
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}
