/*
 * What every invocation shares: CPtr lookup (empty slot, CPtr beyond the
 * CNode), argument types, message length and labels; and the native system
 * calls themselves: unknown numbers, Yield, which registers survive a call
 * or a preemption, and Debug_Write.
 */
#include <stddef.h>

#include "check.h"
#include "helper.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void test_invalid_cptr(void)
{
    cptr_t empty = slot_alloc(), dest = slot_alloc(), tcb;
    uint64_t beyond = root_slots();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    /* the invoked capability */
    CHECK_ERR_ARG(tcb_suspend(empty), KERR_INVALID_CAP, KERR_ARG_NONE);
    CHECK_ERR_ARG(tcb_suspend(CAP_NULL), KERR_INVALID_CAP, KERR_ARG_NONE);
    CHECK_ERR_ARG(tcb_suspend(beyond), KERR_INVALID_CAP, KERR_ARG_NONE);
    CHECK_ERR_ARG(tcb_suspend(~0ull - 1), KERR_INVALID_CAP, KERR_ARG_NONE);
    /* ~0 names the caller's own reply capability, and none is pending */
    CHECK_ERR_ARG(tcb_suspend(CAP_REPLY_CURRENT), KERR_NO_CALLER, KERR_ARG_NONE);
    /* a capability argument */
    CHECK_ERR_ARG(pool_create(CAP_INIT_POOL, OBJ_FRAME, 0, empty, dest), KERR_INVALID_CAP, 2);
    CHECK_ERR_ARG(pool_create(CAP_INIT_POOL, OBJ_FRAME, 0, beyond, dest), KERR_INVALID_CAP, 2);
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, empty, va_alloc(1), MAP_READ), KERR_INVALID_CAP, 0);
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, beyond + 7), KERR_INVALID_CAP, 0);
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, dest, empty, CAP_INIT_TCB, RIGHTS_ALL),
                  KERR_INVALID_CAP, 1);
    CHECK_ERR_ARG(tcb_set_priority(tcb, beyond, 1), KERR_INVALID_CAP, 0);
    CHECK_ERR_ARG(tcb_configure(tcb, CAP_INIT_CNODE, empty, 0, 0), KERR_INVALID_CAP, 1);
    CHECK_EQ(slot_type(dest), OBJ_NULL);
}

void test_wrong_type(void)
{
    cptr_t dest = slot_alloc(), tcb, frame;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_ERR_ARG(pool_create(CAP_INIT_POOL, OBJ_FRAME, 0, CAP_INIT_TCB, dest), KERR_WRONG_TYPE, 2);
    CHECK_ERR_ARG(pool_split(CAP_INIT_POOL, 4096, CAP_INIT_VSPACE, dest), KERR_WRONG_TYPE, 1);
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, dest, CAP_INIT_POOL, CAP_INIT_TCB, RIGHTS_ALL),
                  KERR_WRONG_TYPE, 1);
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, tcb, va_alloc(1), MAP_READ), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, CAP_INIT_CNODE), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(tcb_configure(tcb, CAP_INIT_VSPACE, CAP_INIT_VSPACE, 0, 0), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_CNODE, 0, 0), KERR_WRONG_TYPE, 1);
    CHECK_ERR_ARG(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, tcb, 0), KERR_WRONG_TYPE, 2);
    CHECK_ERR_ARG(tcb_set_priority(tcb, frame, 1), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(tcb_set_mcp(tcb, CAP_INIT_POOL, 1), KERR_WRONG_TYPE, 0);
    CHECK_EQ(slot_type(dest), OBJ_NULL);
}

typedef struct {
    const char *name;
    uint64_t label;
    obj_type_t type;
    unsigned args;
} invocation_desc_t;

static const invocation_desc_t invocations[] = {
#define INVOCATION(name, label, object, args) {#name, label, OBJ_##object, args},
#include "uapi/invocations.def"
#undef INVOCATION
};

/* A capability to invoke for each object type; CAP_NULL for the types a
 * Call does not invoke (endpoints and notifications take IPC) and for
 * reply capabilities, which only exist during a call (test_ipc.c). */
static cptr_t cap_of_type(obj_type_t type, cptr_t tcb, cptr_t frame)
{
    switch (type) {
    case OBJ_IRQ_CONTROL:
        return CAP_INIT_IRQ_CONTROL;
    case OBJ_IO_PORT:
        return CAP_INIT_IO_PORT;
    case OBJ_POOL:
        return CAP_INIT_POOL;
    case OBJ_CNODE:
        return CAP_INIT_CNODE;
    case OBJ_TCB:
        return tcb;
    case OBJ_VSPACE:
        return CAP_INIT_VSPACE;
    case OBJ_FRAME:
        return frame;
    case OBJ_DEBUG:
        return CAP_INIT_DEBUG;
    default:
        return CAP_NULL;
    }
}

void test_truncated_message(void)
{
    static const uint64_t zeros[MSG_MAX_REGISTERS];
    cptr_t tcb;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    /* every invocation of invocations.def, one word short */
    for (size_t i = 0; i < ARRAY_LEN(invocations); i++) {
        const invocation_desc_t *d = &invocations[i];
        cptr_t cap = cap_of_type(d->type, tcb, CAP_NULL);
        if (d->args == 0 || cap == CAP_NULL) {
            continue;
        }
        kerr_t err = kernel_invoke(cap, d->label, zeros, d->args - 1, NULL, 0);
        if (err != KERR_TRUNCATED_MESSAGE || kernel_bad_arg() != KERR_ARG_NONE) {
            check_fail(__FILE__, __LINE__, "%s with %u words: expected TRUNCATED_MESSAGE, got %s",
                       d->name, d->args - 1, kerr_name(err));
            return;
        }
    }
    /* TCB_WriteRegisters needs every register, and the FPU image if it says so */
    uint64_t words[REGS_WRITE_WORDS] = {0};
    CHECK_ERR(kernel_invoke(tcb, INV_TCB_WRITE_REGISTERS, words, REGS_WORDS, NULL, 0),
              KERR_TRUNCATED_MESSAGE);
    words[0] = REGS_WRITE_FPU;
    CHECK_ERR(kernel_invoke(tcb, INV_TCB_WRITE_REGISTERS, words, 1 + REGS_WORDS, NULL, 0),
              KERR_TRUNCATED_MESSAGE);
    CHECK_ERR(kernel_invoke(tcb, INV_TCB_WRITE_REGISTERS, words, REGS_WRITE_WORDS - 1, NULL, 0),
              KERR_TRUNCATED_MESSAGE);
}

void test_invalid_label(void)
{
    static const uint64_t bogus[] = {0, 5, 99, 1ull << 40};
    uint64_t args[3] = {0};
    cptr_t tcb, frame;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    for (obj_type_t type = OBJ_POOL; type < OBJ_COUNT; type++) {
        if (cap_of_type(type, tcb, frame) == CAP_NULL) {
            continue;
        }
        for (size_t i = 0; i < ARRAY_LEN(bogus); i++) {
            CHECK_ERR_ARG(kernel_invoke(cap_of_type(type, tcb, frame), bogus[i], NULL, 0, NULL, 0),
                          KERR_INVALID_LABEL, KERR_ARG_NONE);
        }
    }
    /* a label of another object type */
    CHECK_ERR(kernel_invoke(CAP_INIT_CNODE, INV_POOL_INFO, NULL, 0, NULL, 0), KERR_INVALID_LABEL);
    CHECK_ERR(kernel_invoke(CAP_INIT_VSPACE, INV_TCB_RESUME, NULL, 0, NULL, 0), KERR_INVALID_LABEL);
    CHECK_ERR(kernel_invoke(tcb, INV_VSPACE_MAP, args, 3, NULL, 0), KERR_INVALID_LABEL);
    CHECK_ERR(kernel_invoke(CAP_INIT_POOL, INV_DEBUG_SHUTDOWN, args, 1, NULL, 0),
              KERR_INVALID_LABEL);
    /* a Frame has no invocation at all */
    for (size_t i = 0; i < ARRAY_LEN(invocations); i++) {
        CHECK_ERR(kernel_invoke(frame, invocations[i].label, args, 3, NULL, 0), KERR_INVALID_LABEL);
    }
}

static kerr_t raw_syscall(int64_t number)
{
    uint64_t rax = (uint64_t)number;
    __asm__ volatile("syscall"
                     : "+a"(rax)
                     :
                     : "rcx", "r11", "rdi", "rsi", "rdx", "r8", "r9", "r10", "memory");
    return (kerr_t)rax;
}

void test_unknown_syscall(void)
{
    static const int64_t numbers[] = {SYS_MIN_NATIVE - 1, -9, -50, INT64_MIN};
    for (size_t i = 0; i < ARRAY_LEN(numbers); i++) {
        CHECK_ERR(raw_syscall(numbers[i]), KERR_UNKNOWN_SYSCALL);
    }
    CHECK_ERR(raw_syscall(SYS_YIELD), KERR_OK);
}

void test_yield(void)
{
    CHECK_OK(sys_yield());
    for (int i = 0; i < 100; i++) {
        CHECK_OK(sys_yield());
    }
}

/*
 * syscall_probe(number, cptr, info): makes the system call with known
 * values in the registers the ABI preserves (rbx, rbp, rdi, r12-r15) and
 * returns a bit mask of those that came back changed.
 * preempt_probe(rounds, want): the same around a loop that spins until
 * *rounds >= want, so timer preemptions happen in the middle; every
 * register but rsp, rdi, rsi and the flags is checked (bits 0..12).
 */
__asm__(".macro CHECK_REG reg, value, bit\n"
        "    movabs $\\value, %rcx\n"
        "    cmp %rcx, \\reg\n"
        "    je 1f\n"
        "    bts $\\bit, %r11\n"
        "1:\n"
        ".endm\n"
        ".macro SAVE_CALLEE\n"
        "    push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
        ".endm\n"
        ".macro RESTORE_CALLEE\n"
        "    pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
        ".endm\n"
        ".macro LOAD_CALLEE\n"
        "    movabs $0x1111111111111111, %rbx\n"
        "    movabs $0x2222222222222222, %rbp\n"
        "    movabs $0x3333333333333333, %r12\n"
        "    movabs $0x4444444444444444, %r13\n"
        "    movabs $0x5555555555555555, %r14\n"
        "    movabs $0x6666666666666666, %r15\n"
        ".endm\n"
        ".macro CHECK_CALLEE\n"
        "    CHECK_REG %rbx, 0x1111111111111111, 0\n"
        "    CHECK_REG %rbp, 0x2222222222222222, 1\n"
        "    CHECK_REG %r12, 0x3333333333333333, 2\n"
        "    CHECK_REG %r13, 0x4444444444444444, 3\n"
        "    CHECK_REG %r14, 0x5555555555555555, 4\n"
        "    CHECK_REG %r15, 0x6666666666666666, 5\n"
        ".endm\n"
        "    .text\n"
        "    .global syscall_probe\n"
        "syscall_probe:\n"
        "    SAVE_CALLEE\n"
        "    mov %rdi, %rax\n"
        "    mov %rsi, %rdi\n"
        "    mov %rdx, %rsi\n"
        "    push %rdi\n"
        "    LOAD_CALLEE\n"
        "    syscall\n"
        "    xor %r11d, %r11d\n"
        "    CHECK_CALLEE\n"
        "    cmp (%rsp), %rdi\n"
        "    je 1f\n"
        "    bts $6, %r11\n"
        "1:  add $8, %rsp\n"
        "    mov %r11, %rax\n"
        "    RESTORE_CALLEE\n"
        "    ret\n"
        "    .global preempt_probe\n"
        "preempt_probe:\n"
        "    SAVE_CALLEE\n"
        "    LOAD_CALLEE\n"
        "    movabs $0x7777777777777777, %rax\n"
        "    movabs $0x8888888888888888, %rcx\n"
        "    movabs $0x9999999999999999, %rdx\n"
        "    movabs $0xaaaaaaaaaaaaaaaa, %r8\n"
        "    movabs $0xbbbbbbbbbbbbbbbb, %r9\n"
        "    movabs $0xcccccccccccccccc, %r10\n"
        "    movabs $0xdddddddddddddddd, %r11\n"
        "2:  cmp %rsi, (%rdi)\n"
        "    jb 2b\n"
        "    push %r11\n"
        "    push %rcx\n"
        "    xor %r11d, %r11d\n"
        "    CHECK_CALLEE\n"
        "    CHECK_REG %rax, 0x7777777777777777, 6\n"
        "    CHECK_REG %rdx, 0x9999999999999999, 7\n"
        "    CHECK_REG %r8, 0xaaaaaaaaaaaaaaaa, 8\n"
        "    CHECK_REG %r9, 0xbbbbbbbbbbbbbbbb, 9\n"
        "    CHECK_REG %r10, 0xcccccccccccccccc, 10\n"
        "    pop %rax\n"
        "    CHECK_REG %rax, 0x8888888888888888, 11\n"
        "    pop %rax\n"
        "    CHECK_REG %rax, 0xdddddddddddddddd, 12\n"
        "    mov %r11, %rax\n"
        "    RESTORE_CALLEE\n"
        "    ret\n");

uint64_t syscall_probe(int64_t number, cptr_t cap, uint64_t info);
uint64_t preempt_probe(volatile uint64_t *rounds, uint64_t want);

volatile uint64_t clobber_rounds; /* the asm below increments it */

/* Scribbles on every general register, then yields, forever. */
__asm__("    .text\n"
        "    .global clobber_thread\n"
        "clobber_thread:\n"
        "    movabs $0xdeadbeefdeadbeef, %rax\n"
        "    mov %rax, %rbx\n mov %rax, %rcx\n mov %rax, %rdx\n mov %rax, %rsi\n"
        "    mov %rax, %rdi\n mov %rax, %rbp\n mov %rax, %r8\n mov %rax, %r9\n"
        "    mov %rax, %r10\n mov %rax, %r11\n mov %rax, %r12\n mov %rax, %r13\n"
        "    mov %rax, %r14\n mov %rax, %r15\n"
        "    lock incq clobber_rounds(%rip)\n"
        "    mov $-8, %rax\n"
        "    syscall\n"
        "    jmp clobber_thread\n");

void clobber_thread(uint64_t arg, cptr_t self);

void test_syscall_registers(void)
{
    cptr_t tcb;
    CHECK_OK(thread_spawn(clobber_thread, 0, &tcb));
    CHECK_EQ(syscall_probe(SYS_YIELD, 0, 0), 0);
    CHECK_EQ(syscall_probe(SYS_CALL, CAP_NULL, 0), 0);
    CHECK_EQ(syscall_probe(SYS_CALL, CAP_INIT_POOL, msginfo_make(INV_POOL_INFO, 0)), 0);
    CHECK_EQ(syscall_probe(-50, 0, 0), 0);
    CHECK(clobber_rounds > 0);
}

void test_preempt_registers(void)
{
    cptr_t tcb;
    clobber_rounds = 0;
    CHECK_OK(thread_spawn(clobber_thread, 0, &tcb));
    /* the root never yields here: only the timer lets the thread run */
    CHECK_EQ(preempt_probe(&clobber_rounds, 3), 0);
}

void test_debug_write(void)
{
    static const char line[] = "selftest-debug: hello from Debug_Write\n";
    uint64_t args[2] = {9, 0x0a6f6c6c6568ull}; /* "hello\n" */
    cptr_t ro;
    CHECK_OK(debug_write(CAP_INIT_DEBUG, line, sizeof(line) - 1));
    CHECK_OK(debug_write(CAP_INIT_DEBUG, "", 0));
    CHECK_ERR(kernel_invoke(CAP_INIT_DEBUG, INV_DEBUG_WRITE, NULL, 0, NULL, 0),
              KERR_TRUNCATED_MESSAGE);
    /* a length beyond the words sent */
    CHECK_ERR_ARG(kernel_invoke(CAP_INIT_DEBUG, INV_DEBUG_WRITE, args, 2, NULL, 0),
                  KERR_TRUNCATED_MESSAGE, 0);
    args[0] = 1000;
    CHECK_ERR_ARG(kernel_invoke(CAP_INIT_DEBUG, INV_DEBUG_WRITE, args, 2, NULL, 0),
                  KERR_TRUNCATED_MESSAGE, 0);
    args[0] = 6;
    CHECK_OK(kernel_invoke(CAP_INIT_DEBUG, INV_DEBUG_WRITE, args, 2, NULL, 0));
    /* Debug needs the write right */
    CHECK_OK(cap_derive(CAP_INIT_DEBUG, RIGHT_READ, &ro));
    CHECK_ERR(debug_write(ro, line, sizeof(line) - 1), KERR_NO_RIGHTS);
    CHECK_ERR(debug_shutdown(ro, 3), KERR_NO_RIGHTS);
    /* Write alone is log-only: controlling the machine needs Grant too */
    cptr_t log_only;
    CHECK_OK(cap_derive(CAP_INIT_DEBUG, RIGHT_WRITE, &log_only));
    CHECK_OK(debug_write(log_only, line, sizeof(line) - 1));
    CHECK_ERR(debug_shutdown(log_only, 3), KERR_NO_RIGHTS);
    CHECK_ERR(debug_reset(log_only), KERR_NO_RIGHTS);
    CHECK_ERR(debug_reclaim_console(log_only), KERR_NO_RIGHTS);
    uint64_t end;
    CHECK_ERR(debug_release_console(log_only, 0, &end), KERR_NO_RIGHTS);
}
