/*
 * CPU time by timer sampling (TCB_ReadTimes, the info page's tick counts):
 * a client that spins is charged its own run time, and the ticks a server
 * spends serving its Call are charged to it as served time as well as to
 * the server. The threads spin for a number of ticks, not of TSC cycles:
 * a loaded host delivers fewer ticks than its clock says, never more.
 */
#include "check.h"
#include "ipc_helper.h"

#define NS_PER_TICK 1000000ull
#define SPIN_TICKS 30
/* The root, yielding while it waits at the same priority, may take a
 * few of the ticks. */
#define AT_LEAST (SPIN_TICKS / 2 * NS_PER_TICK)

static void spin_ticks(uint64_t n)
{
    const volatile kinfo_t *k = kinfo();
    uint64_t start = k->ticks;
    while (k->ticks - start < n) {
        __asm__ volatile("pause");
    }
}

/* Answers each Call on `arg` after spinning. */
static void spinning_server(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)self;
    (void)buf;
    cptr_t ep = (cptr_t)arg;
    sys_result_t r = sys_recv(ep);
    for (;;) {
        spin_ticks(SPIN_TICKS);
        r = sys_ipc(SYS_REPLY_RECV, ep, msginfo_make(msginfo_label(r.info), 0), 0, 0, 0, 0);
    }
}

/* Spins, then calls the server once. */
static void spinning_client(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    volatile uint64_t *done = (volatile uint64_t *)arg;
    spin_ticks(SPIN_TICKS);
    sys_call(done[1], msginfo_make(1, 0), 0, 0, 0, 0);
    done[0] = 1;
    thread_exit(self);
}

void test_cpu_time(void)
{
    const volatile kinfo_t *k = kinfo();
    CHECK_EQ(k->tick_hz, 1000);
    uint64_t ticks_before = k->ticks;

    cptr_t ep, server, client;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(buffered_thread_spawn(spinning_server, ep, &server, NULL));
    CHECK(wait_state(server, TCB_STATE_BLOCKED_RECV));
    uint64_t run, served, server_run, server_served;
    CHECK_OK(tcb_read_times(server, &server_run, &server_served));
    uint64_t server_before = server_run;

    static volatile uint64_t client_state[2]; /* done, endpoint */
    client_state[0] = 0;
    client_state[1] = ep;
    CHECK_OK(buffered_thread_spawn(spinning_client, (uint64_t)client_state, &client, NULL));
    CHECK(wait_change(&client_state[0], 0));

    CHECK_OK(tcb_read_times(client, &run, &served));
    CHECK_OK(tcb_read_times(server, &server_run, &server_served));
    CHECK(run >= AT_LEAST);    /* its own spin before the Call */
    CHECK(served >= AT_LEAST); /* the server's spin while it waited */
    /* the server ran only to serve it, and nobody served the server */
    CHECK_EQ(served, server_run - server_before);
    CHECK_EQ(server_served, 0);
    CHECK((k->ticks - ticks_before) * NS_PER_TICK >= run + served);
    CHECK(k->idle_ticks <= k->ticks);

    /* reading needs the Read right, like TCB_ReadRegisters */
    cptr_t no_read;
    CHECK_OK(cap_derive(client, RIGHT_WRITE, &no_read));
    CHECK_ERR(tcb_read_times(no_read, &run, &served), KERR_NO_RIGHTS);
}
