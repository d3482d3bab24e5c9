/*
 * Time: the kernel info page (readable, plausible, neither writable nor
 * executable nor mappable over) and the timeouts of blocking calls: Recv,
 * Send, Call (covering the wait for the reply too) and Wait end with
 * KERR_TIMEOUT no earlier than asked and not much later; a timeout of 0
 * waits for ever; a call that completes in time disarms its timeout.
 */
#include "check.h"
#include "ipc_helper.h"

#define MS 1000000ull
#define SHORT_NS (20 * MS)
#define SLACK_NS (400 * MS) /* TCG is slow and the host may be busy */
#define NS_2020 (1577836800ull * 1000000000ull)
#define LABEL 0x7173ull

/* Runs `number` on `cap` with a timeout of `ns`; returns the error and
 * stores the nanoseconds it took. */
static kerr_t timed(int64_t number, cptr_t cap, uint64_t ns, uint64_t *took)
{
    root_timeout(ns);
    uint64_t start = tsc_now();
    sys_result_t r = sys_ipc(number, cap, msginfo_make(LABEL, 0), 0, 0, 0, 0);
    *took = cycles_to_ns(tsc_now() - start);
    root_timeout(0);
    return r.err;
}

/* The call timed out after `ns`, give or take the slack. */
static void check_timeout(int64_t number, cptr_t cap, uint64_t ns)
{
    uint64_t took;
    CHECK_ERR(timed(number, cap, ns, &took), KERR_TIMEOUT);
    if (took < ns || took > ns + SLACK_NS) {
        check_fail(__FILE__, __LINE__, "timed out after %lu us, asked for %lu us", took / 1000,
                   ns / 1000);
    }
}

void test_timeout_recv_send(void)
{
    cptr_t ep, note;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &note));
    CHECK_STEP(check_timeout(SYS_RECV, ep, SHORT_NS));
    CHECK_STEP(check_timeout(SYS_RECV, ep, 3 * SHORT_NS));
    CHECK_STEP(check_timeout(SYS_SEND, ep, SHORT_NS));
    CHECK_STEP(check_timeout(SYS_RECV, note, SHORT_NS)); /* Wait */
    CHECK_STEP(check_timeout(SYS_REPLY_RECV, ep, SHORT_NS));
    /* nothing is left queued */
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    CHECK_OK(sys_ipc(SYS_NBSEND, ep, 0, 0, 0, 0, 0).err);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    /* non-blocking calls ignore the timeout */
    uint64_t took;
    CHECK_ERR(timed(SYS_NBRECV, ep, SHORT_NS, &took), KERR_WOULD_BLOCK);
    CHECK(took < SHORT_NS);
}

static volatile uint64_t late_got, late_result;

/* Takes one call on `ep`, waits on the notification created after it,
 * then answers. */
static void late_server(uint64_t ep, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    sys_result_t r = sys_recv(ep);
    late_got = r.mr[0] + 1;
    sys_recv(ep + 1);
    late_result = sys_ipc(SYS_REPLY, 0, 0, 0, 0, 0, 0).err;
    thread_exit(self);
}

void test_timeout_call(void)
{
    cptr_t ep, note, server;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &note));
    CHECK_EQ(note, ep + 1);
    /* nobody receives */
    CHECK_STEP(check_timeout(SYS_CALL, ep, SHORT_NS));
    /* a server takes the call and never answers in time */
    late_got = 0;
    late_result = ~0ull;
    CHECK_OK(buffered_thread_spawn(late_server, ep, &server, NULL));
    CHECK(wait_state(server, TCB_STATE_BLOCKED_RECV));
    CHECK_STEP(check_timeout(SYS_CALL, ep, SHORT_NS));
    CHECK_EQ(late_got, 1);
    /* its late reply finds no caller */
    CHECK_OK(sys_signal(note));
    CHECK_EQ(thread_wait(server, &(tcb_registers_t){0}), TCB_STATE_INACTIVE);
    CHECK_EQ(late_result, KERR_NO_CALLER);
}

static volatile uint64_t signal_delay;

/* Spins for `signal_delay` cycles, then signals `note`. */
static void delayed_signal(uint64_t note, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    spin_cycles(signal_delay);
    sys_signal(note);
    thread_exit(self);
}

/* Timeout 0 waits for ever: a signal 60 ms later still arrives. */
void test_timeout_zero(void)
{
    cptr_t note, badged = slot_alloc(), tcb;
    uint64_t took;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &note));
    CHECK_OK(cnode_mint(CAP_INIT_CNODE, badged, CAP_INIT_CNODE, note, RIGHTS_ALL, 1));
    signal_delay = ns_to_cycles(60 * MS);
    CHECK_OK(buffered_thread_spawn(delayed_signal, badged, &tcb, NULL));
    CHECK_OK(timed(SYS_RECV, note, 0, &took));
    CHECK(took >= 50 * MS); /* the thread may have started a moment earlier */
}

/* A call that ends in time disarms its timeout: it does not strike a
 * later call. */
void test_timeout_disarmed(void)
{
    cptr_t note, badged = slot_alloc(), t1, t2;
    uint64_t took;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &note));
    CHECK_OK(cnode_mint(CAP_INIT_CNODE, badged, CAP_INIT_CNODE, note, RIGHTS_ALL, 1));
    signal_delay = ns_to_cycles(5 * MS);
    CHECK_OK(buffered_thread_spawn(delayed_signal, badged, &t1, NULL));
    CHECK_OK(timed(SYS_RECV, note, 200 * MS, &took));
    CHECK(took < 200 * MS);
    /* waits past the first deadline */
    signal_delay = ns_to_cycles(300 * MS);
    CHECK_OK(buffered_thread_spawn(delayed_signal, badged, &t2, NULL));
    CHECK_OK(timed(SYS_RECV, note, 0, &took));
    CHECK(took >= 290 * MS);
}

void test_kinfo_page(void)
{
    const volatile kinfo_t *k = kinfo();
    uint64_t hz = k->tsc_hz;
    CHECK_EQ(k->seq % 2, 0);
    CHECK(hz >= 100000000ull && hz <= 20000000000ull);
    CHECK(k->realtime_at_boot_ns > NS_2020);
    uint64_t now = tsc_now();
    CHECK(k->boot_tsc < now);
    kinfo_t copy = {.tsc_hz = k->tsc_hz,
                    .boot_tsc = k->boot_tsc,
                    .realtime_at_boot_ns = k->realtime_at_boot_ns};
    uint64_t t0 = kinfo_tsc_to_ns(&copy, now);
    spin_cycles(ns_to_cycles(MS));
    uint64_t t1 = kinfo_tsc_to_ns(&copy, tsc_now());
    CHECK(t1 >= t0 + MS);
    CHECK(t1 < t0 + 1000 * MS);
}

/* rdi: the address to write; rsi: where to jump. */
__asm__("    .text\n"
        "    .global kinfo_write_program, kinfo_jump_program\n"
        "kinfo_write_program:\n"
        "    movq $1, (%rdi)\n"
        "    ud2\n"
        "kinfo_jump_program:\n"
        "    jmp *%rdi\n");

extern const char kinfo_write_program[], kinfo_jump_program[];

#define PF_PRESENT 0x1u
#define PF_WRITE 0x2u
#define PF_USER 0x4u
#define PF_FETCH 0x10u

/* Runs `program` with rdi = the info page; checks its page fault. */
static void kinfo_fault(const char *program, uint64_t error, uint64_t rip)
{
    cptr_t tcb;
    tcb_registers_t r;
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)program, USER_INFO_PAGE, THREAD_PRIORITY, &tcb));
    CHECK_OK(tcb_resume(tcb));
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, 14);
    CHECK_EQ(r.fault_error, error);
    CHECK_EQ(r.fault_addr, USER_INFO_PAGE);
    CHECK_EQ(r.regs.rip, rip);
}

void test_kinfo_protected(void)
{
    cptr_t frame, vspace;
    uint64_t hz = kinfo()->tsc_hz;
    CHECK_STEP(kinfo_fault(kinfo_write_program, PF_PRESENT | PF_WRITE | PF_USER,
                           (uint64_t)kinfo_write_program));
    CHECK_STEP(kinfo_fault(kinfo_jump_program, PF_PRESENT | PF_USER | PF_FETCH, USER_INFO_PAGE));
    CHECK_EQ(kinfo()->tsc_hz, hz);
    /* nothing can be mapped over it, in any VSpace */
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_VSPACE, 0, &vspace));
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, frame, USER_INFO_PAGE, MAP_READ), KERR_RANGE, 1);
    CHECK_ERR_ARG(vspace_map(vspace, frame, USER_INFO_PAGE, MAP_READ | MAP_WRITE), KERR_RANGE, 1);
    CHECK_ERR_ARG(vspace_map(vspace, frame, USER_LIMIT, MAP_READ), KERR_RANGE, 1);
    CHECK_EQ(kinfo()->tsc_hz, hz);
}
