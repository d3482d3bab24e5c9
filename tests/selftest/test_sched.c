/*
 * Scheduling: strict priorities, round robin between equal priorities by
 * the timer alone, a higher priority thread preempting a busy lower one at
 * once (and keeping it off the CPU while it runs), priority changes taking
 * effect before the call returns, and the SSE registers and MXCSR of
 * threads surviving timer preemption.
 */
#include "check.h"
#include "helper.h"

#define LOW_PRIORITY 60
#define HIGH_PRIORITY 70
#define SSE_PRIORITY 100
/* ~30 ms of TSC at 2 GHz: many timer ticks */
#define BUSY_CYCLES 60000000ull
#define SSE_CHANGES 5

static volatile uint64_t low_counter;
static volatile uint64_t high_before, high_after, high_done;

static void low_thread(uint64_t arg, cptr_t self)
{
    (void)arg;
    (void)self;
    for (;;) {
        low_counter++;
    }
}

static void high_thread(uint64_t arg, cptr_t self)
{
    (void)arg;
    high_before = low_counter;
    spin_cycles(BUSY_CYCLES);
    high_after = low_counter;
    high_done = 1;
    thread_exit(self);
}

/* Spins without yielding until *word != from (false on timeout). */
static bool spin_until_change(volatile uint64_t *word, uint64_t from)
{
    uint64_t start = tsc_now();
    while (*word == from) {
        if (tsc_now() - start >= TIMEOUT_CYCLES) {
            return false;
        }
    }
    return true;
}

void test_sched_round_robin(void)
{
    cptr_t low;
    low_counter = 0;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)low_thread, 0, LOW_PRIORITY, &low));
    CHECK_OK(tcb_resume(low));
    /* below the root's priority it never runs, yield or not */
    spin_cycles(BUSY_CYCLES / 2);
    CHECK_OK(sys_yield());
    CHECK_EQ(low_counter, 0);
    /* at the same priority the timer shares the CPU: the root never
     * yields, yet the thread runs, and the root runs again */
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, LOW_PRIORITY));
    CHECK(spin_until_change(&low_counter, 0));
    uint64_t seen = low_counter;
    CHECK(spin_until_change(&low_counter, seen));
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, ROOT_PRIORITY));
    CHECK_OK(tcb_suspend(low));
}

void test_sched_priority_preempt(void)
{
    cptr_t low, high;
    low_counter = 0;
    high_done = 0;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)low_thread, 0, LOW_PRIORITY, &low));
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)high_thread, 0, HIGH_PRIORITY, &high));
    CHECK_OK(tcb_resume(low));
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, LOW_PRIORITY));
    CHECK(spin_until_change(&low_counter, 0));
    /* the high thread runs at once and to its end, the low one not at all
     * meanwhile, though its timeslices expire many times */
    CHECK_OK(tcb_resume(high));
    CHECK_EQ(high_done, 1);
    CHECK(high_before != 0);
    CHECK_EQ(high_after, high_before);
    /* afterwards the low thread runs again */
    CHECK(spin_until_change(&low_counter, high_after));
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, ROOT_PRIORITY));
}

static volatile uint64_t ran_flag;

static void flag_thread(uint64_t arg, cptr_t self)
{
    ran_flag = arg;
    thread_exit(self);
}

void test_sched_priority_change(void)
{
    cptr_t tcb;
    ran_flag = 0;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)flag_thread, 1, LOW_PRIORITY, &tcb));
    CHECK_OK(tcb_resume(tcb));
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, SSE_PRIORITY));
    CHECK_OK(sys_yield());
    CHECK_EQ(ran_flag, 0);
    /* raising a waiting thread above the caller runs it before the call returns */
    CHECK_OK(tcb_set_priority(tcb, CAP_INIT_TCB, SSE_PRIORITY + 1));
    CHECK_EQ(ran_flag, 1);
    /* so does the caller lowering itself below a waiting thread */
    user_regs_t regs = thread_regs((uint64_t)flag_thread, 2, tcb);
    CHECK_OK(tcb_set_priority(tcb, CAP_INIT_TCB, HIGH_PRIORITY));
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    CHECK_EQ(ran_flag, 1);
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, LOW_PRIORITY));
    CHECK_EQ(ran_flag, 2);
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, ROOT_PRIORITY));
}

typedef struct {
    uint8_t xmm[16][16];
    uint32_t mxcsr;
} __attribute__((aligned(16))) sse_pattern_t;

typedef struct {
    volatile uint64_t counter, done, changes, mismatch;
} sse_state_t;

static sse_pattern_t sse_patterns[2];
static sse_state_t sse_states[2];

/*
 * sse_spin(pattern, mine, theirs, their_done, want, changes): loads xmm0-15
 * and MXCSR from `pattern`, then counts in *mine until it has seen *theirs
 * change `want` times (each change means it was preempted and the other
 * thread ran) or *their_done is set; stores the number of changes and
 * returns a mask of the registers that no longer hold the pattern (bit 16:
 * MXCSR).
 */
__asm__("    .text\n"
        "    .global sse_spin\n"
        "sse_spin:\n"
        "    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "    movdqa \\n*16(%rdi), %xmm\\n\n"
        "    .endr\n"
        "    ldmxcsr 256(%rdi)\n"
        "    mov (%rdx), %r10\n"
        "    xor %r11d, %r11d\n"
        "1:  incq (%rsi)\n"
        "    cmpq $0, (%rcx)\n"
        "    jne 2f\n"
        "    mov (%rdx), %rax\n"
        "    cmp %rax, %r10\n"
        "    je 1b\n"
        "    mov %rax, %r10\n"
        "    inc %r11\n"
        "    cmp %r8, %r11\n"
        "    jb 1b\n"
        "2:  mov %r11, (%r9)\n"
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

uint64_t sse_spin(const sse_pattern_t *pattern, volatile uint64_t *mine, volatile uint64_t *theirs,
                  volatile uint64_t *their_done, uint64_t want, volatile uint64_t *changes);

static void sse_thread(uint64_t id, cptr_t self)
{
    sse_state_t *me = &sse_states[id], *other = &sse_states[1 - id];
    me->mismatch = sse_spin(&sse_patterns[id], &me->counter, &other->counter, &other->done,
                            SSE_CHANGES, &me->changes);
    me->done = 1;
    thread_exit(self);
}

static void sse_prepare(void)
{
    for (unsigned id = 0; id < 2; id++) {
        for (unsigned r = 0; r < 16; r++) {
            for (unsigned b = 0; b < 16; b++) {
                sse_patterns[id].xmm[r][b] = (uint8_t)((id << 7) | (r << 3) | (b & 7)) ^ b;
            }
        }
        sse_states[id] = (sse_state_t){0, 0, 0, 0};
    }
    sse_patterns[0].mxcsr = 0x1f80;          /* default */
    sse_patterns[1].mxcsr = 0x1f80 | 0x6000; /* round toward zero */
}

void test_sched_sse_preempt(void)
{
    cptr_t t0, t1;
    sse_prepare();
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)sse_thread, 0, SSE_PRIORITY, &t0));
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)sse_thread, 1, SSE_PRIORITY, &t1));
    CHECK_OK(tcb_resume(t0));
    CHECK_OK(tcb_resume(t1));
    /* the root joins them at their priority and yields until both are done;
     * the threads never yield, so only the timer switches between them */
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, SSE_PRIORITY));
    CHECK(wait_change(&sse_states[0].done, 0));
    CHECK(wait_change(&sse_states[1].done, 0));
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, ROOT_PRIORITY));
    CHECK_EQ(sse_states[0].mismatch, 0);
    CHECK_EQ(sse_states[1].mismatch, 0);
    uint64_t c0 = sse_states[0].changes, c1 = sse_states[1].changes;
    CHECK((c0 >= SSE_CHANGES || c1 >= SSE_CHANGES) && c0 + c1 > SSE_CHANGES);
}
