/*
 * Faults sent to a fault endpoint. The root is the handler: for a page
 * fault, #GP, #UD, a divide error and an unknown (Linux-numbered) system
 * call it receives the fault message (label FAULT_*, the words of
 * uapi/fault.h, the handler capability's badge) and answers with
 * FAULT_REPLY_RESUME (after mapping the page: the instruction runs again),
 * FAULT_REPLY_SET_REGISTERS (skipping the instruction) or FAULT_REPLY_STOP.
 * A fault whose handler goes away (endpoint deleted, handler deleted,
 * TCB_Cancel, TCB_Suspend) leaves the thread stopped with its registers
 * as they were, never resumed with an error in rax.
 */
#include "check.h"
#include "ipc_helper.h"

#define VEC_DE 0
#define VEC_UD 6
#define VEC_GP 13
#define VEC_PF 14
#define PF_WRITE 0x2u
#define PF_USER 0x4u
#define LINUX_GETPID 39
#define STORED 0x5707edull
#define MARK 0x3a4bull
#define HANDLER_BADGE 0xfa17ull

/* Each program faults at its label; the instruction at *_next is a ud2. */
__asm__("    .text\n"
        "    .global fh_pf_program, fh_pf_next, fh_gp_program, fh_gp_next\n"
        "    .global fh_ud_program, fh_ud_next, fh_de_program, fh_de_next\n"
        "    .global fh_sys_program, fh_sys_next\n"
        "fh_pf_program:\n"
        "    movq %rsi, (%rdi)\n"
        "fh_pf_next:\n"
        "    ud2\n"
        "fh_gp_program:\n"
        "    hlt\n"
        "fh_gp_next:\n"
        "    ud2\n"
        "fh_ud_program:\n"
        "    ud2\n"
        "fh_ud_next:\n"
        "    ud2\n"
        "fh_de_program:\n"
        "    divq %rcx\n"
        "fh_de_next:\n"
        "    ud2\n"
        "fh_sys_program:\n"
        "    syscall\n"
        "fh_sys_next:\n"
        "    ud2\n");

extern const char fh_pf_program[], fh_pf_next[], fh_gp_program[], fh_gp_next[];
extern const char fh_ud_program[], fh_ud_next[], fh_de_program[], fh_de_next[];
extern const char fh_sys_program[], fh_sys_next[];

typedef struct {
    const char *program, *next;
    uint64_t label, vector, error;
} fault_kind_t;

static const fault_kind_t kinds[] = {
    {fh_pf_program, fh_pf_next, FAULT_PAGE, VEC_PF, PF_WRITE | PF_USER},
    {fh_gp_program, fh_gp_next, FAULT_GENERAL_PROTECTION, VEC_GP, 0},
    {fh_ud_program, fh_ud_next, FAULT_INVALID_OPCODE, VEC_UD, 0},
    {fh_de_program, fh_de_next, FAULT_DIVIDE, VEC_DE, 0},
    {fh_sys_program, fh_sys_next, FAULT_UNKNOWN_SYSCALL, FAULT_VECTOR_SYSCALL, LINUX_GETPID},
};

enum { KIND_PF, KIND_GP, KIND_UD, KIND_DE, KIND_SYS };

/* The registers every faulting thread starts with. */
static user_regs_t faulter_regs(const fault_kind_t *k, cptr_t tcb, uint64_t pf_addr)
{
    user_regs_t r = thread_regs((uint64_t)k->program, pf_addr, tcb);
    r.rax = k->vector == FAULT_VECTOR_SYSCALL ? LINUX_GETPID : 0xaa;
    r.rbx = 0xbb;
    r.rcx = 0; /* the divisor */
    r.rdx = 0xdd;
    r.rsi = STORED;
    r.rbp = 0xbe;
    r.r8 = 0x88, r.r9 = 0x99, r.r10 = 0x1010, r.r11 = 0x1111;
    r.r12 = 0x1212, r.r13 = 0x1313, r.r14 = 0x1414, r.r15 = 0x1515;
    return r;
}

/* A thread running `k`'s program with `handler` as its fault endpoint. */
static void start_faulter(const fault_kind_t *k, cptr_t handler, uint64_t pf_addr, cptr_t *tcb,
                          user_regs_t *regs)
{
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)k->program, 0, THREAD_PRIORITY, tcb));
    CHECK_OK(tcb_set_fault_handler(*tcb, handler));
    *regs = faulter_regs(k, *tcb, pf_addr);
    CHECK_OK(tcb_write_registers(*tcb, REGS_WRITE_RESUME, regs, NULL));
}

/* Receives a fault message on `fe`: `label`, vector, error, address, rip
 * and rsp; for an unknown system call the seven syscall registers too. */
static void expect_fault(cptr_t fe, uint64_t label, uint64_t vector, uint64_t error, uint64_t addr,
                         const char *rip, const user_regs_t *regs)
{
    sys_result_t r = sys_recv(fe);
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(r.info), label);
    CHECK_EQ(r.badge, HANDLER_BADGE);
    bool sys = vector == FAULT_VECTOR_SYSCALL;
    CHECK_EQ(msginfo_length(r.info), sys ? FAULT_MSG_SYSCALL_WORDS : FAULT_MSG_WORDS);
    CHECK_EQ(r.mr[0], vector);
    CHECK_EQ(r.mr[1], error);
    CHECK_EQ(r.mr[2], addr);
    CHECK_EQ(r.mr[3], (uint64_t)rip);
    CHECK_EQ(ipc_buffer->mr[4], regs->rsp);
    if (sys) {
        const uint64_t want[] = {regs->rax, regs->rdi, regs->rsi, regs->rdx,
                                 regs->r10, regs->r8,  regs->r9};
        for (unsigned i = 0; i < 7; i++) {
            CHECK_EQ(ipc_buffer->mr[FAULT_MSG_WORDS + i], want[i]);
        }
    }
}

/* The first fault of `k`'s program. */
static void expect_first(cptr_t fe, const fault_kind_t *k, uint64_t pf_addr,
                         const user_regs_t *regs)
{
    const char *rip = k->vector == FAULT_VECTOR_SYSCALL ? k->next : k->program;
    uint64_t addr = k->vector == VEC_PF ? pf_addr : 0;
    expect_fault(fe, k->label, k->vector, k->error, addr, rip, regs);
}

/* The ud2 after the faulting instruction. */
static void expect_next(cptr_t fe, const fault_kind_t *k, const user_regs_t *regs)
{
    expect_fault(fe, FAULT_INVALID_OPCODE, VEC_UD, 0, 0, k->next, regs);
}

/* Stops the thread for good and checks it stays stopped where it was. */
static void stop(cptr_t tcb, uint64_t vector, const char *rip, const user_regs_t *regs)
{
    tcb_registers_t r;
    CHECK_OK(root_reply_regs(FAULT_REPLY_STOP, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, vector);
    CHECK_EQ(r.regs.rip, (uint64_t)rip);
    CHECK_EQ(r.regs.rax, regs->rax);
    CHECK_EQ(r.regs.r15, regs->r15);
}

/* The handler capability: badged, so the handler knows the thread. */
static cptr_t fault_endpoint(cptr_t *fe)
{
    cptr_t badged = slot_alloc();
    if (object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, fe) != KERR_OK ||
        cnode_mint(CAP_INIT_CNODE, badged, CAP_INIT_CNODE, *fe, RIGHT_WRITE, HANDLER_BADGE) !=
            KERR_OK) {
        check_fail(__FILE__, __LINE__, "creating the fault endpoint");
    }
    return badged;
}

/* FAULT_REPLY_RESUME: a page fault after the page is mapped, and an
 * unknown system call, go on after the instruction; the others run it
 * again. */
static void mode_resume(const fault_kind_t *k)
{
    cptr_t fe, tcb, frame;
    user_regs_t regs;
    cptr_t handler = fault_endpoint(&fe);
    uint64_t va = va_alloc(1);
    CHECK_STEP(start_faulter(k, handler, va, &tcb, &regs));
    CHECK_STEP(expect_first(fe, k, va, &regs));
    if (k->vector == VEC_PF) {
        CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
        CHECK_OK(vspace_map(CAP_INIT_VSPACE, frame, va, MAP_READ | MAP_WRITE));
    }
    CHECK_OK(root_reply_regs(FAULT_REPLY_RESUME, NULL));
    if (k->vector == VEC_PF || k->vector == FAULT_VECTOR_SYSCALL) {
        CHECK_STEP(expect_next(fe, k, &regs));
        CHECK_STEP(stop(tcb, VEC_UD, k->next, &regs));
    } else {
        CHECK_STEP(expect_first(fe, k, va, &regs));
        CHECK_STEP(stop(tcb, k->vector, k->program, &regs));
    }
    if (k->vector == VEC_PF) {
        CHECK_EQ(*(volatile uint64_t *)va, STORED);
    }
}

/* FAULT_REPLY_SET_REGISTERS: the thread goes on with the registers of the
 * reply: past the instruction, with a new rbx (for the divide error, the
 * dividend and divisor fixed instead, so the division runs). */
static void mode_set_registers(const fault_kind_t *k)
{
    cptr_t fe, tcb;
    user_regs_t regs;
    tcb_registers_t r;
    cptr_t handler = fault_endpoint(&fe);
    CHECK_STEP(start_faulter(k, handler, va_alloc(1), &tcb, &regs));
    CHECK_STEP(expect_first(fe, k, regs.rdi, &regs));
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.state, TCB_STATE_BLOCKED_REPLY);
    user_regs_t next = r.regs;
    if (k->vector == VEC_DE) {
        next.rcx = 1;
        next.rdx = 0;
    } else {
        next.rip = (uint64_t)k->next;
    }
    next.rbx = MARK;
    CHECK_OK(root_reply_regs(FAULT_REPLY_SET_REGISTERS, &next));
    sys_result_t m = sys_recv(fe);
    CHECK_OK(m.err);
    CHECK_EQ(msginfo_label(m.info), FAULT_INVALID_OPCODE);
    CHECK_EQ(m.mr[3], (uint64_t)k->next);
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.regs.rbx, MARK);
    CHECK_EQ(r.regs.r12, regs.r12);
    if (k->vector == VEC_DE) {
        CHECK_EQ(r.regs.rax, regs.rax); /* divided by 1 */
        CHECK_EQ(r.regs.rdx, 0);
    }
    CHECK_OK(root_reply_regs(FAULT_REPLY_STOP, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
}

static void mode_stop(const fault_kind_t *k)
{
    cptr_t fe, tcb;
    user_regs_t regs;
    cptr_t handler = fault_endpoint(&fe);
    CHECK_STEP(start_faulter(k, handler, va_alloc(1), &tcb, &regs));
    CHECK_STEP(expect_first(fe, k, regs.rdi, &regs));
    const char *rip = k->vector == FAULT_VECTOR_SYSCALL ? k->next : k->program;
    CHECK_STEP(stop(tcb, k->vector, rip, &regs));
}

static void run_kind(const fault_kind_t *k)
{
    CHECK_STEP(mode_resume(k));
    CHECK_STEP(mode_set_registers(k));
    CHECK_STEP(mode_stop(k));
}

void test_fault_handler_page(void)
{
    run_kind(&kinds[KIND_PF]);
}

void test_fault_handler_gp(void)
{
    run_kind(&kinds[KIND_GP]);
}

void test_fault_handler_ud(void)
{
    run_kind(&kinds[KIND_UD]);
}

void test_fault_handler_divide(void)
{
    run_kind(&kinds[KIND_DE]);
}

void test_fault_handler_syscall(void)
{
    run_kind(&kinds[KIND_SYS]);
}

void test_fault_handler_errors(void)
{
    cptr_t fe, n, ro, tcb, noreg;
    user_regs_t regs;
    tcb_registers_t r;
    cptr_t handler = fault_endpoint(&fe);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_OK(cap_derive(fe, RIGHT_READ | RIGHT_GRANT, &ro));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_ERR_ARG(tcb_set_fault_handler(tcb, ro), KERR_NO_RIGHTS, 0);
    CHECK_ERR_ARG(tcb_set_fault_handler(tcb, n), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(tcb_set_fault_handler(tcb, slot_alloc()), KERR_INVALID_CAP, 0);
    CHECK_ERR_ARG(tcb_set_fault_handler(tcb, root_slots()), KERR_INVALID_CAP, 0);
    /* a handler removed again: the fault stops the thread, no message */
    CHECK_STEP(start_faulter(&kinds[KIND_UD], handler, 0, &noreg, &regs));
    CHECK_STEP(expect_first(fe, &kinds[KIND_UD], 0, &regs));
    CHECK_OK(tcb_set_fault_handler(noreg, 0));
    CHECK_OK(root_reply_regs(FAULT_REPLY_RESUME, NULL));
    CHECK_EQ(thread_wait(noreg, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_UD);
    CHECK_ERR(sys_nbrecv(fe).err, KERR_WOULD_BLOCK);
    /* registers the kernel refuses, or too few of them: stopped */
    CHECK_OK(tcb_set_fault_handler(noreg, handler));
    CHECK_OK(tcb_resume(noreg));
    CHECK_STEP(expect_first(fe, &kinds[KIND_UD], 0, &regs));
    CHECK_OK(root_ipc(SYS_REPLY, 0, msginfo_make(FAULT_REPLY_SET_REGISTERS, REGS_WORDS - 1),
                      (uint64_t[4]){(uint64_t)fh_ud_next, regs.rsp, 0x202, 0})
                 .err);
    CHECK_EQ(thread_wait(noreg, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.regs.rip, (uint64_t)fh_ud_program);
    CHECK_OK(tcb_resume(noreg));
    CHECK_STEP(expect_first(fe, &kinds[KIND_UD], 0, &regs));
    user_regs_t bad = regs;
    bad.rip = USER_LIMIT;
    CHECK_OK(root_reply_regs(FAULT_REPLY_SET_REGISTERS, &bad));
    CHECK_EQ(thread_wait(noreg, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.regs.rip, (uint64_t)fh_ud_program);
}

/* ReplyRecv answers one fault and takes the next; a saved fault reply
 * answers later; a fault reply the handler drops (by taking another call)
 * leaves its thread stopped. */
void test_fault_handler_reply_recv(void)
{
    cptr_t fe, t0, t1, saved = slot_alloc();
    user_regs_t r0, r1;
    tcb_registers_t r;
    cptr_t handler = fault_endpoint(&fe);
    CHECK_STEP(start_faulter(&kinds[KIND_SYS], handler, 0, &t0, &r0));
    CHECK_STEP(expect_first(fe, &kinds[KIND_SYS], 0, &r0));
    CHECK_OK(cnode_save_caller(CAP_INIT_CNODE, saved));
    CHECK_STEP(start_faulter(&kinds[KIND_GP], handler, 0, &t1, &r1));
    CHECK_STEP(expect_first(fe, &kinds[KIND_GP], 0, &r1));
    /* resumes t1, which faults again at once, and takes that fault */
    sys_result_t m = sys_ipc(SYS_REPLY_RECV, fe, msginfo_make(FAULT_REPLY_RESUME, 0), 0, 0, 0, 0);
    CHECK_OK(m.err);
    CHECK_EQ(msginfo_label(m.info), FAULT_GENERAL_PROTECTION);
    CHECK_EQ(m.mr[3], (uint64_t)fh_gp_program);
    /* t0 goes on after its system call, with rax as it was */
    CHECK_OK(sys_send(saved, msginfo_make(FAULT_REPLY_RESUME, 0), 0, 0).err);
    CHECK_EQ(slot_type(saved), OBJ_NULL);
    CHECK_STEP(expect_next(fe, &kinds[KIND_SYS], &r0));
    CHECK_OK(tcb_read_registers(t0, &r));
    CHECK_EQ(r.regs.rax, LINUX_GETPID);
    /* taking t0's fault dropped t1's reply: t1 is stopped */
    CHECK_EQ(thread_wait(t1, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_GP);
    CHECK_EQ(r.regs.rax, r1.rax);
    CHECK_STEP(stop(t0, VEC_UD, fh_sys_next, &r0));
}

static cptr_t holder_eps[2];
static volatile uint64_t holder_got;

/* Takes one fault on the first endpoint, then waits on the second. */
static void holding_handler(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)arg;
    (void)self;
    (void)buf;
    holder_got = sys_recv(holder_eps[0]).mr[0] + 1;
    for (;;) {
        sys_recv(holder_eps[1]);
    }
}

/* The thread is stopped, still at its fault, its registers intact. */
static void check_stopped(cptr_t tcb, const fault_kind_t *k, const user_regs_t *regs)
{
    tcb_registers_t r;
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, k->vector);
    CHECK_EQ(r.regs.rip, (uint64_t)k->program);
    CHECK_EQ(r.regs.rax, regs->rax);
    CHECK_EQ(r.regs.rdx, regs->rdx);
    CHECK_EQ(r.regs.rsi, regs->rsi);
}

/* The handler goes away under a faulted thread: it stays stopped. */
void test_fault_handler_gone(void)
{
    cptr_t fe, idle, t0, t1, holder;
    user_regs_t regs;
    const fault_kind_t *k = &kinds[KIND_UD];
    cptr_t handler = fault_endpoint(&fe);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &idle));
    /* the endpoint deleted while the fault waits in it */
    CHECK_STEP(start_faulter(k, handler, 0, &t0, &regs));
    CHECK(wait_state(t0, TCB_STATE_BLOCKED_SEND));
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, fe));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, fe));
    CHECK_STEP(check_stopped(t0, k, &regs));
    /* the handler thread deleted while it holds the fault */
    handler = fault_endpoint(&fe);
    holder_eps[0] = fe;
    holder_eps[1] = idle;
    holder_got = 0;
    CHECK_OK(buffered_thread_spawn(holding_handler, 0, &holder, NULL));
    CHECK_STEP(start_faulter(k, handler, 0, &t1, &regs));
    CHECK(wait_change(&holder_got, 0));
    CHECK_EQ(holder_got, VEC_UD + 1);
    CHECK_EQ(thread_state(t1), TCB_STATE_BLOCKED_REPLY);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, holder));
    CHECK_STEP(check_stopped(t1, k, &regs));
}

/* TCB_Cancel and TCB_Suspend take a thread out of its fault: stopped,
 * registers intact, the handler's late reply finds no caller; resumed,
 * it faults again. */
void test_fault_handler_cancel(void)
{
    cptr_t fe, t0, t1;
    user_regs_t regs;
    const fault_kind_t *k = &kinds[KIND_GP];
    cptr_t handler = fault_endpoint(&fe);
    /* while queued */
    CHECK_STEP(start_faulter(k, handler, 0, &t0, &regs));
    CHECK(wait_state(t0, TCB_STATE_BLOCKED_SEND));
    CHECK_OK(tcb_cancel(t0));
    CHECK_STEP(check_stopped(t0, k, &regs));
    CHECK_ERR(sys_nbrecv(fe).err, KERR_WOULD_BLOCK);
    /* while the handler holds it */
    CHECK_STEP(start_faulter(k, handler, 0, &t1, &regs));
    CHECK_STEP(expect_first(fe, k, 0, &regs));
    CHECK_OK(tcb_cancel(t1));
    CHECK_STEP(check_stopped(t1, k, &regs));
    CHECK_ERR(root_reply_regs(FAULT_REPLY_RESUME, NULL), KERR_NO_CALLER);
    /* suspended, then resumed: the instruction runs again */
    CHECK_OK(tcb_resume(t1));
    CHECK_STEP(expect_first(fe, k, 0, &regs));
    CHECK_OK(tcb_suspend(t1));
    CHECK_EQ(thread_state(t1), TCB_STATE_INACTIVE);
    CHECK_OK(tcb_resume(t1));
    CHECK_STEP(expect_first(fe, k, 0, &regs));
    CHECK_STEP(stop(t1, k->vector, k->program, &regs));
}
