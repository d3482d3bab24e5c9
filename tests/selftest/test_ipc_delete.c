/*
 * Deleting objects while threads are blocked on them: an endpoint (its
 * senders, callers and receivers wake with KERR_DELETED), a notification
 * (its waiters likewise; a bound thread is unbound), a caller's TCB while
 * the server holds its reply capability (the reply finds no caller), a
 * receiver's or sender's TCB (the endpoint keeps working), the CNode or
 * VSpace or IPC buffer frame under a blocked thread, and a pool holding an endpoint, its
 * blocked threads and a server holding a reply. And TCB_Cancel of threads
 * blocked in Send, Recv and Wait.
 */
#include "check.h"
#include "ipc_helper.h"

#define LABEL 0xde1ull
#define BLOCKERS 4

/* A thread blocked in one call: `number` on `cap`. */
typedef struct {
    int64_t number;
    cptr_t cap;
    volatile uint64_t done, err, mr0, info;
} blocker_t;

static blocker_t blockers[BLOCKERS];

static void blocker_thread(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    blocker_t *b = (blocker_t *)arg;
    sys_result_t r = sys_ipc(b->number, b->cap, msginfo_make(LABEL, 1), 0x5e, 0, 0, 0);
    b->err = r.err;
    b->mr0 = r.mr[0];
    b->info = r.info;
    b->done = 1;
    thread_exit(self);
}

/* Starts blocker `i` from `pool` and waits until it is in `state`. */
static void block(cptr_t pool, unsigned i, int64_t number, cptr_t cap, uint64_t state, cptr_t *tcb)
{
    blockers[i] = (blocker_t){.number = number, .cap = cap};
    CHECK_OK(
        thread_new(pool, (uint64_t)blocker_thread, (uint64_t)&blockers[i], THREAD_PRIORITY, tcb));
    CHECK_OK(tcb_resume(*tcb));
    CHECK(wait_state(*tcb, state));
}

/* Blocker `i` woke with `err`. */
static void check_woken(unsigned i, kerr_t err)
{
    CHECK(wait_change(&blockers[i].done, 0));
    CHECK_ERR((kerr_t)blockers[i].err, err);
}

void test_delete_endpoint_blocked(void)
{
    cptr_t senders, receivers, held, t[BLOCKERS];
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &senders));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &receivers));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &held));
    CHECK_STEP(block(CAP_INIT_POOL, 0, SYS_SEND, senders, TCB_STATE_BLOCKED_SEND, &t[0]));
    CHECK_STEP(block(CAP_INIT_POOL, 1, SYS_CALL, senders, TCB_STATE_BLOCKED_SEND, &t[1]));
    CHECK_STEP(block(CAP_INIT_POOL, 2, SYS_RECV, receivers, TCB_STATE_BLOCKED_RECV, &t[2]));
    /* a caller whose call the root holds does not wait on the endpoint */
    CHECK_STEP(block(CAP_INIT_POOL, 3, SYS_CALL, held, TCB_STATE_BLOCKED_SEND, &t[3]));
    CHECK_OK(sys_recv(held).err);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, senders));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, receivers));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, held));
    CHECK_STEP(check_woken(0, KERR_DELETED));
    CHECK_STEP(check_woken(1, KERR_DELETED));
    CHECK_STEP(check_woken(2, KERR_DELETED));
    CHECK_EQ(thread_state(t[3]), TCB_STATE_BLOCKED_REPLY);
    CHECK_OK(sys_ipc(SYS_REPLY, 0, msginfo_make(LABEL, 1), 0xacc, 0, 0, 0).err);
    CHECK_STEP(check_woken(3, KERR_OK));
    CHECK_EQ(blockers[3].mr0, 0xacc);
}

void test_delete_notification_blocked(void)
{
    cptr_t n, n2, ep, t[BLOCKERS];
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n2));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_STEP(block(CAP_INIT_POOL, 0, SYS_RECV, n, TCB_STATE_BLOCKED_NOTIFICATION, &t[0]));
    CHECK_STEP(block(CAP_INIT_POOL, 1, SYS_RECV, n, TCB_STATE_BLOCKED_NOTIFICATION, &t[1]));
    /* bound to a thread in Recv on an endpoint */
    blockers[2] = (blocker_t){.number = SYS_RECV, .cap = ep};
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)blocker_thread, (uint64_t)&blockers[2],
                        THREAD_PRIORITY, &t[2]));
    CHECK_OK(tcb_bind_notification(t[2], n2));
    CHECK_OK(tcb_resume(t[2]));
    CHECK(wait_state(t[2], TCB_STATE_BLOCKED_RECV));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, n));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, n2));
    CHECK_STEP(check_woken(0, KERR_DELETED));
    CHECK_STEP(check_woken(1, KERR_DELETED));
    /* the bound thread keeps waiting for a message, unbound */
    CHECK_EQ(thread_state(t[2]), TCB_STATE_BLOCKED_RECV);
    CHECK_OK(sys_send(ep, msginfo_make(LABEL, 1), 0x77, 0).err);
    CHECK_STEP(check_woken(2, KERR_OK));
    CHECK_EQ(blockers[2].mr0, 0x77);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_OK(tcb_bind_notification(t[2], n));
}

/* The caller dies while the root holds its call: the TCB goes at once
 * (the reply capability does not keep it), and the reply finds nobody. */
void test_delete_caller_tcb(void)
{
    cptr_t ep, caller, saved = slot_alloc();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    uint64_t objects = pool_stats(CAP_INIT_POOL).objects;
    CHECK_STEP(block(CAP_INIT_POOL, 0, SYS_CALL, ep, TCB_STATE_BLOCKED_SEND, &caller));
    CHECK_OK(sys_recv(ep).err);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, caller));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, objects);
    CHECK_ERR(sys_ipc(SYS_REPLY, 0, msginfo_make(LABEL, 0), 0, 0, 0, 0).err, KERR_NO_CALLER);
    CHECK_EQ(blockers[0].done, 0);
    /* the same with the reply capability saved in a slot: the slot empties */
    CHECK_STEP(block(CAP_INIT_POOL, 0, SYS_CALL, ep, TCB_STATE_BLOCKED_SEND, &caller));
    CHECK_OK(sys_recv(ep).err);
    CHECK_OK(cnode_save_caller(CAP_INIT_CNODE, saved));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, caller));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, objects);
    CHECK_EQ(slot_type(saved), OBJ_NULL);
    CHECK_EQ(blockers[0].done, 0);
}

/* A receiver or sender deleted in the queue leaves it usable. */
void test_delete_queued_tcb(void)
{
    cptr_t ep, n, t[BLOCKERS];
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_STEP(block(CAP_INIT_POOL, 0, SYS_RECV, ep, TCB_STATE_BLOCKED_RECV, &t[0]));
    CHECK_STEP(block(CAP_INIT_POOL, 1, SYS_RECV, ep, TCB_STATE_BLOCKED_RECV, &t[1]));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, t[0]));
    CHECK_OK(sys_send(ep, msginfo_make(LABEL, 1), 0x11, 0).err);
    CHECK_STEP(check_woken(1, KERR_OK));
    CHECK_EQ(blockers[1].mr0, 0x11);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, t[1]));
    CHECK_ERR(sys_ipc(SYS_NBSEND, ep, 0, 0, 0, 0, 0).err, KERR_OK);
    /* senders */
    CHECK_STEP(block(CAP_INIT_POOL, 2, SYS_SEND, ep, TCB_STATE_BLOCKED_SEND, &t[2]));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, t[2]));
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    /* a waiter on a notification */
    CHECK_STEP(block(CAP_INIT_POOL, 3, SYS_RECV, n, TCB_STATE_BLOCKED_NOTIFICATION, &t[3]));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, t[3]));
    CHECK_OK(sys_signal(n));
    CHECK_OK(sys_nbrecv(n).err);
}

static volatile uint64_t orphan_result[3];

/* Receives on slot 1 of its own CNode; then calls it again (its CNode is
 * gone by then) and stops. */
static void orphan_thread(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)arg;
    (void)self;
    (void)buf;
    sys_result_t r = sys_recv(1);
    orphan_result[0] = r.err + 1;
    orphan_result[1] = r.mr[0];
    orphan_result[2] = sys_recv(1).err + 1;
    __builtin_trap();
}

void test_delete_cnode_blocked(void)
{
    cptr_t ep, cnode, tcb;
    tcb_registers_t r;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_CNODE, 2, &cnode));
    CHECK_OK(cnode_copy(cnode, 1, CAP_INIT_CNODE, ep, RIGHTS_ALL));
    CHECK_OK(buffered_thread_new(orphan_thread, 0, true, &tcb, NULL));
    CHECK_OK(tcb_configure(tcb, cnode, CAP_INIT_VSPACE, 0, 0));
    for (unsigned i = 0; i < 3; i++) {
        orphan_result[i] = 0;
    }
    CHECK_OK(tcb_resume(tcb));
    CHECK(wait_state(tcb, TCB_STATE_BLOCKED_RECV));
    /* the CNode goes: the TCB's copy first, then the root's */
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, cnode));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, cnode));
    CHECK_EQ(thread_state(tcb), TCB_STATE_BLOCKED_RECV);
    CHECK_OK(sys_send(ep, msginfo_make(LABEL, 1), 0x22, 0).err);
    CHECK_EQ(thread_wait(tcb, &r), TCB_STATE_FAULTED);
    CHECK_EQ(orphan_result[0], KERR_OK + 1);
    CHECK_EQ(orphan_result[1], 0x22);
    CHECK_EQ(orphan_result[2], KERR_INVALID_CAP + 1);
}

void test_delete_vspace_blocked(void)
{
    cptr_t ep, pool;
    own_thread_t t;
    tcb_registers_t r;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(pool_new(1024 * 1024, &pool));
    CHECK_OK(own_thread_new(pool, blocker_thread, (uint64_t)&blockers[0], &t));
    blockers[0] = (blocker_t){.number = SYS_RECV, .cap = ep};
    CHECK_OK(tcb_resume(t.tcb));
    CHECK(wait_state(t.tcb, TCB_STATE_BLOCKED_RECV));
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, t.vspace));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, t.vspace));
    CHECK_EQ(thread_state(t.tcb), TCB_STATE_BLOCKED_RECV);
    /* the message is taken, but the thread cannot run any more */
    CHECK_OK(sys_send(ep, msginfo_make(LABEL, 1), 0x33, 0).err);
    CHECK_EQ(thread_wait(t.tcb, &r), TCB_STATE_INACTIVE);
    CHECK_EQ(r.regs.rax, KERR_OK);
    CHECK_EQ(r.regs.rdx, 0x33);
    CHECK_ERR(tcb_resume(t.tcb), KERR_INVALID_ARGUMENT);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
}

/* The IPC buffer frame goes while its thread waits: the message arrives
 * cut to the registers the CPU carries. */
void test_delete_ipc_buffer_blocked(void)
{
    cptr_t ep, frame, tcb;
    volatile uint64_t *va;
    uint64_t cpu[4] = {1, 2, 3, 4};
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &va));
    blockers[0] = (blocker_t){.number = SYS_RECV, .cap = ep};
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)blocker_thread, (uint64_t)&blockers[0],
                        THREAD_PRIORITY, &tcb));
    CHECK_OK(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, frame, (uint64_t)va));
    CHECK_OK(tcb_resume(tcb));
    CHECK(wait_state(tcb, TCB_STATE_BLOCKED_RECV));
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, frame));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, frame));
    mr_fill(ipc_buffer, cpu, 9, 10);
    CHECK_OK(root_ipc(SYS_SEND, ep, msginfo_make(LABEL, 10), cpu).err);
    CHECK_STEP(check_woken(0, KERR_OK));
    CHECK_EQ(msginfo_length(blockers[0].info), MSG_REGISTERS_IN_CPU);
    CHECK_EQ(blockers[0].mr0, mr_pattern(9, 0));
}

static volatile uint64_t pool_server_got;
static cptr_t pool_server_eps[2];

/* Takes one call on the first endpoint and keeps its reply capability,
 * waiting on the second for ever. */
static void pool_server(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)arg;
    (void)self;
    (void)buf;
    pool_server_got = sys_recv(pool_server_eps[0]).mr[0];
    for (;;) {
        sys_recv(pool_server_eps[1]);
    }
}

/* Pool_Destroy of a pool holding an endpoint, a notification, threads
 * blocked on them and a server holding a reply to a thread outside. */
void test_delete_pool_blocked(void)
{
    cptr_t pool, ep, n, served, server, t[BLOCKERS];
    CHECK_OK(pool_new(256 * 1024, &pool));
    CHECK_OK(object_new(pool, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(pool, OBJ_ENDPOINT, 0, &served));
    CHECK_OK(object_new(pool, OBJ_NOTIFICATION, 0, &n));
    uint64_t root_objects = pool_stats(CAP_INIT_POOL).objects;
    /* inside the pool: a receiver on ep, the server of `served` */
    CHECK_STEP(block(pool, 0, SYS_RECV, ep, TCB_STATE_BLOCKED_RECV, &t[0]));
    pool_server_got = 0;
    pool_server_eps[0] = served;
    pool_server_eps[1] = ep;
    CHECK_OK(thread_new(pool, (uint64_t)pool_server, 0, THREAD_PRIORITY, &server));
    CHECK_OK(tcb_resume(server));
    /* outside: a caller the server holds, a sender, a waiter */
    CHECK_STEP(block(CAP_INIT_POOL, 1, SYS_CALL, served, TCB_STATE_BLOCKED_REPLY, &t[1]));
    CHECK_EQ(pool_server_got, 0x5e);
    CHECK_STEP(block(CAP_INIT_POOL, 2, SYS_CALL, served, TCB_STATE_BLOCKED_SEND, &t[2]));
    CHECK_STEP(block(CAP_INIT_POOL, 3, SYS_RECV, n, TCB_STATE_BLOCKED_NOTIFICATION, &t[3]));
    CHECK_OK(pool_destroy(pool));
    CHECK_EQ(pool_stats(pool).objects, 0);
    CHECK_STEP(check_woken(1, KERR_DELETED));
    CHECK_STEP(check_woken(2, KERR_DELETED));
    CHECK_STEP(check_woken(3, KERR_DELETED));
    CHECK_EQ(blockers[0].done, 0);
    CHECK_EQ(slot_type(t[0]), OBJ_NULL);
    CHECK_EQ(slot_type(ep), OBJ_NULL);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, root_objects + 3);
}

/* TCB_Cancel ends Send, Recv and Wait with KERR_CANCELLED and leaves the
 * queues usable. */
void test_cancel_blocked(void)
{
    cptr_t ep, n, t[BLOCKERS];
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_STEP(block(CAP_INIT_POOL, 0, SYS_SEND, ep, TCB_STATE_BLOCKED_SEND, &t[0]));
    CHECK_STEP(block(CAP_INIT_POOL, 1, SYS_SEND, ep, TCB_STATE_BLOCKED_SEND, &t[1]));
    CHECK_STEP(block(CAP_INIT_POOL, 2, SYS_RECV, n, TCB_STATE_BLOCKED_NOTIFICATION, &t[2]));
    CHECK_OK(tcb_cancel(t[0]));
    CHECK_OK(tcb_cancel(t[2]));
    CHECK_STEP(check_woken(0, KERR_CANCELLED));
    CHECK_STEP(check_woken(2, KERR_CANCELLED));
    /* the other sender is still queued */
    sys_result_t r = sys_nbrecv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(r.mr[0], 0x5e);
    CHECK_STEP(check_woken(1, KERR_OK));
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    CHECK_OK(sys_signal(n));
    CHECK_OK(sys_nbrecv(n).err);
    CHECK_STEP(block(CAP_INIT_POOL, 3, SYS_RECV, ep, TCB_STATE_BLOCKED_RECV, &t[3]));
    CHECK_OK(tcb_cancel(t[3]));
    CHECK_STEP(check_woken(3, KERR_CANCELLED));
    CHECK_OK(sys_ipc(SYS_NBSEND, ep, 0, 0, 0, 0, 0).err);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
}
