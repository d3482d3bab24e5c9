/*
 * Hostile register values handed to the kernel: non-canonical and
 * kernel-half RIP, RFLAGS asking for IOPL 3, NT, VM or RF (and a thread
 * that then tries `cli` and `out`), kernel-half FS and GS bases, stack
 * pointers nobody can use, the trap and direction flags into the kernel,
 * reserved MXCSR bits, unknown WriteRegisters flags. Each is refused or
 * sanitised, and whatever the thread does next only stops that thread.
 */
#include <stddef.h>

#include "capsule/string.h"
#include "check.h"
#include "helper.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ARG_OF(field) (1 + offsetof(user_regs_t, field) / 8)

#define RFLAGS_TF 0x100ull
#define RFLAGS_DF 0x400ull
#define RFLAGS_IOPL3 0x3000ull
#define RFLAGS_NT 0x4000ull
#define RFLAGS_RF 0x10000ull
#define RFLAGS_VM 0x20000ull
#define RFLAGS_VIF 0x80000ull
#define RFLAGS_VIP 0x100000ull
#define VEC_DB 1
#define VEC_UD 6
#define VEC_SS 12
#define VEC_GP 13
#define VEC_PF 14
#define FXSAVE_MXCSR 24

/* Small programs for threads, each stopping at a known instruction. */
__asm__("    .text\n"
        "    .global cli_program, out_program, push_program, trap_flag_program\n"
        "    .global trap_flag_return, trap_flag_after, mxcsr_program, count_program\n"
        "    .global count_program_end\n"
        "    .global mov_ss_program, mov_ss_return, syscall_push_program, syscall_push_insn\n"
        "cli_program:\n"
        "    cli\n"
        "    ud2\n"
        "out_program:\n"
        "    outb %al, $0x80\n"
        "    ud2\n"
        "push_program:\n"
        "    push %rax\n"
        "    ud2\n"
        "syscall_push_program:\n" /* rax: SYS_YIELD */
        "    syscall\n"
        "syscall_push_insn:\n"
        "    push %rax\n"
        "    ud2\n"
        "trap_flag_program:\n" /* rax: SYS_YIELD */
        "    syscall\n"
        "trap_flag_return:\n"
        "    nop\n"
        "trap_flag_after:\n"
        "    ud2\n"
        "mov_ss_program:\n" /* rbx: user SS; rax: SYS_YIELD */
        "    mov %ebx, %ss\n"
        "    syscall\n"
        "mov_ss_return:\n"
        "    nop\n"
        "    ud2\n"
        "count_program:\n" /* rdi: a counter to bump forever */
        "    incq (%rdi)\n"
        "    jmp count_program\n"
        "count_program_end:\n"
        "mxcsr_program:\n" /* rdi: where to store MXCSR; rsi: self; rdx: info */
        "    stmxcsr (%rdi)\n"
        "    mov %rsi, %rdi\n"
        "    mov %rdx, %rsi\n"
        "    mov $-1, %rax\n"
        "    syscall\n"
        "    ud2\n");

extern const char cli_program[], out_program[], push_program[], trap_flag_program[];
extern const char trap_flag_return[], trap_flag_after[], mxcsr_program[], count_program[];
extern const char mov_ss_program[], mov_ss_return[], syscall_push_program[];
extern const char syscall_push_insn[], count_program_end[];

/* A TCB in the root's CSpace with no VSpace: it can never run. */
static kerr_t parked_tcb(cptr_t *tcb, user_regs_t *regs)
{
    kerr_t err = object_new(CAP_INIT_POOL, OBJ_TCB, 0, tcb);
    if (err == KERR_OK) {
        err = tcb_configure(*tcb, CAP_INIT_CNODE, 0, 0, 0);
    }
    *regs = (user_regs_t){.rip = 0x401000, .rsp = 0x7fff00000ff8, .rflags = 0x202, .rax = 1};
    return err == KERR_OK ? tcb_write_registers(*tcb, 0, regs, NULL) : err;
}

void test_hostile_rip(void)
{
    static const uint64_t bad_rips[] = {
        0x0000800000000000ull, 0xffff800000000000ull, USER_LIMIT,
        0xffffffff80000000ull, 0x8000000000000000ull, ~0ull,
    };
    cptr_t tcb;
    user_regs_t good, bad;
    tcb_registers_t r;
    CHECK_OK(parked_tcb(&tcb, &good));
    for (size_t i = 0; i < ARRAY_LEN(bad_rips); i++) {
        bad = good;
        bad.rip = bad_rips[i];
        bad.rax = 0xbad;
        CHECK_ERR_ARG(tcb_write_registers(tcb, REGS_WRITE_RESUME, &bad, NULL),
                      KERR_INVALID_ARGUMENT, ARG_OF(rip));
    }
    /* a rejected write changed nothing */
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.regs.rip, good.rip);
    CHECK_EQ(r.regs.rax, good.rax);
    CHECK_EQ(r.state, TCB_STATE_INACTIVE);
    /* the last address below the limit is fine */
    bad.rip = USER_LIMIT - 1;
    CHECK_OK(tcb_write_registers(tcb, 0, &bad, NULL));
}

void test_hostile_rflags(void)
{
    static const uint64_t hostile[] = {
        0x3202,
        RFLAGS_IOPL3 | RFLAGS_NT | RFLAGS_VM | RFLAGS_RF | 0x2,
        RFLAGS_VIF | RFLAGS_VIP | RFLAGS_NT,
        ~0ull,
        0,
    };
    cptr_t tcb;
    user_regs_t regs;
    tcb_registers_t r;
    CHECK_OK(parked_tcb(&tcb, &regs));
    for (size_t i = 0; i < ARRAY_LEN(hostile); i++) {
        regs.rflags = hostile[i];
        CHECK_OK(tcb_write_registers(tcb, 0, &regs, NULL));
        CHECK_OK(tcb_read_registers(tcb, &r));
        CHECK_EQ(r.regs.rflags & RFLAGS_IOPL3, 0);
        CHECK_EQ(r.regs.rflags & RFLAGS_IF, RFLAGS_IF);
        CHECK_EQ(r.regs.rflags & (RFLAGS_NT | RFLAGS_VM | RFLAGS_RF | RFLAGS_VIF | RFLAGS_VIP), 0);
        CHECK_EQ(r.regs.rflags, (hostile[i] & RFLAGS_USER_MASK) | RFLAGS_IF);
    }
}

/* Starts `program` in a thread with `rflags`, `rsp` (0: its own stack)
 * and `rax`; returns its state once it stopped, its registers in `r`. */
static uint64_t run_program(const char *program, uint64_t rflags, uint64_t rsp, uint64_t rax,
                            tcb_registers_t *r)
{
    cptr_t tcb;
    if (thread_new(CAP_INIT_POOL, (uint64_t)program, 0, THREAD_PRIORITY, &tcb) != KERR_OK) {
        return ~0ull;
    }
    user_regs_t regs = thread_regs((uint64_t)program, 0, tcb);
    regs.rflags = rflags;
    regs.rsp = rsp != 0 ? rsp : regs.rsp;
    regs.rax = rax;
    if (tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL) != KERR_OK) {
        return ~0ull;
    }
    return thread_wait(tcb, r);
}

void test_hostile_iopl(void)
{
    tcb_registers_t r;
    /* asking for IOPL 3 gets IOPL 0: cli and out still fault */
    CHECK_EQ(run_program(cli_program, 0x3202, 0, 0, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_GP);
    CHECK_EQ(r.regs.rip, (uint64_t)cli_program);
    CHECK_EQ(r.regs.rflags & RFLAGS_IOPL3, 0);
    CHECK_EQ(run_program(out_program, 0x3202, 0, 0, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_GP);
    CHECK_EQ(r.regs.rip, (uint64_t)out_program);
}

void test_hostile_bases(void)
{
    static const uint64_t bad_bases[] = {
        0xffff800000000000ull,
        0x0000800000000000ull,
        0xffffffffffffffffull,
        0x8000000000000000ull,
    };
    cptr_t tcb;
    user_regs_t regs, bad;
    tcb_registers_t r;
    CHECK_OK(parked_tcb(&tcb, &regs));
    CHECK_OK(tcb_set_tls(tcb, 0x7fffffffffffull));
    for (size_t i = 0; i < ARRAY_LEN(bad_bases); i++) {
        CHECK_ERR_ARG(tcb_set_tls(tcb, bad_bases[i]), KERR_INVALID_ARGUMENT, 0);
        CHECK_ERR_ARG(tcb_set_tls(CAP_INIT_TCB, bad_bases[i]), KERR_INVALID_ARGUMENT, 0);
        bad = regs;
        bad.fs_base = bad_bases[i];
        CHECK_ERR_ARG(tcb_write_registers(tcb, 0, &bad, NULL), KERR_INVALID_ARGUMENT,
                      ARG_OF(fs_base));
        bad = regs;
        bad.gs_base = bad_bases[i];
        CHECK_ERR_ARG(tcb_write_registers(tcb, 0, &bad, NULL), KERR_INVALID_ARGUMENT,
                      ARG_OF(gs_base));
    }
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.regs.fs_base, 0x7fffffffffffull);
    CHECK_EQ(r.regs.gs_base, 0);
}

void test_hostile_rsp(void)
{
    tcb_registers_t r;
    /* a non-canonical stack pointer: the push faults in user mode */
    CHECK_EQ(run_program(push_program, 0x202, 0x0000900000000000ull, 0, &r), TCB_STATE_FAULTED);
    CHECK(r.fault_vector == VEC_SS || r.fault_vector == VEC_GP);
    CHECK_EQ(r.regs.rip, (uint64_t)push_program);
    /* a kernel-half one: a page fault on the kernel's address, refused */
    CHECK_EQ(run_program(push_program, 0x202, 0xffffffff80001000ull, 0, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_PF);
    CHECK_EQ(r.fault_addr, 0xffffffff80000ff8ull);
    CHECK_EQ(r.regs.rip, (uint64_t)push_program);
    /* a system call does not use the stack: it returns (by sysretq) to a
     * non-canonical stack pointer, and only the next push faults */
    CHECK_EQ(
        run_program(syscall_push_program, 0x202, 0x0000900000000000ull, (uint64_t)SYS_YIELD, &r),
        TCB_STATE_FAULTED);
    CHECK(r.fault_vector == VEC_SS || r.fault_vector == VEC_GP);
    CHECK_EQ(r.regs.rip, (uint64_t)syscall_push_insn);
    CHECK_EQ(r.regs.rax, KERR_OK);
}

void test_hostile_trap_flag(void)
{
    cptr_t tcb;
    tcb_registers_t r;
    /* the first instruction, single-stepped, is a system call: the trap
     * must not be taken in the kernel (the entry masks TF) but in user
     * mode, once back (QEMU) or after one more instruction */
    CHECK_EQ(run_program(trap_flag_program, 0x202 | RFLAGS_TF, 0, (uint64_t)SYS_YIELD, &r),
             TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_DB);
    CHECK(r.regs.rip == (uint64_t)trap_flag_return || r.regs.rip == (uint64_t)trap_flag_after);
    CHECK_EQ(r.regs.rax, KERR_OK);
    /* a load of SS delays the single-step trap past the system call that
     * follows (the trick of CVE-2018-8897): still taken in user mode */
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)mov_ss_program, 0, THREAD_PRIORITY, &tcb));
    user_regs_t regs = thread_regs((uint64_t)mov_ss_program, 0, tcb);
    regs.rflags = 0x202 | RFLAGS_TF;
    regs.rax = (uint64_t)SYS_YIELD;
    regs.rbx = 0x23;
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_DB);
    CHECK(r.regs.rip == (uint64_t)mov_ss_return || r.regs.rip == (uint64_t)mov_ss_return + 1);
}

static volatile uint64_t df_counter;

void test_hostile_direction_flag(void)
{
    cptr_t tcb;
    tcb_registers_t r;
    pool_stats_t before = pool_stats(CAP_INIT_POOL);
    /* interrupts and exceptions arrive with the thread's DF: the kernel
     * must clear it before its own string instructions run */
    df_counter = 0;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)count_program, 0, THREAD_PRIORITY, &tcb));
    user_regs_t regs = thread_regs((uint64_t)count_program, (uint64_t)&df_counter, tcb);
    regs.rflags = 0x202 | RFLAGS_DF;
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    for (int i = 0; i < 5; i++) {
        CHECK(wait_change(&df_counter, df_counter));
        spin_cycles(10000000); /* let the timer preempt the thread */
    }
    CHECK_OK(tcb_suspend(tcb));
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.regs.rflags & RFLAGS_DF, RFLAGS_DF);
    CHECK(r.regs.rip >= (uint64_t)count_program && r.regs.rip < (uint64_t)count_program_end);
    /* and a fault with DF set */
    CHECK_EQ(run_program(cli_program, 0x202 | RFLAGS_DF, 0, 0, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_GP);
    CHECK_EQ(r.regs.rip, (uint64_t)cli_program);
    CHECK_EQ(slot_type(tcb), OBJ_TCB);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, tcb));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects + 1);
}

void test_hostile_mxcsr(void)
{
    static uint8_t fpu[FPU_IMAGE_BYTES] __attribute__((aligned(16)));
    static volatile uint32_t seen;
    const uint32_t all = 0xffffffffu;
    cptr_t tcb;
    tcb_registers_t r;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)mxcsr_program, 0, THREAD_PRIORITY, &tcb));
    CHECK_OK(tcb_read_registers(tcb, &r));
    memcpy(fpu, r.fpu, FPU_IMAGE_BYTES);
    memcpy(&fpu[FXSAVE_MXCSR], &all, sizeof(all));
    user_regs_t regs = thread_regs((uint64_t)mxcsr_program, (uint64_t)&seen, tcb);
    regs.rdx = msginfo_make(INV_TCB_SUSPEND, 0);
    /* reserved MXCSR bits would make fxrstor fault in the kernel */
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, fpu));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_INACTIVE);
    CHECK_EQ(seen, 0xffff);
}

void test_hostile_write_flags(void)
{
    cptr_t tcb;
    user_regs_t regs;
    uint64_t words[1 + REGS_WORDS] = {0};
    CHECK_OK(parked_tcb(&tcb, &regs));
    memcpy(&words[1], &regs, sizeof(regs));
    words[0] = 0x4;
    CHECK_ERR_ARG(kernel_invoke(tcb, INV_TCB_WRITE_REGISTERS, words, 1 + REGS_WORDS, NULL, 0),
                  KERR_INVALID_ARGUMENT, 0);
    words[0] = ~0ull & ~(uint64_t)REGS_WRITE_FPU;
    CHECK_ERR_ARG(kernel_invoke(tcb, INV_TCB_WRITE_REGISTERS, words, 1 + REGS_WORDS, NULL, 0),
                  KERR_INVALID_ARGUMENT, 0);
}
