/*
 * TCBs: the state of a new one, Configure and its checks, Resume and
 * Suspend, the right each invocation needs, Read/WriteRegisters (a full
 * round trip, the FPU image reaching the thread and back, never on the
 * caller), SetPriority/SetMCP bounded by the authority's MCP, SetTLS (FS and
 * GS bases as the thread sees them), a thread's own IPC buffer, a thread
 * deleting its own TCB, and one dropping or replacing its own VSpace.
 */
#include <stddef.h>

#include "capsule/string.h"
#include "check.h"
#include "helper.h"

#define FXSAVE_FCW 0
#define FXSAVE_MXCSR 24
#define FXSAVE_XMM0 160
#define MXCSR_DEFAULT 0x1f80u
#define FCW_DEFAULT 0x037fu
#define RIP_WORD (offsetof(user_regs_t, rip) / 8)
#define RFLAGS_WORD (offsetof(user_regs_t, rflags) / 8)
#define STR_(x) #x
#define STR(x) STR_(x)

static volatile uint64_t spin_counter;

static void counter_thread(uint64_t arg, cptr_t self)
{
    (void)arg;
    (void)self;
    for (;;) {
        spin_counter++;
    }
}

void test_tcb_fresh_state(void)
{
    cptr_t tcb;
    tcb_registers_t r;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.state, TCB_STATE_INACTIVE);
    CHECK_EQ(r.fault_vector, 0);
    const uint64_t *w = (const uint64_t *)&r.regs;
    for (unsigned i = 0; i < REGS_WORDS; i++) {
        CHECK_EQ(w[i], i == RFLAGS_WORD ? RFLAGS_IF : 0);
    }
    uint16_t fcw;
    uint32_t mxcsr;
    memcpy(&fcw, &r.fpu[FXSAVE_FCW], sizeof(fcw));
    memcpy(&mxcsr, &r.fpu[FXSAVE_MXCSR], sizeof(mxcsr));
    CHECK_EQ(fcw, FCW_DEFAULT);
    CHECK_EQ(mxcsr, MXCSR_DEFAULT);
    for (unsigned i = FXSAVE_XMM0; i < FPU_IMAGE_BYTES; i++) {
        CHECK_EQ(r.fpu[i], 0);
    }
}

void test_tcb_configure(void)
{
    cptr_t tcb, ipc, ro_ipc, empty = slot_alloc();
    uint64_t va = va_alloc(1);
    pool_stats_t before = pool_stats(CAP_INIT_POOL);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &ipc));
    CHECK_OK(cap_derive(ipc, RIGHT_READ, &ro_ipc));
    CHECK_ERR_ARG(tcb_configure(tcb, empty, CAP_INIT_VSPACE, ipc, va), KERR_INVALID_CAP, 0);
    CHECK_ERR_ARG(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, ro_ipc, va), KERR_NO_RIGHTS,
                  2);
    CHECK_ERR_ARG(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, ipc, va + 8), KERR_ALIGNMENT,
                  3);
    CHECK_ERR_ARG(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, ipc, USER_MAP_LIMIT),
                  KERR_RANGE, 3);
    CHECK_ERR_ARG(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, ipc, ~0ull << 12), KERR_RANGE,
                  3);
    CHECK_OK(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, ipc, va));
    /* the TCB holds its own copy of the IPC frame */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, ipc));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, ro_ipc));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects + 2);
    /* configuring it away frees the frame */
    CHECK_OK(tcb_configure(tcb, 0, 0, 0, 0));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects + 1);
}

void test_tcb_resume_no_vspace(void)
{
    cptr_t tcb;
    tcb_registers_t r;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_ERR_ARG(tcb_resume(tcb), KERR_INVALID_ARGUMENT, KERR_ARG_NONE);
    CHECK_OK(tcb_configure(tcb, CAP_INIT_CNODE, 0, 0, 0));
    CHECK_ERR_ARG(tcb_resume(tcb), KERR_INVALID_ARGUMENT, KERR_ARG_NONE);
    /* WriteRegisters' resume flag does nothing without a VSpace */
    user_regs_t regs = thread_regs((uint64_t)counter_thread, 0, tcb);
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.state, TCB_STATE_INACTIVE);
    /* with one it runs; taking the VSpace away stops it */
    spin_counter = 0;
    CHECK_OK(tcb_set_priority(tcb, CAP_INIT_TCB, THREAD_PRIORITY));
    CHECK_OK(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, 0, 0));
    CHECK_OK(tcb_resume(tcb));
    CHECK(wait_change(&spin_counter, 0));
    CHECK_OK(tcb_configure(tcb, CAP_INIT_CNODE, 0, 0, 0));
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.state, TCB_STATE_INACTIVE);
    uint64_t frozen = spin_counter;
    for (int i = 0; i < 20; i++) {
        sys_yield();
    }
    CHECK_EQ(spin_counter, frozen);
}

void test_tcb_suspend_resume(void)
{
    cptr_t tcb;
    tcb_registers_t r;
    spin_counter = 0;
    CHECK_OK(thread_spawn(counter_thread, 0, &tcb));
    CHECK(wait_change(&spin_counter, 0));
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.state, TCB_STATE_RUNNABLE);
    CHECK_OK(tcb_suspend(tcb));
    CHECK_OK(tcb_suspend(tcb));
    CHECK_OK(tcb_read_registers(tcb, &r));
    CHECK_EQ(r.state, TCB_STATE_INACTIVE);
    uint64_t frozen = spin_counter;
    for (int i = 0; i < 20; i++) {
        sys_yield();
    }
    CHECK_EQ(spin_counter, frozen);
    CHECK_OK(tcb_resume(tcb));
    CHECK_OK(tcb_resume(tcb));
    CHECK(wait_change(&spin_counter, frozen));
}

void test_tcb_rights(void)
{
    cptr_t tcb, ro, wo;
    tcb_registers_t r;
    user_regs_t regs = {.rip = 0x401000, .rflags = 0x202};
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_OK(cap_derive(tcb, RIGHT_READ, &ro));
    CHECK_OK(cap_derive(tcb, RIGHT_WRITE, &wo));
    /* reading registers needs the read right; everything else the write right */
    CHECK_OK(tcb_read_registers(ro, &r));
    CHECK_ERR_ARG(tcb_read_registers(wo, &r), KERR_NO_RIGHTS, KERR_ARG_NONE);
    CHECK_ERR(tcb_suspend(ro), KERR_NO_RIGHTS);
    CHECK_ERR(tcb_resume(ro), KERR_NO_RIGHTS);
    CHECK_ERR(tcb_configure(ro, CAP_INIT_CNODE, CAP_INIT_VSPACE, 0, 0), KERR_NO_RIGHTS);
    CHECK_ERR(tcb_set_priority(ro, CAP_INIT_TCB, 1), KERR_NO_RIGHTS);
    CHECK_ERR(tcb_set_mcp(ro, CAP_INIT_TCB, 1), KERR_NO_RIGHTS);
    CHECK_ERR(tcb_write_registers(ro, 0, &regs, NULL), KERR_NO_RIGHTS);
    CHECK_ERR(tcb_set_tls(ro, 0x1000), KERR_NO_RIGHTS);
    CHECK_OK(tcb_suspend(wo));
    CHECK_OK(tcb_set_tls(wo, 0x1000));
}

void test_tcb_self_registers(void)
{
    cptr_t copy;
    tcb_registers_t r;
    user_regs_t regs = {.rip = 0x401000, .rflags = 0x202};
    CHECK_OK(cap_derive(CAP_INIT_TCB, RIGHTS_ALL, &copy));
    CHECK_ERR_ARG(tcb_read_registers(CAP_INIT_TCB, &r), KERR_INVALID_ARGUMENT, KERR_ARG_NONE);
    CHECK_ERR_ARG(tcb_write_registers(CAP_INIT_TCB, 0, &regs, NULL), KERR_INVALID_ARGUMENT,
                  KERR_ARG_NONE);
    CHECK_ERR(tcb_read_registers(copy, &r), KERR_INVALID_ARGUMENT);
    CHECK_ERR(tcb_write_registers(copy, REGS_WRITE_RESUME, &regs, NULL), KERR_INVALID_ARGUMENT);
}

/* Every register word and every FPU byte distinct and recognisable. */
static void fill_registers(user_regs_t *regs, uint8_t *fpu)
{
    uint64_t *w = (uint64_t *)regs;
    for (unsigned i = 0; i < REGS_WORDS; i++) {
        w[i] = 0x0101010101010101ull * (i + 1);
    }
    regs->rip = 0x401000;
    regs->rflags = RFLAGS_USER_MASK | 0x202;
    regs->fs_base = 0x7f0000001000;
    regs->gs_base = 0x7f0000002008;
    for (unsigned i = 0; i < FPU_IMAGE_BYTES; i++) {
        fpu[i] = (uint8_t)(i * 7 + 3);
    }
    uint32_t mxcsr = 0xdead0000u | MXCSR_DEFAULT; /* reserved bits set */
    memcpy(&fpu[FXSAVE_MXCSR], &mxcsr, sizeof(mxcsr));
}

void test_tcb_registers_roundtrip(void)
{
    static uint8_t fpu[FPU_IMAGE_BYTES] __attribute__((aligned(16)));
    cptr_t tcb;
    user_regs_t in;
    tcb_registers_t out;
    /* no VSpace: the thread never runs, so nothing but the kernel touches it */
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    fill_registers(&in, fpu);
    CHECK_OK(tcb_write_registers(tcb, 0, &in, fpu));
    CHECK_OK(tcb_read_registers(tcb, &out));
    CHECK_EQ(out.state, TCB_STATE_INACTIVE);
    const uint64_t *a = (const uint64_t *)&in, *b = (const uint64_t *)&out.regs;
    for (unsigned i = 0; i < REGS_WORDS; i++) {
        CHECK_EQ(b[i], i == RFLAGS_WORD ? (RFLAGS_USER_MASK | RFLAGS_IF) : a[i]);
    }
    uint32_t mxcsr;
    memcpy(&mxcsr, &out.fpu[FXSAVE_MXCSR], sizeof(mxcsr));
    CHECK_EQ(mxcsr, MXCSR_DEFAULT);
    memcpy(&out.fpu[FXSAVE_MXCSR], &fpu[FXSAVE_MXCSR], sizeof(mxcsr));
    CHECK(memcmp(out.fpu, fpu, FPU_IMAGE_BYTES) == 0);
    /* registers without the FPU flag leave the image alone */
    in.rax = 0x1234;
    CHECK_OK(tcb_write_registers(tcb, 0, &in, NULL));
    CHECK_OK(tcb_read_registers(tcb, &out));
    CHECK_EQ(out.regs.rax, 0x1234);
    memcpy(&out.fpu[FXSAVE_MXCSR], &fpu[FXSAVE_MXCSR], sizeof(mxcsr));
    CHECK(memcmp(out.fpu, fpu, FPU_IMAGE_BYTES) == 0);
}

/*
 * fpu_program(out, self, info): stores xmm0, xmm1 and MXCSR as it starts
 * with into out[0..47], loads xmm2 from out[48..63], then suspends itself
 * (rdx holds the message info of TCB_Suspend).
 */
__asm__("    .text\n"
        "    .global fpu_program\n"
        "fpu_program:\n"
        "    movdqu %xmm0, 0(%rdi)\n"
        "    movdqu %xmm1, 16(%rdi)\n"
        "    stmxcsr 32(%rdi)\n"
        "    movdqu 48(%rdi), %xmm2\n"
        "    mov %rsi, %rdi\n"
        "    mov %rdx, %rsi\n"
        "    mov $-1, %rax\n"
        "    syscall\n"
        "    ud2\n");

void fpu_program(void);

void test_tcb_fpu_image(void)
{
    static uint8_t fpu[FPU_IMAGE_BYTES] __attribute__((aligned(16)));
    static volatile uint8_t out[64] __attribute__((aligned(16)));
    const uint32_t mxcsr = MXCSR_DEFAULT | 0x6000; /* round toward zero */
    cptr_t tcb;
    tcb_registers_t r;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)fpu_program, 0, THREAD_PRIORITY, &tcb));
    user_regs_t regs = thread_regs((uint64_t)fpu_program, (uint64_t)out, tcb);
    regs.rdx = msginfo_make(INV_TCB_SUSPEND, 0);
    memset(fpu, 0, sizeof(fpu));
    uint16_t fcw = FCW_DEFAULT;
    memcpy(&fpu[FXSAVE_FCW], &fcw, sizeof(fcw));
    memcpy(&fpu[FXSAVE_MXCSR], &mxcsr, sizeof(mxcsr));
    for (unsigned i = 0; i < 32; i++) {
        fpu[FXSAVE_XMM0 + i] = (uint8_t)(0x40 + i); /* xmm0 and xmm1 */
        out[48 + (i % 16)] = (uint8_t)(0x90 + i % 16);
    }
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, fpu));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_INACTIVE);
    for (unsigned i = 0; i < 32; i++) {
        CHECK_EQ(out[i], 0x40 + i);
    }
    uint32_t seen;
    memcpy(&seen, (const void *)&out[32], sizeof(seen));
    CHECK_EQ(seen, mxcsr);
    /* what the thread loaded comes back in its image */
    for (unsigned i = 0; i < 16; i++) {
        CHECK_EQ(r.fpu[FXSAVE_XMM0 + 32 + i], 0x90 + i);
    }
}

void test_tcb_mcp(void)
{
    cptr_t t, x;
    uint64_t args[2];
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &t));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &x));
    /* a new TCB's MCP is 0: as an authority it can only give priority 0 */
    CHECK_ERR_ARG(tcb_set_priority(x, t, 1), KERR_RANGE, 1);
    CHECK_OK(tcb_set_priority(x, t, 0));
    CHECK_OK(tcb_set_mcp(t, CAP_INIT_TCB, 100));
    CHECK_ERR_ARG(tcb_set_priority(t, t, 101), KERR_RANGE, 1);
    CHECK_OK(tcb_set_priority(t, t, 100));
    CHECK_ERR_ARG(tcb_set_mcp(x, t, 101), KERR_RANGE, 1);
    CHECK_OK(tcb_set_mcp(x, t, 100));
    /* nothing goes above PRIORITY_MAX, whatever the authority */
    CHECK_ERR_ARG(tcb_set_priority(t, CAP_INIT_TCB, PRIORITY_MAX + 1), KERR_RANGE, 1);
    CHECK_ERR_ARG(tcb_set_mcp(t, CAP_INIT_TCB, PRIORITY_MAX + 1), KERR_RANGE, 1);
    args[0] = CAP_INIT_TCB;
    args[1] = (1ull << 32) + 5;
    CHECK_ERR_ARG(kernel_invoke(t, INV_TCB_SET_PRIORITY, args, 2, NULL, 0), KERR_RANGE, 1);
    CHECK_OK(tcb_set_priority(t, CAP_INIT_TCB, PRIORITY_MAX));
    CHECK_OK(tcb_set_mcp(t, CAP_INIT_TCB, PRIORITY_MAX));
}

static volatile uint64_t tls_seen[2];
static const uint64_t fs_block[1] = {0xf5b10c0000000001ull};
static const uint64_t fs_block2[1] = {0xf5b10c0000000002ull};
static const uint64_t gs_block[1] = {0x65b10c0000000003ull};

/* Reports what %fs:0 and %gs:0 read, then stops. */
static void tls_thread(uint64_t arg, cptr_t self)
{
    uint64_t fs, gs;
    (void)arg;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(fs));
    __asm__ volatile("mov %%gs:0, %0" : "=r"(gs));
    tls_seen[0] = fs;
    tls_seen[1] = gs;
    thread_exit(self);
}

void test_tcb_tls(void)
{
    cptr_t tcb;
    tcb_registers_t r;
    uint64_t fs;
    /* FS by SetTLS, GS by WriteRegisters */
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)tls_thread, 0, THREAD_PRIORITY, &tcb));
    user_regs_t regs = thread_regs((uint64_t)tls_thread, 0, tcb);
    regs.gs_base = (uint64_t)gs_block;
    CHECK_OK(tcb_write_registers(tcb, 0, &regs, NULL));
    CHECK_OK(tcb_set_tls(tcb, (uint64_t)fs_block));
    CHECK_OK(tcb_resume(tcb));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_INACTIVE);
    CHECK_EQ(tls_seen[0], fs_block[0]);
    CHECK_EQ(tls_seen[1], gs_block[0]);
    CHECK_EQ(r.regs.fs_base, (uint64_t)fs_block);
    /* FS by WriteRegisters */
    regs = thread_regs((uint64_t)tls_thread, 0, tcb);
    regs.fs_base = (uint64_t)fs_block2;
    regs.gs_base = (uint64_t)gs_block;
    tls_seen[1] = 0;
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_INACTIVE);
    CHECK_EQ(tls_seen[0], fs_block2[0]);
    CHECK_EQ(tls_seen[1], gs_block[0]);
    /* the caller's own FS base changes before the call returns */
    CHECK_OK(tcb_set_tls(CAP_INIT_TCB, (uint64_t)fs_block));
    __asm__ volatile("mov %%fs:0, %0" : "=r"(fs));
    CHECK_EQ(fs, fs_block[0]);
    CHECK_OK(tcb_set_tls(CAP_INIT_TCB, 0));
}

static cptr_t mint_src, mint_dest;
static volatile uint64_t mint_results[4];

/* Mints with argument 4 (the badge) in the IPC buffer at `arg`: it is
 * beyond the CPU registers, so only a thread with a buffer can send it. */
static void mint_thread(uint64_t arg, cptr_t self)
{
    ipc_buffer_t *ipc = (ipc_buffer_t *)arg;
    uint64_t info = msginfo_make(INV_CNODE_MINT, 5);
    if (ipc != NULL) {
        ipc->mr[4] = 7;
    }
    sys_result_t r =
        sys_call(CAP_INIT_CNODE, info, mint_dest, CAP_INIT_CNODE, mint_src, RIGHTS_ALL);
    mint_results[0] = r.err;
    mint_results[1] = r.mr[0];
    if (ipc != NULL) {
        ipc->mr[4] = 0;
        r = sys_call(CAP_INIT_CNODE, info, mint_dest, CAP_INIT_CNODE, mint_src, RIGHTS_ALL);
        mint_results[2] = r.err;
    }
    thread_exit(self);
}

void test_tcb_ipc_buffer(void)
{
    cptr_t plain, buffered, ipc;
    tcb_registers_t r;
    volatile uint64_t *ipc_va;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &mint_src));
    mint_dest = slot_alloc();
    ipc_buffer->mr[4] = 0; /* the root's buffer must not be the one read */
    /* without an IPC buffer the fifth word cannot arrive */
    CHECK_OK(thread_spawn(mint_thread, 0, &plain));
    CHECK_EQ(thread_wait(plain, &r), TCB_STATE_INACTIVE);
    CHECK_EQ(mint_results[0], KERR_TRUNCATED_MESSAGE);
    /* with one, the kernel reads it from the thread's own buffer */
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &ipc, &ipc_va));
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)mint_thread, (uint64_t)ipc_va, THREAD_PRIORITY,
                        &buffered));
    CHECK_OK(tcb_configure(buffered, CAP_INIT_CNODE, CAP_INIT_VSPACE, ipc, (uint64_t)ipc_va));
    CHECK_OK(tcb_resume(buffered));
    CHECK_EQ(thread_wait(buffered, &r), TCB_STATE_INACTIVE);
    CHECK_EQ(mint_results[0], KERR_INVALID_ARGUMENT);
    CHECK_EQ(mint_results[1], 4);
    CHECK_EQ(mint_results[2], KERR_OK);
    CHECK_EQ(slot_type(mint_dest), OBJ_FRAME);
}

/* Deletes the only capability to its own TCB. */
static void delete_self_thread(uint64_t arg, cptr_t self)
{
    (void)arg;
    sys_call(CAP_INIT_CNODE, msginfo_make(INV_CNODE_DELETE, 1), self, 0, 0, 0);
    for (;;) {
        spin_counter++; /* never reached: the thread is gone */
    }
}

void test_tcb_delete_self(void)
{
    pool_stats_t before = pool_stats(CAP_INIT_POOL);
    cptr_t tcb;
    spin_counter = 0;
    CHECK_OK(thread_spawn(delete_self_thread, 0, &tcb));
    uint64_t start = tsc_now();
    while (slot_type(tcb) != OBJ_NULL && tsc_now() - start < TIMEOUT_CYCLES) {
        sys_yield();
    }
    CHECK_EQ(slot_type(tcb), OBJ_NULL);
    for (int i = 0; i < 10; i++) {
        sys_yield();
    }
    CHECK_EQ(spin_counter, 0);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, before.used);
}

#define OWN_VSPACE_CODE_VA 0x400000ull

/* The whole program: one system call its registers were set up for. */
__asm__("    .text\n"
        "    .global one_call_program, one_call_program_end\n"
        "one_call_program:\n"
        "    syscall\n"
        "    ud2\n"
        "one_call_program_end:\n");

extern const char one_call_program[], one_call_program_end[];

void test_tcb_drop_vspace(void)
{
    cptr_t pool, vspace, code, tcb;
    tcb_registers_t r;
    CHECK_OK(pool_new(256 * 1024, &pool));
    CHECK_OK(object_new(pool, OBJ_VSPACE, 0, &vspace));
    CHECK_OK(object_new(pool, OBJ_FRAME, 0, &code));
    CHECK_OK(object_new(pool, OBJ_TCB, 0, &tcb));
    CHECK_OK(
        frame_write(code, one_call_program, (size_t)(one_call_program_end - one_call_program)));
    CHECK_OK(vspace_map(vspace, code, OWN_VSPACE_CODE_VA, MAP_READ | MAP_EXEC));
    CHECK_OK(tcb_configure(tcb, CAP_INIT_CNODE, vspace, 0, 0));
    CHECK_OK(tcb_set_priority(tcb, CAP_INIT_TCB, THREAD_PRIORITY));
    /* the thread holds the last capability to its VSpace, and drops it
     * with TCB_Configure(self, root CNode, no VSpace) while running in it */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, vspace));
    pool_stats_t before = pool_stats(pool);
    user_regs_t regs = {.rip = OWN_VSPACE_CODE_VA, .rflags = 0x202};
    regs.rax = (uint64_t)SYS_CALL;
    regs.rdi = tcb;
    regs.rsi = msginfo_make(INV_TCB_CONFIGURE, 4);
    regs.rdx = CAP_INIT_CNODE;
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_INACTIVE);
    CHECK_EQ(r.regs.rax, KERR_OK);
    CHECK_EQ(r.regs.rip, OWN_VSPACE_CODE_VA + 2);
    pool_stats_t after = pool_stats(pool);
    CHECK_EQ(after.objects, before.objects - 1);
    CHECK(after.used < before.used);
    CHECK_ERR(tcb_resume(tcb), KERR_INVALID_ARGUMENT);
    /* the frame's mapping died with the VSpace */
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, code, va_alloc(1), MAP_READ));
}

#define SWITCH_CODE_VA 0x400000ull
#define SWITCH_DATA_VA 0x401000ull
#define SWITCH_MARK 0x600d

/* One system call (TCB_Configure of itself, from its registers), then a
 * store to the data page of whatever VSpace it then runs in. */
__asm__("    .text\n"
        "    .global switch_program, switch_program_end\n"
        "switch_program:\n"
        "    syscall\n"
        "    movq $" STR(SWITCH_MARK) ", " STR(SWITCH_DATA_VA) "\n"
                                                               "    ud2\n"
                                                               "switch_program_end:\n");

extern const char switch_program[], switch_program_end[];

/* A VSpace with the switch program and a data page the root can read. */
static kerr_t switch_vspace(cptr_t pool, cptr_t code, cptr_t *vspace, volatile uint64_t **data)
{
    cptr_t frame, view;
    kerr_t err = object_new(pool, OBJ_VSPACE, 0, vspace);
    if (err == KERR_OK) {
        err = vspace_map(*vspace, code, SWITCH_CODE_VA, MAP_READ | MAP_EXEC);
    }
    if (err == KERR_OK) {
        err = frame_new_mapped(pool, &frame, data);
    }
    if (err == KERR_OK) {
        err = cap_derive(frame, RIGHTS_ALL, &view);
    }
    if (err == KERR_OK) {
        err = vspace_unmap(CAP_INIT_VSPACE, frame);
    }
    if (err == KERR_OK) {
        err = vspace_map(CAP_INIT_VSPACE, view, (uint64_t)*data, MAP_READ);
    }
    return err == KERR_OK ? vspace_map(*vspace, frame, SWITCH_DATA_VA, MAP_READ | MAP_WRITE) : err;
}

/* Starts `tcb` in `from`; it moves itself to `to` with one call. */
static kerr_t switch_start(cptr_t tcb, cptr_t from, cptr_t to)
{
    kerr_t err = tcb_configure(tcb, CAP_INIT_CNODE, from, 0, 0);
    user_regs_t regs = {.rip = SWITCH_CODE_VA, .rflags = 0x202};
    regs.rax = (uint64_t)SYS_CALL;
    regs.rdi = tcb;
    regs.rsi = msginfo_make(INV_TCB_CONFIGURE, 4);
    regs.rdx = CAP_INIT_CNODE;
    regs.r8 = to;
    return err == KERR_OK ? tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL) : err;
}

void test_tcb_switch_vspace(void)
{
    cptr_t pool, code, code2, v1, v2, tcb;
    volatile uint64_t *d1, *d2;
    tcb_registers_t r;
    CHECK_OK(pool_new(512 * 1024, &pool));
    CHECK_OK(object_new(pool, OBJ_FRAME, 0, &code));
    CHECK_OK(frame_write(code, switch_program, (size_t)(switch_program_end - switch_program)));
    CHECK_OK(cap_derive(code, RIGHT_READ, &code2));
    CHECK_OK(switch_vspace(pool, code, &v1, &d1));
    CHECK_OK(switch_vspace(pool, code2, &v2, &d2));
    CHECK_OK(object_new(pool, OBJ_TCB, 0, &tcb));
    CHECK_OK(tcb_set_priority(tcb, CAP_INIT_TCB, THREAD_PRIORITY));
    /* a thread giving itself a new VSpace runs in it when the call returns */
    CHECK_OK(switch_start(tcb, v1, v2));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.regs.rax, KERR_OK);
    CHECK_EQ(r.fault_vector, 6);
    CHECK_EQ(*d1, 0);
    CHECK_EQ(*d2, SWITCH_MARK);
    /* also when the old one dies with the call */
    CHECK_OK(switch_start(tcb, v1, v2));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, v1));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.regs.rax, KERR_OK);
    CHECK_EQ(r.fault_vector, 6);
    CHECK_EQ(*d1, 0);
}
