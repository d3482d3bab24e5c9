/*
 * The personality entry and threads without an FPU. A Linux-numbered
 * `syscall` of a thread with a personality lands at its entry with rcx =
 * the return address, r11 = the flags and every other register, xmm0 and
 * both segment bases unchanged; from inside the runtime range it is an
 * unknown-syscall fault. TCB_Interrupt diverts a thread running (or
 * blocked in Recv) outside the runtime to its upcall entry, its context
 * saved in the upcall area; inside the runtime it only sets `pending` (and
 * a blocked Recv returns KERR_CANCELLED). A TCB_FLAG_NO_FPU thread faults
 * (vector 7) on any FPU instruction, and the FPU state of other threads
 * survives switches through it.
 */
#include "check.h"
#include "ipc_helper.h"

#define LINUX_GETPID 39
#define VEC_NM 7
#define GPRS 16

/* Registers the entry saw: rax rbx rcx rdx rsi rdi rbp rsp r8..r15. */
volatile uint64_t pers_seen[GPRS];
volatile uint64_t pers_flags_before, pers_flags_entry, pers_fs_seen, pers_gs_seen;
volatile uint64_t pers_xmm_in[2] = {0x0123456789abcdefull, 0xfedcba9876543210ull};
volatile uint64_t pers_xmm_out[2];
volatile uint64_t pers_spin_count, pers_upcall_reached, pers_recv_result;

__asm__("    .text\n"
        "    .global pers_program, pers_return, pers_entry, pers_entry_end\n"
        "pers_program:\n"
        "    movdqu pers_xmm_in(%rip), %xmm0\n"
        "    stc\n"
        "    pushfq\n"
        "    popq pers_flags_before(%rip)\n"
        "    syscall\n"
        "pers_return:\n"
        "    ud2\n"
        "pers_entry:\n"
        "    movq %rax, pers_seen+0(%rip)\n"
        "    movq %rbx, pers_seen+8(%rip)\n"
        "    movq %rcx, pers_seen+16(%rip)\n"
        "    movq %rdx, pers_seen+24(%rip)\n"
        "    movq %rsi, pers_seen+32(%rip)\n"
        "    movq %rdi, pers_seen+40(%rip)\n"
        "    movq %rbp, pers_seen+48(%rip)\n"
        "    movq %rsp, pers_seen+56(%rip)\n"
        "    movq %r8, pers_seen+64(%rip)\n"
        "    movq %r9, pers_seen+72(%rip)\n"
        "    movq %r10, pers_seen+80(%rip)\n"
        "    movq %r11, pers_seen+88(%rip)\n"
        "    movq %r12, pers_seen+96(%rip)\n"
        "    movq %r13, pers_seen+104(%rip)\n"
        "    movq %r14, pers_seen+112(%rip)\n"
        "    movq %r15, pers_seen+120(%rip)\n"
        "    movdqu %xmm0, pers_xmm_out(%rip)\n"
        "    pushfq\n"
        "    popq pers_flags_entry(%rip)\n"
        "    movq %fs:0, %rax\n"
        "    movq %rax, pers_fs_seen(%rip)\n"
        "    movq %gs:0, %rax\n"
        "    movq %rax, pers_gs_seen(%rip)\n"
        "    ud2\n"
        "pers_entry_end:\n"
        "    .global spin_program, spin_program_end, upcall_program\n"
        "    .global recv_program, recv_return, recv_program_end\n"
        "spin_program:\n"
        "    lock incq pers_spin_count(%rip)\n"
        "    jmp spin_program\n"
        "spin_program_end:\n"
        "upcall_program:\n"
        "    movq $1, pers_upcall_reached(%rip)\n"
        "    ud2\n"
        "recv_program:\n"
        "    syscall\n"
        "recv_return:\n"
        "    movq %rax, pers_recv_result(%rip)\n"
        "    ud2\n"
        "recv_program_end:\n");

extern const char pers_program[], pers_return[], pers_entry[], pers_entry_end[];
extern const char spin_program[], spin_program_end[], upcall_program[];
extern const char recv_program[], recv_return[], recv_program_end[];

static uint64_t fs_block[2] = {0xf5f5f5f5ull, 0};
static uint64_t gs_block[2] = {0x6565656565ull, 0};

/* Every general register with a value of its own. */
static user_regs_t known_regs(uint64_t rip, cptr_t tcb, uint64_t rax)
{
    user_regs_t r = thread_regs(rip, 0, tcb);
    r.rax = rax;
    r.rbx = 0x1b1b1b1b1b1b1b1bull, r.rcx = 0xc1c1, r.rdx = 0xd1d1d1d1d1d1d1d1ull;
    r.rsi = 0x5151515151515151ull, r.rdi = 0xd2d2d2d2d2d2d2d2ull, r.rbp = 0xb9b9b9b9ull;
    r.r8 = 0x0808080808080808ull, r.r9 = 0x0909090909090909ull, r.r10 = 0x1010101010ull;
    r.r11 = 0x1111, r.r12 = 0x1212121212121212ull, r.r13 = 0x1313131313131313ull;
    r.r14 = 0x1414141414141414ull, r.r15 = 0x1515151515151515ull;
    return r;
}

/* A thread with an IPC buffer and a personality, running from `regs`. */
static void start_personal(const user_regs_t *regs, uint64_t lo, uint64_t hi, cptr_t *tcb,
                           ipc_buffer_t **buf)
{
    CHECK_OK(buffered_thread_new((buffered_fn_t)pers_program, 0, true, tcb, buf));
    CHECK_OK(tcb_set_personality(*tcb, (uint64_t)pers_entry, (uint64_t)upcall_program, lo, hi));
    CHECK_OK(tcb_write_registers(*tcb, 0, regs, NULL));
    CHECK_OK(tcb_set_tls(*tcb, (uint64_t)fs_block));
    CHECK_OK(tcb_set_gs_base(*tcb, (uint64_t)gs_block));
    CHECK_OK(tcb_resume(*tcb));
}

/* One diverted system call with number `rax`: every register checked. */
static void entry_case(uint64_t rax)
{
    cptr_t tcb;
    tcb_registers_t r;
    for (unsigned i = 0; i < GPRS; i++) {
        pers_seen[i] = 0;
    }
    pers_xmm_out[0] = pers_xmm_out[1] = 0;
    user_regs_t regs = known_regs((uint64_t)pers_program, 0, rax);
    CHECK_STEP(start_personal(&regs, 0x1000, 0x2000, &tcb, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK(r.regs.rip > (uint64_t)pers_entry && r.regs.rip < (uint64_t)pers_entry_end);
    const uint64_t want[GPRS] = {
        rax,      regs.rbx, (uint64_t)pers_return,
        regs.rdx, regs.rsi, regs.rdi,
        regs.rbp, regs.rsp, regs.r8,
        regs.r9,  regs.r10, pers_flags_before,
        regs.r12, regs.r13, regs.r14,
        regs.r15,
    };
    for (unsigned i = 0; i < GPRS; i++) {
        if (pers_seen[i] != want[i]) {
            check_fail(__FILE__, __LINE__, "register %u: 0x%lx, expected 0x%lx", i, pers_seen[i],
                       want[i]);
            return;
        }
    }
    CHECK_EQ(pers_flags_before & 0x1, 1); /* the carry set before the call */
    CHECK_EQ(pers_flags_entry & 0xfff, 0x202);
    CHECK_EQ(pers_xmm_out[0], pers_xmm_in[0]);
    CHECK_EQ(pers_xmm_out[1], pers_xmm_in[1]);
    CHECK_EQ(pers_fs_seen, fs_block[0]);
    CHECK_EQ(pers_gs_seen, gs_block[0]);
    CHECK_EQ(r.regs.fs_base, (uint64_t)fs_block);
    CHECK_EQ(r.regs.gs_base, (uint64_t)gs_block);
}

void test_personality_entry(void)
{
    CHECK_STEP(entry_case(LINUX_GETPID));
    CHECK_STEP(entry_case(0));
    CHECK_STEP(entry_case(0x7fffffffffffffffull));
}

/* From inside [lo, hi) the same call is an unknown-syscall fault; with
 * the personality removed, too. */
void test_personality_runtime(void)
{
    cptr_t tcb, plain;
    tcb_registers_t r;
    user_regs_t regs = known_regs((uint64_t)pers_program, 0, LINUX_GETPID);
    CHECK_STEP(start_personal(&regs, (uint64_t)pers_program, (uint64_t)pers_entry, &tcb, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, FAULT_VECTOR_SYSCALL);
    CHECK_EQ(r.fault_error, LINUX_GETPID);
    CHECK_EQ(r.regs.rip, (uint64_t)pers_return);
    CHECK_EQ(r.regs.rbx, regs.rbx);
    /* the edges of the range: hi is outside, lo inside */
    CHECK_STEP(
        start_personal(&regs, (uint64_t)pers_program, (uint64_t)pers_return - 2, &plain, NULL));
    CHECK_EQ(thread_wait(plain, &r), TCB_STATE_FAULTED);
    CHECK(r.regs.rip > (uint64_t)pers_entry); /* diverted */
    CHECK_OK(tcb_set_personality(tcb, 0, 0, 0, 0));
    regs = known_regs((uint64_t)pers_program, 0, LINUX_GETPID);
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, FAULT_VECTOR_SYSCALL);
}

void test_personality_errors(void)
{
    cptr_t tcb, ro;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_OK(cap_derive(tcb, RIGHT_READ, &ro));
    uint64_t e = (uint64_t)pers_entry, u = (uint64_t)upcall_program;
    CHECK_ERR_ARG(tcb_set_personality(tcb, USER_LIMIT, u, 0, 0), KERR_INVALID_ARGUMENT, 0);
    CHECK_ERR_ARG(tcb_set_personality(tcb, ~0ull, u, 0, 0), KERR_INVALID_ARGUMENT, 0);
    CHECK_ERR_ARG(tcb_set_personality(tcb, e, USER_LIMIT, 0, 0), KERR_INVALID_ARGUMENT, 1);
    CHECK_ERR_ARG(tcb_set_personality(tcb, e, u, 0x2000, 0x1000), KERR_RANGE, 3);
    CHECK_ERR_ARG(tcb_set_personality(tcb, e, u, 0x1000, USER_LIMIT + 1), KERR_RANGE, 3);
    CHECK_OK(tcb_set_personality(tcb, e, u, 0, USER_LIMIT));
    CHECK_ERR(tcb_set_personality(ro, e, u, 0, 0), KERR_NO_RIGHTS);
    CHECK_ERR(kernel_invoke(tcb, INV_TCB_SET_PERSONALITY, (uint64_t[]){e, u, 0}, 3, NULL, 0),
              KERR_TRUNCATED_MESSAGE);
    /* GS bases in the kernel half or beyond the canonical user half */
    CHECK_ERR_ARG(tcb_set_gs_base(tcb, 0xffff800000000000ull), KERR_INVALID_ARGUMENT, 0);
    CHECK_ERR_ARG(tcb_set_gs_base(tcb, 0x800000000000ull), KERR_INVALID_ARGUMENT, 0);
    CHECK_ERR_ARG(tcb_set_gs_base(tcb, ~0ull), KERR_INVALID_ARGUMENT, 0);
    CHECK_OK(tcb_set_gs_base(tcb, 0x7fffffffffffull));
    CHECK_ERR(tcb_set_gs_base(ro, 0), KERR_NO_RIGHTS);
    /* TCB_Interrupt needs a personality and an IPC buffer */
    CHECK_ERR_ARG(tcb_interrupt(tcb), KERR_INVALID_ARGUMENT, KERR_ARG_NONE);
    CHECK_OK(tcb_set_personality(tcb, 0, 0, 0, 0));
    cptr_t buffered;
    CHECK_OK(buffered_thread_new((buffered_fn_t)spin_program, 0, true, &buffered, NULL));
    CHECK_ERR(tcb_interrupt(buffered), KERR_INVALID_ARGUMENT);
    CHECK_ERR(tcb_interrupt(ro), KERR_NO_RIGHTS);
    /* and never interrupts the caller itself */
    CHECK_OK(tcb_set_personality(CAP_INIT_TCB, e, u, 0, 0));
    kerr_t self = tcb_interrupt(CAP_INIT_TCB);
    CHECK_OK(tcb_set_personality(CAP_INIT_TCB, 0, 0, 0, 0));
    CHECK_ERR(self, KERR_INVALID_ARGUMENT);
}

static upcall_area_t *upcall_of(ipc_buffer_t *buf)
{
    return (upcall_area_t *)((uint8_t *)buf + UPCALL_AREA_OFFSET);
}

/* A thread spinning outside the runtime is diverted to the upcall entry
 * with its whole context saved; inside, only `pending` is set. */
void test_personality_interrupt(void)
{
    cptr_t out, in;
    ipc_buffer_t *obuf, *ibuf;
    tcb_registers_t r;
    pers_spin_count = 0;
    pers_upcall_reached = 0;
    user_regs_t regs = known_regs((uint64_t)spin_program, 0, 0xaa);
    regs.rflags = 0x202 | 0x1 | 0x80; /* CF and SF of the thread */
    CHECK_STEP(start_personal(&regs, 0x1000, 0x1000, &out, &obuf));
    CHECK(wait_change(&pers_spin_count, 0));
    CHECK_OK(tcb_interrupt(out));
    CHECK_EQ(thread_wait(out, &r), TCB_STATE_FAULTED);
    CHECK_EQ(pers_upcall_reached, 1);
    CHECK(r.regs.rip > (uint64_t)upcall_program && r.regs.rip < (uint64_t)recv_program);
    upcall_area_t *a = upcall_of(obuf);
    CHECK_EQ(a->pending, 1);
    CHECK_EQ(a->interrupted, 1);
    user_regs_t saved;
    __builtin_memcpy(&saved, a->context, sizeof(saved));
    CHECK(saved.rip >= (uint64_t)spin_program && saved.rip < (uint64_t)spin_program_end);
    CHECK_EQ(saved.rsp, regs.rsp);
    CHECK_EQ(saved.rax, regs.rax);
    CHECK_EQ(saved.rbx, regs.rbx);
    CHECK_EQ(saved.rdx, regs.rdx);
    CHECK_EQ(saved.rsi, regs.rsi);
    CHECK_EQ(saved.rdi, regs.rdi);
    CHECK_EQ(saved.r11, regs.r11);
    CHECK_EQ(saved.r15, regs.r15);
    CHECK_EQ(saved.fs_base, (uint64_t)fs_block);
    CHECK_EQ(saved.gs_base, (uint64_t)gs_block);
    CHECK_EQ(saved.rflags & 0x200, 0x200);
    /* inside the runtime: pending, but not diverted */
    CHECK_STEP(
        start_personal(&regs, (uint64_t)spin_program, (uint64_t)spin_program_end, &in, &ibuf));
    CHECK_OK(tcb_interrupt(in));
    CHECK_EQ(upcall_of(ibuf)->pending, 1);
    CHECK_EQ(upcall_of(ibuf)->interrupted, 0);
    uint64_t seen = pers_spin_count;
    CHECK(wait_change(&pers_spin_count, seen));
    CHECK_EQ(thread_state(in), TCB_STATE_RUNNABLE);
    CHECK_OK(tcb_suspend(in));
}

/* A thread blocked in Recv: its Recv ends with KERR_CANCELLED, returned
 * to it inside the runtime, saved in the context it is diverted with
 * outside. */
void test_personality_interrupt_recv(void)
{
    cptr_t ep, in, out;
    ipc_buffer_t *ibuf, *obuf;
    tcb_registers_t r;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    pers_recv_result = 0;
    pers_upcall_reached = 0;
    user_regs_t regs = known_regs((uint64_t)recv_program, 0, (uint64_t)SYS_RECV);
    regs.rdi = ep;
    CHECK_STEP(
        start_personal(&regs, (uint64_t)recv_program, (uint64_t)recv_program_end, &in, &ibuf));
    CHECK(wait_state(in, TCB_STATE_BLOCKED_RECV));
    CHECK_OK(tcb_interrupt(in));
    CHECK_EQ(thread_wait(in, &r), TCB_STATE_FAULTED);
    CHECK_EQ(pers_recv_result, KERR_CANCELLED);
    CHECK_EQ(upcall_of(ibuf)->pending, 1);
    CHECK_EQ(upcall_of(ibuf)->interrupted, 0);
    CHECK_EQ(pers_upcall_reached, 0);
    /* outside the runtime */
    pers_recv_result = 0;
    CHECK_STEP(start_personal(&regs, 0x1000, 0x2000, &out, &obuf));
    CHECK(wait_state(out, TCB_STATE_BLOCKED_RECV));
    CHECK_OK(tcb_interrupt(out));
    CHECK_EQ(thread_wait(out, &r), TCB_STATE_FAULTED);
    CHECK_EQ(pers_upcall_reached, 1);
    CHECK_EQ(pers_recv_result, 0);
    upcall_area_t *a = upcall_of(obuf);
    CHECK_EQ(a->pending, 1);
    CHECK_EQ(a->interrupted, 1);
    user_regs_t saved;
    __builtin_memcpy(&saved, a->context, sizeof(saved));
    CHECK_EQ(saved.rax, KERR_CANCELLED);
    CHECK_EQ(saved.rip, (uint64_t)recv_return);
    CHECK_EQ(saved.rbx, regs.rbx);
    /* nothing is left waiting on the endpoint */
    CHECK_OK(sys_ipc(SYS_NBSEND, ep, 0, 0, 0, 0, 0).err);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
}

/* Programs for threads without an FPU. The server takes calls on rdi and
 * answers each after `rdx` yields; the clobberer fills every XMM register
 * and MXCSR with its own values and yields, for ever. */
volatile uint64_t nofpu_served, clobber_rounds_fpu;
const uint32_t clobber_mxcsr = 0x7f80; /* all exceptions masked, round to zero */

__asm__("    .text\n"
        "    .global nofpu_server, fpu_clobber, sse_program, x87_program\n"
        "nofpu_server:\n"
        "    mov %rdi, %r12\n"
        "    mov %rdx, %r13\n"
        "    mov $-5, %rax\n"
        "    syscall\n"
        "1:  mov %r13, %r14\n"
        "2:  test %r14, %r14\n"
        "    jz 3f\n"
        "    mov $-8, %rax\n"
        "    syscall\n"
        "    dec %r14\n"
        "    jmp 2b\n"
        "3:  lock incq nofpu_served(%rip)\n"
        "    mov $-2, %rax\n"
        "    mov %r12, %rdi\n"
        "    xor %esi, %esi\n"
        "    syscall\n"
        "    jmp 1b\n"
        "fpu_clobber:\n"
        "    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "    pcmpeqb %xmm\\n, %xmm\\n\n"
        "    .endr\n"
        "    ldmxcsr clobber_mxcsr(%rip)\n"
        "    lock incq clobber_rounds_fpu(%rip)\n"
        "    mov $-8, %rax\n"
        "    syscall\n"
        "    jmp fpu_clobber\n"
        "sse_program:\n"
        "    movdqa %xmm0, %xmm1\n"
        "    ud2\n"
        "x87_program:\n"
        "    fld1\n"
        "    ud2\n"
        "    .global fpu_call_probe\n"
        "fpu_call_probe:\n" /* rdi: pattern, rsi: endpoint -> mismatch mask */
        "    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "    movdqa \\n*16(%rdi), %xmm\\n\n"
        "    .endr\n"
        "    ldmxcsr 256(%rdi)\n"
        "    push %rdi\n"
        "    push %rdi\n"
        "    mov %rsi, %rdi\n"
        "    mov $-1, %rax\n"
        "    xor %esi, %esi\n"
        "    xor %edx, %edx\n"
        "    syscall\n"
        "    pop %rdi\n"
        "    pop %rdi\n"
        "    xor %eax, %eax\n"
        "    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "    pcmpeqb \\n*16(%rdi), %xmm\\n\n"
        "    pmovmskb %xmm\\n, %r10d\n"
        "    cmp $0xffff, %r10d\n"
        "    je 3f\n"
        "    bts $\\n, %rax\n"
        "3:\n"
        "    .endr\n"
        "    sub $8, %rsp\n"
        "    stmxcsr (%rsp)\n"
        "    mov (%rsp), %r10d\n"
        "    add $8, %rsp\n"
        "    cmp 256(%rdi), %r10d\n"
        "    je 4f\n"
        "    bts $16, %rax\n"
        "4:  ret\n");

extern const char nofpu_server[], fpu_clobber[], sse_program[], x87_program[];

typedef struct {
    uint8_t xmm[16][16];
    uint32_t mxcsr;
} __attribute__((aligned(16))) fpu_pattern_t;

uint64_t fpu_call_probe(const fpu_pattern_t *pattern, cptr_t ep);

/* A thread without an FPU that faults on the first FPU instruction. */
static void nofpu_fault(const char *program, cptr_t handler)
{
    cptr_t tcb;
    tcb_registers_t r;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)program, 0, THREAD_PRIORITY, &tcb));
    CHECK_OK(tcb_set_flags(tcb, TCB_FLAG_NO_FPU));
    if (handler != CAP_NULL) {
        CHECK_OK(tcb_set_fault_handler(tcb, handler));
    }
    CHECK_OK(tcb_resume(tcb));
    if (handler != CAP_NULL) {
        sys_result_t m = sys_recv(handler);
        CHECK_OK(m.err);
        CHECK_EQ(msginfo_label(m.info), FAULT_OTHER);
        CHECK_EQ(m.mr[0], VEC_NM);
        CHECK_EQ(m.mr[3], (uint64_t)program);
        CHECK_OK(root_reply_regs(FAULT_REPLY_STOP, NULL));
    }
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_NM);
    CHECK_EQ(r.regs.rip, (uint64_t)program);
    /* the flag can be cleared again: then the instruction runs */
    CHECK_OK(tcb_set_fault_handler(tcb, 0));
    CHECK_OK(tcb_set_flags(tcb, 0));
    CHECK_OK(tcb_resume(tcb));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, 6);
}

void test_no_fpu_fault(void)
{
    cptr_t ep, tcb;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_STEP(nofpu_fault(sse_program, CAP_NULL));
    CHECK_STEP(nofpu_fault(x87_program, CAP_NULL));
    CHECK_STEP(nofpu_fault(sse_program, ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_ERR_ARG(tcb_set_flags(tcb, 0x2), KERR_INVALID_ARGUMENT, 0);
    CHECK_ERR_ARG(kernel_invoke(tcb, INV_TCB_SET_FLAGS, (uint64_t[]){~0ull}, 1, NULL, 0),
                  KERR_INVALID_ARGUMENT, 0);
}

static fpu_pattern_t fpu_pattern;

/* The root's XMM registers and MXCSR survive calls to a server without an
 * FPU, also when an FPU thread clobbers the FPU while the server yields. */
void test_no_fpu_switch(void)
{
    cptr_t ep, server, clobber;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    for (unsigned r = 0; r < 16; r++) {
        for (unsigned b = 0; b < 16; b++) {
            fpu_pattern.xmm[r][b] = (uint8_t)(r * 17 + b * 3 + 1);
        }
    }
    fpu_pattern.mxcsr = 0x1f80 | 0x4000; /* round down */
    nofpu_served = 0;
    clobber_rounds_fpu = 0;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)nofpu_server, ep, THREAD_PRIORITY, &server));
    CHECK_OK(tcb_set_flags(server, TCB_FLAG_NO_FPU));
    user_regs_t regs = thread_regs((uint64_t)nofpu_server, ep, server);
    regs.rdx = 3; /* yields before each answer */
    CHECK_OK(tcb_write_registers(server, REGS_WRITE_RESUME, &regs, NULL));
    CHECK(wait_state(server, TCB_STATE_BLOCKED_RECV));
    CHECK_EQ(fpu_call_probe(&fpu_pattern, ep), 0);
    CHECK_OK(thread_spawn((thread_fn_t)fpu_clobber, 0, &clobber));
    for (unsigned i = 0; i < 5; i++) {
        CHECK_EQ(fpu_call_probe(&fpu_pattern, ep), 0);
    }
    CHECK_EQ(nofpu_served, 6);
    CHECK(clobber_rounds_fpu > 0);
    CHECK_OK(tcb_suspend(clobber));
}
