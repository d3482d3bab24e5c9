/*
 * Notifications: Signal ORs its capability's badge into the word, Wait
 * takes and clears the word (blocking while it is 0), Poll takes it
 * without blocking; waiters wake in order. Signal needs Write, Wait and
 * Poll need Read. A notification bound to a thread ends its Recv on an
 * endpoint (label MSG_LABEL_NOTIFICATION, badge = the word), or makes the
 * Recv return at once when bits are pending; one binding per thread and
 * per notification, undone by unbinding or deleting either side.
 */
#include "check.h"
#include "ipc_helper.h"

#define LABEL 0x40e1ull

/* Mints a capability to `n` with `badge` into a new slot. */
static cptr_t badged(cptr_t n, uint64_t badge)
{
    cptr_t slot = slot_alloc();
    if (cnode_mint(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, n, RIGHTS_ALL, badge) != KERR_OK) {
        check_fail(__FILE__, __LINE__, "minting badge 0x%lx", badge);
    }
    return slot;
}

/* Poll (or Wait) returned the word `want`. */
static void check_word(int64_t number, cptr_t n, uint64_t want)
{
    sys_result_t r = sys_ipc(number, n, 0, 0, 0, 0, 0);
    CHECK_OK(r.err);
    CHECK_EQ(r.badge, want);
    CHECK_EQ(msginfo_label(r.info), MSG_LABEL_NOTIFICATION);
    CHECK_EQ(msginfo_length(r.info), 0);
}

void test_notification_signal_poll(void)
{
    cptr_t n;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    cptr_t b1 = badged(n, 0x1), b4 = badged(n, 0x4), b5 = badged(n, 0x5);
    CHECK(!check_failed());
    CHECK_STEP(check_word(SYS_NBRECV, n, 0));
    CHECK_OK(sys_signal(b1));
    CHECK_OK(sys_signal(b4));
    CHECK_OK(sys_ipc(SYS_NBSEND, b1, 0, 0, 0, 0, 0).err); /* NBSend signals too */
    CHECK_STEP(check_word(SYS_NBRECV, n, 0x5));
    CHECK_STEP(check_word(SYS_NBRECV, n, 0));
    CHECK_OK(sys_signal(b5));
    CHECK_OK(sys_signal(b4));
    /* Wait with bits pending returns at once, and clears them */
    CHECK_STEP(check_word(SYS_RECV, n, 0x5));
    CHECK_STEP(check_word(SYS_NBRECV, n, 0));
    /* Call on a notification is an invocation, and it has none */
    CHECK_ERR(sys_call(b1, msginfo_make(LABEL, 0), 0, 0, 0, 0).err, KERR_INVALID_LABEL);
}

void test_notification_rights(void)
{
    cptr_t n, full;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    full = badged(n, 0x8);
    for (unsigned m = 0; m <= RIGHTS_ALL; m++) {
        cptr_t cap = slot_alloc();
        CHECK_OK(cnode_mint(CAP_INIT_CNODE, cap, CAP_INIT_CNODE, n, m, 1ull << m));
        bool w = (m & RIGHT_WRITE) != 0, rd = (m & RIGHT_READ) != 0;
        CHECK_ERR(sys_signal(cap), w ? KERR_OK : KERR_NO_RIGHTS);
        CHECK_ERR(sys_nbrecv(cap).err, rd ? KERR_OK : KERR_NO_RIGHTS);
        CHECK_OK(sys_signal(full));
        sys_result_t r = sys_recv(cap);
        CHECK_ERR(r.err, rd ? KERR_OK : KERR_NO_RIGHTS);
        if (rd) {
            CHECK_EQ(r.badge, 0x8);
        } else {
            /* both signals are still there */
            CHECK_STEP(check_word(SYS_NBRECV, n, 0x8 | (w ? 1ull << m : 0)));
        }
    }
}

typedef struct {
    cptr_t n;
    volatile uint64_t done, err, word;
} waiter_t;

static waiter_t waiters[2];

static void waiter_thread(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    waiter_t *w = (waiter_t *)arg;
    sys_result_t r = sys_recv(w->n);
    w->err = r.err;
    w->word = r.badge;
    w->done = 1;
    thread_exit(self);
}

/* Waiters block while the word is 0 and wake one per signal, in order. */
void test_notification_wait(void)
{
    cptr_t n, t0, t1;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    cptr_t b2 = badged(n, 0x2), b8 = badged(n, 0x80);
    for (unsigned i = 0; i < 2; i++) {
        waiters[i] = (waiter_t){.n = n};
    }
    CHECK_OK(buffered_thread_spawn(waiter_thread, (uint64_t)&waiters[0], &t0, NULL));
    CHECK(wait_state(t0, TCB_STATE_BLOCKED_NOTIFICATION));
    CHECK_OK(buffered_thread_spawn(waiter_thread, (uint64_t)&waiters[1], &t1, NULL));
    CHECK(wait_state(t1, TCB_STATE_BLOCKED_NOTIFICATION));
    CHECK_OK(sys_signal(b8));
    CHECK(wait_change(&waiters[0].done, 0));
    CHECK_EQ(waiters[0].err, KERR_OK);
    CHECK_EQ(waiters[0].word, 0x80);
    CHECK_EQ(thread_state(t1), TCB_STATE_BLOCKED_NOTIFICATION);
    CHECK_OK(sys_signal(b2));
    CHECK(wait_change(&waiters[1].done, 0));
    CHECK_EQ(waiters[1].word, 0x2);
    CHECK_STEP(check_word(SYS_NBRECV, n, 0));
}

typedef struct {
    cptr_t ep, go;
    volatile uint64_t count, err, info, badge, mr0;
} bound_t;

static bound_t bound;

/* Receives on the endpoint, records, waits on `go`; for ever. */
static void bound_thread(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)self;
    (void)buf;
    bound_t *b = (bound_t *)arg;
    for (;;) {
        sys_result_t r = sys_recv(b->ep);
        b->err = r.err;
        b->info = r.info;
        b->badge = r.badge;
        b->mr0 = r.mr[0];
        b->count++;
        sys_recv(b->go);
    }
}

/* The bound thread's last Recv returned `label` and `badge`. */
static void check_bound(uint64_t seen, uint64_t label, uint64_t badge)
{
    CHECK(wait_change(&bound.count, seen));
    CHECK_EQ(bound.err, KERR_OK);
    CHECK_EQ(msginfo_label(bound.info), label);
    CHECK_EQ(bound.badge, badge);
}

void test_notification_bind(void)
{
    cptr_t ep, n, go, tcb;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &go));
    cptr_t b10 = badged(n, 0x10), b3 = badged(n, 0x3), go1 = badged(go, 1);
    bound = (bound_t){.ep = ep, .go = go};
    CHECK_OK(buffered_thread_new(bound_thread, (uint64_t)&bound, true, &tcb, NULL));
    CHECK_OK(tcb_bind_notification(tcb, n));
    CHECK_OK(tcb_resume(tcb));
    /* blocked in Recv: a signal ends it */
    CHECK(wait_state(tcb, TCB_STATE_BLOCKED_RECV));
    CHECK_OK(sys_signal(b10));
    CHECK_STEP(check_bound(0, MSG_LABEL_NOTIFICATION, 0x10));
    CHECK_STEP(check_word(SYS_NBRECV, n, 0)); /* taken */
    /* a message still arrives as usual */
    CHECK(wait_state(tcb, TCB_STATE_BLOCKED_NOTIFICATION));
    CHECK_OK(sys_signal(go1));
    CHECK(wait_state(tcb, TCB_STATE_BLOCKED_RECV));
    CHECK_OK(sys_send(ep, msginfo_make(LABEL, 1), 0x77, 0).err);
    CHECK_STEP(check_bound(1, LABEL, 0));
    CHECK_EQ(bound.mr0, 0x77);
    /* bits signalled while it is elsewhere: its next Recv returns at once */
    CHECK(wait_state(tcb, TCB_STATE_BLOCKED_NOTIFICATION));
    CHECK_OK(sys_signal(b3));
    CHECK_OK(sys_signal(b10));
    CHECK_EQ(thread_state(tcb), TCB_STATE_BLOCKED_NOTIFICATION);
    CHECK_OK(sys_signal(go1));
    CHECK_STEP(check_bound(2, MSG_LABEL_NOTIFICATION, 0x13));
    /* a Wait on the bound notification itself still works */
    CHECK_OK(sys_signal(b3));
    CHECK_STEP(check_word(SYS_RECV, n, 0x3));
}

/* The root bound to a notification: Recv and NBRecv on an endpoint
 * return the pending word at once. */
void test_notification_bind_pending(void)
{
    cptr_t ep, n;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    cptr_t b = badged(n, 0x600);
    CHECK_OK(tcb_bind_notification(CAP_INIT_TCB, n));
    CHECK_OK(sys_signal(b));
    sys_result_t r = sys_recv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(r.info), MSG_LABEL_NOTIFICATION);
    CHECK_EQ(r.badge, 0x600);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    CHECK_OK(sys_signal(b));
    r = sys_nbrecv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(r.badge, 0x600);
    /* a signal without a badge is not lost: the Recv still returns */
    cptr_t unbadged = badged(n, 0);
    CHECK_OK(sys_signal(unbadged));
    r = sys_recv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(r.info), MSG_LABEL_NOTIFICATION);
    CHECK_EQ(r.badge, 0);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    CHECK_OK(tcb_bind_notification(CAP_INIT_TCB, 0));
    /* nor for a Wait on the notification itself */
    CHECK_OK(sys_signal(unbadged));
    CHECK_STEP(check_word(SYS_RECV, n, 0));
    /* unbound, the bits stay in the word */
    CHECK_OK(sys_signal(b));
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    CHECK_STEP(check_word(SYS_NBRECV, n, 0x600));
}

void test_notification_bind_errors(void)
{
    cptr_t n, n2, ep, t1, t2, wo;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &n2));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &t1));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &t2));
    CHECK_OK(cap_derive(n, RIGHT_WRITE, &wo));
    CHECK_OK(tcb_bind_notification(t1, 0)); /* unbinding nothing */
    CHECK_ERR_ARG(tcb_bind_notification(t1, wo), KERR_NO_RIGHTS, 0);
    CHECK_ERR_ARG(tcb_bind_notification(t1, ep), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(tcb_bind_notification(t1, slot_alloc()), KERR_INVALID_CAP, 0);
    CHECK_OK(tcb_bind_notification(t1, n));
    /* a second binding of the thread, or of the notification */
    CHECK_ERR_ARG(tcb_bind_notification(t1, n2), KERR_INVALID_ARGUMENT, 0);
    CHECK_ERR_ARG(tcb_bind_notification(t1, n), KERR_INVALID_ARGUMENT, 0);
    CHECK_ERR_ARG(tcb_bind_notification(t2, n), KERR_INVALID_ARGUMENT, 0);
    /* unbinding frees both */
    CHECK_OK(tcb_bind_notification(t1, 0));
    CHECK_OK(tcb_bind_notification(t2, n));
    CHECK_OK(tcb_bind_notification(t1, n2));
    /* so does deleting either */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, t2));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, n2));
    CHECK_OK(tcb_bind_notification(t1, n));
}
