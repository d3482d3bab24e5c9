/*
 * User-mode faults stop only the faulting thread: a write to address 0, ud2,
 * a Linux (non-negative) system call number, a divide error, privileged
 * instructions, kernel segment selectors, software interrupts through
 * kernel-only gates and reads of kernel memory each leave
 * their thread FAULTED with the vector, error code, address and RIP of the
 * fault, while a bystander thread and the root keep running; a faulted
 * thread can be restarted with WriteRegisters.
 */
#include <stddef.h>

#include "check.h"
#include "helper.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ANY (~0ull)
#define VEC_DE 0
#define VEC_UD 6
#define VEC_GP 13
#define VEC_PF 14
#define FAULT_UNKNOWN_SYSCALL 0x100
#define LINUX_SYSCALL 39 /* getpid */
#define PF_PRESENT 0x1u
#define PF_USER 0x4u
/* 1 MiB into the kernel's direct map of RAM, and the kernel's first page
 * of text (arch/layout.h): both mapped, neither for user mode. */
#define KERNEL_DIRECT_VA 0xffff800000100000ull
#define KERNEL_TEXT_VA 0xffffffff80200000ull

/* Each program faults at its label; *_next is the instruction after. */
__asm__("    .text\n"
        "    .global null_write_program, ud2_program, linux_syscall_program\n"
        "    .global linux_syscall_next, divide_program, hlt_program, int3_program\n"
        "    .global int_timer_program, int80_program, cr3_program, wrmsr_program\n"
        "    .global kernel_ds_program, kernel_ds_insn, far_return_program, far_return_insn\n"
        "    .global read_program\n"
        "null_write_program:\n"
        "    movq $1, 0\n"
        "    ud2\n"
        "ud2_program:\n"
        "    ud2\n"
        "linux_syscall_program:\n"
        "    mov $39, %eax\n"
        "    syscall\n"
        "linux_syscall_next:\n"
        "    ud2\n"
        "divide_program:\n"
        "    div %rcx\n"
        "    ud2\n"
        "hlt_program:\n"
        "    hlt\n"
        "    ud2\n"
        "int3_program:\n"
        "    int3\n"
        "    ud2\n"
        "int_timer_program:\n"
        "    int $0x40\n"
        "    ud2\n"
        "int80_program:\n"
        "    int $0x80\n"
        "    ud2\n"
        "cr3_program:\n"
        "    mov %cr3, %rax\n"
        "    ud2\n"
        "wrmsr_program:\n"
        "    wrmsr\n"
        "    ud2\n"
        "kernel_ds_program:\n"
        "    mov $0x10, %eax\n"
        "kernel_ds_insn:\n"
        "    mov %eax, %ds\n"
        "    ud2\n"
        "far_return_program:\n"
        "    push $0x1b\n" /* the placeholder below user CS: no 32-bit code segment */
        "    push $0\n"
        "far_return_insn:\n"
        "    lretq\n"
        "read_program:\n" /* rdi: the address to read */
        "    mov (%rdi), %rax\n"
        "    ud2\n");

extern const char null_write_program[], ud2_program[], linux_syscall_program[];
extern const char linux_syscall_next[], divide_program[], hlt_program[], int3_program[];
extern const char int_timer_program[], int80_program[], cr3_program[], wrmsr_program[];
extern const char kernel_ds_program[], kernel_ds_insn[], far_return_program[], far_return_insn[];
extern const char read_program[];

typedef struct {
    const char *name;
    const char *program;
    uint64_t vector, error, addr; /* ANY: not checked */
    const char *rip;              /* where the thread stands after the fault */
    uint64_t arg;                 /* the program's rdi */
} fault_case_t;

static const fault_case_t cases[] = {
    {"write to 0", null_write_program, VEC_PF, ANY, 0, null_write_program, 0},
    {"ud2", ud2_program, VEC_UD, 0, ANY, ud2_program, 0},
    {"Linux syscall", linux_syscall_program, FAULT_UNKNOWN_SYSCALL, LINUX_SYSCALL, ANY,
     linux_syscall_next, 0},
    {"divide by zero", divide_program, VEC_DE, 0, ANY, divide_program, 0},
    {"hlt", hlt_program, VEC_GP, 0, ANY, hlt_program, 0},
    /* through a gate of DPL 0: #GP naming the gate (QEMU's error code
     * differs from the CPUs' here, so it is not checked) */
    {"int3", int3_program, VEC_GP, ANY, ANY, int3_program, 0},
    {"int $0x40", int_timer_program, VEC_GP, ANY, ANY, int_timer_program, 0},
    {"int $0x80", int80_program, VEC_GP, ANY, ANY, int80_program, 0},
    {"mov %cr3", cr3_program, VEC_GP, 0, ANY, cr3_program, 0},
    {"wrmsr", wrmsr_program, VEC_GP, 0, ANY, wrmsr_program, 0},
    {"load kernel DS", kernel_ds_program, VEC_GP, 0x10, ANY, kernel_ds_insn, 0},
    {"far return to selector 0x1b", far_return_program, VEC_GP, 0x18, ANY, far_return_insn, 0},
    /* kernel memory is present but not the user's */
    {"read the direct map", read_program, VEC_PF, PF_PRESENT | PF_USER, KERNEL_DIRECT_VA,
     read_program, KERNEL_DIRECT_VA},
    {"read kernel text", read_program, VEC_PF, PF_PRESENT | PF_USER, KERNEL_TEXT_VA, read_program,
     KERNEL_TEXT_VA},
};

static volatile uint64_t bystander_counter;

static void bystander_thread(uint64_t arg, cptr_t self)
{
    (void)arg;
    (void)self;
    for (;;) {
        bystander_counter++;
    }
}

static bool field_matches(uint64_t want, uint64_t got)
{
    return want == ANY || want == got;
}

/* Runs one case in a new thread; records a failure if it does not stop as
 * the case says. */
static void run_case(const fault_case_t *c)
{
    cptr_t tcb;
    tcb_registers_t r;
    kerr_t err = thread_new(CAP_INIT_POOL, (uint64_t)c->program, c->arg, THREAD_PRIORITY, &tcb);
    if (err == KERR_OK) {
        err = tcb_resume(tcb);
    }
    if (err != KERR_OK) {
        check_fail(__FILE__, __LINE__, "%s: starting the thread: %s", c->name, kerr_name(err));
        return;
    }
    uint64_t state = thread_wait(tcb, &r);
    if (state != TCB_STATE_FAULTED || r.fault_vector != c->vector ||
        !field_matches(c->error, r.fault_error) || !field_matches(c->addr, r.fault_addr) ||
        r.regs.rip != (uint64_t)c->rip) {
        check_fail(__FILE__, __LINE__,
                   "%s: state %lu vector 0x%lx error 0x%lx addr 0x%lx rip 0x%lx; expected "
                   "vector 0x%lx rip 0x%lx",
                   c->name, state, r.fault_vector, r.fault_error, r.fault_addr, r.regs.rip,
                   c->vector, (uint64_t)c->rip);
    }
}

void test_fault_user(void)
{
    cptr_t bystander;
    bystander_counter = 0;
    CHECK_OK(thread_spawn(bystander_thread, 0, &bystander));
    CHECK(wait_change(&bystander_counter, 0));
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        CHECK_STEP(run_case(&cases[i]));
    }
    /* the bystander kept running through all of it */
    tcb_registers_t r;
    CHECK(wait_change(&bystander_counter, bystander_counter));
    CHECK_OK(tcb_read_registers(bystander, &r));
    CHECK_EQ(r.state, TCB_STATE_RUNNABLE);
}

void test_fault_null_write(void)
{
    CHECK_STEP(run_case(&cases[0]));
}

void test_fault_ud2(void)
{
    CHECK_STEP(run_case(&cases[1]));
}

void test_fault_linux_syscall(void)
{
    CHECK_STEP(run_case(&cases[2]));
}

static volatile uint64_t restarted;

static void restarted_thread(uint64_t arg, cptr_t self)
{
    restarted = arg;
    thread_exit(self);
}

void test_fault_restart(void)
{
    cptr_t tcb;
    tcb_registers_t r;
    restarted = 0;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)ud2_program, 0, THREAD_PRIORITY, &tcb));
    CHECK_OK(tcb_resume(tcb));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    /* resumed as it is, it runs the faulting instruction again */
    CHECK_OK(tcb_resume(tcb));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_UD);
    user_regs_t regs = thread_regs((uint64_t)restarted_thread, 0x600d, tcb);
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_INACTIVE);
    CHECK_EQ(restarted, 0x600d);
}
