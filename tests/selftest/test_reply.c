/*
 * Reply capabilities. The root is the server: a client thread calls it and
 * the root answers with Reply, ReplyRecv, or later through a capability
 * CNode_SaveCaller put in a slot. A reply capability is one-shot, moves but
 * never copies, and its caller never hangs: deleting it unanswered (the
 * saved slot, the server, the CNode holding it, or a second call taking
 * its place) wakes the caller with KERR_DELETED; TCB_Cancel wakes it with
 * KERR_CANCELLED and the late reply fails with KERR_NO_CALLER.
 */
#include "check.h"
#include "ipc_helper.h"

#define LABEL 0x4e91ull
#define ANSWER 0xa115ull

static caller_t clients[2];

/* A client calls `ep`; the root receives its call. */
static void take_call_from(cptr_t ep, caller_t *c, uint64_t mr0, cptr_t *tcb)
{
    *c = (caller_t){.ep = ep, .label = LABEL, .mr0 = mr0};
    CHECK_OK(caller_start(c, tcb));
    sys_result_t r = sys_recv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(r.info), LABEL);
    CHECK_EQ(r.mr[0], mr0);
}

static void take_call(cptr_t ep, caller_t *c, uint64_t mr0)
{
    cptr_t tcb;
    take_call_from(ep, c, mr0, &tcb);
}

/* The client woke with `err` (and, if KERR_OK, the root's answer). */
static void check_client(caller_t *c, kerr_t err)
{
    CHECK(caller_wait(c));
    CHECK_ERR((kerr_t)c->err, err);
    if (err == KERR_OK) {
        CHECK_EQ(msginfo_label(c->info), LABEL + 1);
        CHECK_EQ(c->reply0, ANSWER + c->mr0);
    }
}

static sys_result_t answer(int64_t number, cptr_t cap, const caller_t *c)
{
    return sys_ipc(number, cap, msginfo_make(LABEL + 1, 1), ANSWER + c->mr0, 0, 0, 0);
}

void test_reply_reply(void)
{
    cptr_t ep;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_ERR(answer(SYS_REPLY, 0, &clients[0]).err, KERR_NO_CALLER);
    CHECK_STEP(take_call(ep, &clients[0], 1));
    CHECK_EQ(clients[0].done, 0);
    CHECK_OK(answer(SYS_REPLY, 0, &clients[0]).err);
    CHECK_STEP(check_client(&clients[0], KERR_OK));
    /* one-shot */
    CHECK_ERR(answer(SYS_REPLY, 0, &clients[0]).err, KERR_NO_CALLER);
    /* Send on CAP_REPLY_CURRENT answers too */
    CHECK_STEP(take_call(ep, &clients[1], 2));
    CHECK_OK(answer(SYS_SEND, CAP_REPLY_CURRENT, &clients[1]).err);
    CHECK_STEP(check_client(&clients[1], KERR_OK));
    CHECK_ERR(answer(SYS_SEND, CAP_REPLY_CURRENT, &clients[1]).err, KERR_NO_CALLER);
}

void test_reply_recv(void)
{
    cptr_t ep, t0, t1;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    clients[0] = (caller_t){.ep = ep, .label = LABEL, .mr0 = 10};
    clients[1] = (caller_t){.ep = ep, .label = LABEL, .mr0 = 20};
    CHECK_OK(caller_start(&clients[0], &t0));
    CHECK_OK(caller_start(&clients[1], &t1));
    CHECK(wait_state(t0, TCB_STATE_BLOCKED_SEND));
    CHECK(wait_state(t1, TCB_STATE_BLOCKED_SEND));
    sys_result_t r = sys_recv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(r.mr[0], 10);
    /* answers the first, takes the second */
    r = answer(SYS_REPLY_RECV, ep, &clients[0]);
    CHECK_OK(r.err);
    CHECK_EQ(r.mr[0], 20);
    CHECK_STEP(check_client(&clients[0], KERR_OK));
    CHECK_EQ(clients[1].done, 0);
    CHECK_OK(answer(SYS_REPLY, 0, &clients[1]).err);
    CHECK_STEP(check_client(&clients[1], KERR_OK));
}

void test_reply_save_caller(void)
{
    cptr_t ep, frame, saved = slot_alloc(), moved = slot_alloc(), copy = slot_alloc();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    /* nothing to save yet */
    CHECK_ERR_ARG(cnode_save_caller(CAP_INIT_CNODE, saved), KERR_NO_CALLER, KERR_ARG_NONE);
    CHECK_STEP(take_call(ep, &clients[0], 1));
    /* the destination is checked first; the reply stays in the TCB */
    CHECK_ERR_ARG(cnode_save_caller(CAP_INIT_CNODE, frame), KERR_SLOT_OCCUPIED, 0);
    CHECK_ERR_ARG(cnode_save_caller(CAP_INIT_CNODE, root_slots()), KERR_SLOT_RANGE, 0);
    CHECK_OK(cnode_save_caller(CAP_INIT_CNODE, saved));
    CHECK_EQ(slot_type(saved), OBJ_REPLY);
    /* it left the TCB */
    CHECK_ERR(cnode_save_caller(CAP_INIT_CNODE, copy), KERR_NO_CALLER);
    CHECK_ERR(answer(SYS_REPLY, 0, &clients[0]).err, KERR_NO_CALLER);
    /* never copied, but moved */
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, saved, RIGHTS_ALL),
                  KERR_INVALID_ARGUMENT, 2);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, saved, RIGHTS_ALL, 0),
                  KERR_INVALID_ARGUMENT, 2);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, saved, RIGHT_WRITE, 5),
                  KERR_INVALID_ARGUMENT, 2);
    CHECK_EQ(slot_type(copy), OBJ_NULL);
    CHECK_OK(cnode_move(CAP_INIT_CNODE, moved, CAP_INIT_CNODE, saved));
    CHECK_EQ(slot_type(saved), OBJ_NULL);
    /* the server takes another call meanwhile and answers both, later
     * first */
    CHECK_STEP(take_call(ep, &clients[1], 2));
    CHECK_OK(answer(SYS_REPLY, 0, &clients[1]).err);
    CHECK_STEP(check_client(&clients[1], KERR_OK));
    CHECK_EQ(clients[0].done, 0);
    CHECK_OK(answer(SYS_SEND, moved, &clients[0]).err);
    CHECK_STEP(check_client(&clients[0], KERR_OK));
    CHECK_EQ(slot_type(moved), OBJ_NULL);
    /* NBSend on a saved reply answers as well */
    CHECK_STEP(take_call(ep, &clients[0], 3));
    CHECK_OK(cnode_save_caller(CAP_INIT_CNODE, saved));
    CHECK_OK(answer(SYS_NBSEND, saved, &clients[0]).err);
    CHECK_STEP(check_client(&clients[0], KERR_OK));
    CHECK_EQ(slot_type(saved), OBJ_NULL);
}

void test_reply_delete_saved(void)
{
    cptr_t ep, cnode, saved = slot_alloc();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_STEP(take_call(ep, &clients[0], 1));
    CHECK_OK(cnode_save_caller(CAP_INIT_CNODE, saved));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, saved));
    CHECK_STEP(check_client(&clients[0], KERR_DELETED));
    /* saved in a CNode that is then destroyed */
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_CNODE, 2, &cnode));
    CHECK_STEP(take_call(ep, &clients[1], 2));
    CHECK_OK(cnode_save_caller(cnode, 3));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, cnode));
    CHECK_STEP(check_client(&clients[1], KERR_DELETED));
}

/* A second call taking the place of an unanswered one drops the first. */
void test_reply_replaced(void)
{
    cptr_t ep;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_STEP(take_call(ep, &clients[0], 1));
    CHECK_STEP(take_call(ep, &clients[1], 2));
    CHECK_STEP(check_client(&clients[0], KERR_DELETED));
    CHECK_OK(answer(SYS_REPLY, 0, &clients[1]).err);
    CHECK_STEP(check_client(&clients[1], KERR_OK));
}

static volatile uint64_t server_got;

/* Takes one call on `ep`, then waits on nothing, holding its reply. */
static void holding_server(uint64_t ep, cptr_t self, ipc_buffer_t *buf)
{
    (void)self;
    (void)buf;
    sys_result_t r = sys_recv(ep);
    server_got = r.mr[0];
    for (;;) {
        sys_recv(ep + 1); /* the endpoint created after `ep`: nobody sends */
    }
}

/* A server destroyed while its TCB holds the reply capability. */
void test_reply_server_destroyed(void)
{
    cptr_t ep, idle, server, client;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &idle));
    CHECK_EQ(idle, ep + 1);
    server_got = 0;
    CHECK_OK(buffered_thread_spawn(holding_server, ep, &server, NULL));
    clients[0] = (caller_t){.ep = ep, .label = LABEL, .mr0 = 7};
    CHECK_OK(caller_start(&clients[0], &client));
    CHECK(wait_change(&server_got, 0));
    CHECK(wait_state(server, TCB_STATE_BLOCKED_RECV));
    CHECK_EQ(thread_state(client), TCB_STATE_BLOCKED_REPLY);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, server));
    CHECK_STEP(check_client(&clients[0], KERR_DELETED));
}

void test_reply_cancel(void)
{
    cptr_t ep, client, saved = slot_alloc();
    uint64_t done;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    /* cancelled while the server holds the call */
    clients[0] = (caller_t){.ep = ep, .label = LABEL, .mr0 = 1};
    CHECK_OK(caller_start(&clients[0], &client));
    CHECK_OK(sys_recv(ep).err);
    CHECK_OK(tcb_cancel(client));
    CHECK_STEP(check_client(&clients[0], KERR_CANCELLED));
    CHECK_ERR(answer(SYS_REPLY, 0, &clients[0]).err, KERR_NO_CALLER);
    CHECK_ERR(answer(SYS_SEND, CAP_REPLY_CURRENT, &clients[0]).err, KERR_NO_CALLER);
    CHECK_ERR(reply_copy_from(CAP_REPLY_CURRENT, 0, 0, &done, 0, &done), KERR_NO_CALLER);
    /* a saved reply capability dies with the call: its slot empties */
    CHECK_STEP(take_call_from(ep, &clients[1], 2, &client));
    CHECK_OK(cnode_save_caller(CAP_INIT_CNODE, saved));
    CHECK_EQ(slot_type(saved), OBJ_REPLY);
    CHECK_OK(tcb_cancel(client));
    CHECK_STEP(check_client(&clients[1], KERR_CANCELLED));
    CHECK_EQ(slot_type(saved), OBJ_NULL);
    CHECK_ERR(answer(SYS_SEND, saved, &clients[1]).err, KERR_INVALID_CAP);
    /* cancelled before a server took the call: it leaves the queue */
    clients[0] = (caller_t){.ep = ep, .label = LABEL, .mr0 = 3};
    CHECK_OK(caller_start(&clients[0], &client));
    CHECK(wait_state(client, TCB_STATE_BLOCKED_SEND));
    CHECK_OK(tcb_cancel(client));
    CHECK_STEP(check_client(&clients[0], KERR_CANCELLED));
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    /* cancelling a thread that waits for nothing changes nothing */
    CHECK_OK(tcb_cancel(client));
    CHECK_EQ(thread_state(client), TCB_STATE_INACTIVE);
}
