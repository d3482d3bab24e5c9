/*
 * Endpoints: the rights each operation needs (all 16 combinations of Read,
 * Write, Grant and GrantReply on Send, NBSend, Call, Recv, NBRecv and on
 * capability transfer both ways), message registers of every length with
 * and without IPC buffers, labels and badges, capability transfer and
 * where it stops, and the non-blocking calls.
 */
#include "check.h"
#include "ipc_helper.h"

#define LABEL 0x1abe1ull
#define SENDER_LABEL 0x5e4dull
#define LABEL_MAX ((1ull << 52) - 2) /* the all-ones label marks notifications */

/* The root's slots and objects for one rights test. */
typedef struct {
    cptr_t a, b, c;   /* endpoints: the echo server's, the sender's, nobody's */
    cptr_t a_server;  /* the echo server's receive slot */
    cptr_t root_recv; /* the root's receive slot */
    cptr_t to_server; /* what the root sends */
    cptr_t echo_tcb, sender_tcb;
} rights_env_t;

static echo_t rights_echo;
static volatile uint64_t sender_sent;

/* Sends to `ep` for ever, one capability (buf->caps[0]) each time. */
static void sender_thread(uint64_t ep, cptr_t self, ipc_buffer_t *buf)
{
    (void)self;
    (void)buf;
    for (;;) {
        uint64_t info = msginfo_with(msginfo_make(SENDER_LABEL, 1), 1, 0);
        sys_send(ep, info, sender_sent, 0);
        sender_sent++;
    }
}

static void rights_setup(rights_env_t *env)
{
    cptr_t back, frame;
    ipc_buffer_t *ebuf, *sbuf;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &env->a));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &env->b));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &env->c));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &env->to_server));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &back));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    env->a_server = slot_alloc();
    env->root_recv = slot_alloc();
    rights_echo = (echo_t){.ep = env->a, .reply_caps = 1};
    CHECK_OK(echo_start(&rights_echo, true, &env->echo_tcb, &ebuf));
    ebuf->recv_slot = env->a_server;
    ebuf->caps[0] = back;
    sender_sent = 0;
    CHECK_OK(buffered_thread_spawn(sender_thread, env->b, &env->sender_tcb, &sbuf));
    sbuf->caps[0] = frame;
    ipc_buffer->caps[0] = env->to_server;
    ipc_buffer->recv_slot = env->root_recv;
}

/* The capability the root sent arrived at the server iff `granted`. */
static void check_arrived(cptr_t slot, bool granted)
{
    CHECK_EQ(slot_type(slot), granted ? OBJ_FRAME : OBJ_NULL);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, slot));
}

/* Send or NBSend through `cap` (rights `m`, badge `badge`). */
static void rights_send(const rights_env_t *env, int64_t number, cptr_t cap, unsigned m,
                        uint64_t badge)
{
    uint64_t seen = rights_echo.received;
    CHECK(wait_state(env->echo_tcb, TCB_STATE_BLOCKED_RECV));
    uint64_t info = msginfo_with(msginfo_make(LABEL + m, 1), 1, 0);
    sys_result_t r = sys_ipc(number, cap, info, m, 0, 0, 0);
    if (!(m & RIGHT_WRITE)) {
        CHECK_ERR(r.err, KERR_NO_RIGHTS);
        return;
    }
    CHECK_OK(r.err);
    CHECK(echo_wait(&rights_echo, seen));
    CHECK_EQ(msginfo_label(rights_echo.info), LABEL + m);
    CHECK_EQ(rights_echo.badge, badge);
    CHECK_EQ(rights_echo.mr[0], m);
    CHECK_EQ(msginfo_caps(rights_echo.info), (m & RIGHT_GRANT) ? 1 : 0);
    CHECK_STEP(check_arrived(env->a_server, (m & RIGHT_GRANT) != 0));
}

/* Call through `cap`: the call carries a capability with Grant, the reply
 * with Grant or GrantReply. */
static void rights_call(const rights_env_t *env, cptr_t cap, unsigned m, uint64_t badge)
{
    uint64_t seen = rights_echo.received;
    CHECK(wait_state(env->echo_tcb, TCB_STATE_BLOCKED_RECV));
    uint64_t info = msginfo_with(msginfo_make(LABEL, 2), 1, 0);
    sys_result_t r = sys_ipc(SYS_CALL, cap, info, m, ~(uint64_t)m, 0, 0);
    if (!(m & RIGHT_WRITE)) {
        CHECK_ERR(r.err, KERR_NO_RIGHTS);
        CHECK_EQ(rights_echo.received, seen);
        return;
    }
    CHECK_OK(r.err);
    CHECK_EQ(rights_echo.received, seen + 1);
    CHECK_EQ(rights_echo.badge, badge);
    CHECK_EQ(msginfo_label(r.info), LABEL);
    CHECK_EQ(msginfo_length(r.info), 2);
    CHECK_EQ(r.mr[0], m);
    CHECK_EQ(r.mr[1], ~(uint64_t)m);
    CHECK_EQ(r.badge, 0); /* a reply has no badge */
    bool reply_grant = (m & (RIGHT_GRANT | RIGHT_GRANT_REPLY)) != 0;
    CHECK_EQ(msginfo_caps(r.info), reply_grant ? 1 : 0);
    CHECK_STEP(check_arrived(env->root_recv, reply_grant));
    CHECK_EQ(msginfo_caps(rights_echo.info), (m & RIGHT_GRANT) ? 1 : 0);
    CHECK_STEP(check_arrived(env->a_server, (m & RIGHT_GRANT) != 0));
}

/* Recv and NBRecv through `cap` from the sender, which always has Grant:
 * its capability arrives whatever the receiver's rights. */
static void rights_recv(const rights_env_t *env, int64_t number, cptr_t cap, unsigned m)
{
    CHECK(wait_state(env->sender_tcb, TCB_STATE_BLOCKED_SEND));
    uint64_t sent = sender_sent; /* stable while the sender waits */
    sys_result_t r = sys_ipc(number, cap, 0, 0, 0, 0, 0);
    if (!(m & RIGHT_READ)) {
        CHECK_ERR(r.err, KERR_NO_RIGHTS);
        return;
    }
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(r.info), SENDER_LABEL);
    CHECK_EQ(r.mr[0], sent);
    CHECK_EQ(r.badge, 0);
    CHECK_EQ(msginfo_caps(r.info), 1);
    CHECK_STEP(check_arrived(env->root_recv, true));
}

/* Every operation through one capability of rights `m` to each endpoint. */
static void rights_mask(const rights_env_t *env, unsigned m)
{
    cptr_t a = slot_alloc(), b = slot_alloc(), c = slot_alloc();
    /* odd masks are minted with a badge, even ones copied without */
    uint64_t badge = (m & 1) ? 0xbad0 + m : 0;
    if (m & 1) {
        CHECK_OK(cnode_mint(CAP_INIT_CNODE, a, CAP_INIT_CNODE, env->a, m, badge));
        CHECK_OK(cnode_mint(CAP_INIT_CNODE, b, CAP_INIT_CNODE, env->b, m, badge));
        CHECK_OK(cnode_mint(CAP_INIT_CNODE, c, CAP_INIT_CNODE, env->c, m, badge));
    } else {
        CHECK_OK(cnode_copy(CAP_INIT_CNODE, a, CAP_INIT_CNODE, env->a, m));
        CHECK_OK(cnode_copy(CAP_INIT_CNODE, b, CAP_INIT_CNODE, env->b, m));
        CHECK_OK(cnode_copy(CAP_INIT_CNODE, c, CAP_INIT_CNODE, env->c, m));
    }
    uint64_t received = rights_echo.received;
    CHECK_STEP(rights_send(env, SYS_SEND, a, m, badge));
    CHECK_STEP(rights_send(env, SYS_NBSEND, a, m, badge));
    CHECK_STEP(rights_call(env, a, m, badge));
    CHECK_STEP(rights_recv(env, SYS_RECV, b, m));
    CHECK_STEP(rights_recv(env, SYS_NBRECV, b, m));
    /* NBRecv on an endpoint nobody sends to */
    CHECK_ERR(sys_nbrecv(c).err, (m & RIGHT_READ) ? KERR_WOULD_BLOCK : KERR_NO_RIGHTS);
    /* without Write nothing reached the server */
    CHECK_EQ(rights_echo.received, received + ((m & RIGHT_WRITE) ? 3 : 0));
}

void test_ipc_rights(void)
{
    rights_env_t env;
    CHECK_STEP(rights_setup(&env));
    for (unsigned m = 0; m <= RIGHTS_ALL; m++) {
        rights_mask(&env, m);
        if (check_failed()) {
            check_fail(__FILE__, __LINE__, "rights 0x%x", m);
            return;
        }
    }
}

static echo_t mr_echo;

/* Calls the echo server with `len` registers from the root (which has an
 * IPC buffer) and checks both directions. */
static void mr_roundtrip(cptr_t ep, unsigned len, unsigned want)
{
    uint64_t cpu[4];
    mr_fill(ipc_buffer, cpu, len, len);
    sys_result_t r = root_ipc(SYS_CALL, ep, msginfo_make(len + 1, len), cpu);
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(mr_echo.info), len + 1);
    CHECK_EQ(msginfo_length(mr_echo.info), want);
    CHECK_EQ(msginfo_length(r.info), want);
    CHECK_EQ(msginfo_label(r.info), len + 1);
    for (unsigned i = 0; i < want; i++) {
        uint64_t back = i < MSG_REGISTERS_IN_CPU ? r.mr[i] : ipc_buffer->mr[i];
        CHECK_EQ(mr_echo.mr[i], mr_pattern(len, i));
        CHECK_EQ(back, mr_pattern(len, i) ^ mr_echo.reply_xor);
    }
}

/* Lengths 0..127 (the field's range): at most 120 registers go. */
void test_ipc_message_registers(void)
{
    cptr_t ep, tcb;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    mr_echo = (echo_t){.ep = ep, .reply_xor = 0x5a5a5a5a5a5a5a5aull};
    CHECK_OK(echo_start(&mr_echo, true, &tcb, NULL));
    for (unsigned len = 0; len <= MSGINFO_LENGTH_MASK; len++) {
        mr_roundtrip(ep, len, len < MSG_MAX_REGISTERS ? len : MSG_MAX_REGISTERS);
        if (check_failed()) {
            check_fail(__FILE__, __LINE__, "length %u", len);
            return;
        }
    }
}

static volatile uint64_t plain_result[3];

/* Without an IPC buffer: calls `ep` with 10 registers, records the reply. */
static void plain_caller(uint64_t ep, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    sys_result_t r = sys_call(ep, msginfo_make(LABEL, 10), 1, 2, 3, 4);
    plain_result[0] = r.err;
    plain_result[1] = r.info;
    plain_result[2] = r.mr[3];
    thread_exit(self);
}

/* A thread without an IPC buffer sends and receives 4 registers at most. */
void test_ipc_message_no_buffer(void)
{
    cptr_t ep, plain_ep, server, plain_server, caller;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &plain_ep));
    /* a server without a buffer: the root's 10 registers arrive as 4 */
    mr_echo = (echo_t){.ep = plain_ep, .reply_xor = 1};
    CHECK_OK(echo_start(&mr_echo, false, &plain_server, NULL));
    CHECK_STEP(mr_roundtrip(plain_ep, 10, 4));
    CHECK_STEP(mr_roundtrip(plain_ep, 3, 3));
    /* a caller without a buffer to a server with one */
    static echo_t echo;
    echo = (echo_t){.ep = ep, .reply_xor = 0};
    CHECK_OK(echo_start(&echo, true, &server, NULL));
    CHECK_OK(buffered_thread_new(plain_caller, ep, false, &caller, NULL));
    CHECK_OK(tcb_resume(caller));
    CHECK_EQ(thread_wait(caller, &(tcb_registers_t){0}), TCB_STATE_INACTIVE);
    CHECK_EQ(msginfo_length(echo.info), 4);
    CHECK_EQ(echo.mr[3], 4);
    CHECK_EQ(plain_result[0], KERR_OK);
    CHECK_EQ(msginfo_length(plain_result[1]), 4);
    CHECK_EQ(plain_result[2], 4);
}

static echo_t badge_echo;

/* Sends one word through `cap`; checks the label and badge that arrive. */
static void badge_check(cptr_t cap, uint64_t label, uint64_t badge)
{
    uint64_t seen = badge_echo.received;
    CHECK_OK(sys_send(cap, msginfo_make(label, 1), label, 0).err);
    CHECK(echo_wait(&badge_echo, seen));
    CHECK_EQ(msginfo_label(badge_echo.info), label);
    CHECK_EQ(badge_echo.badge, badge);
    CHECK_EQ(badge_echo.mr[0], label);
}

void test_ipc_label_badge(void)
{
    static const uint64_t labels[] = {0, 1, 0x12345, 1ull << 40, LABEL_MAX};
    static const uint64_t badges[] = {1, 0x8000, 1ull << 63, ~0ull};
    cptr_t ep, tcb, frame, other, badged = slot_alloc(), copy = slot_alloc();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &other));
    badge_echo = (echo_t){.ep = ep};
    CHECK_OK(echo_start(&badge_echo, true, &tcb, NULL));
    for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        CHECK_STEP(badge_check(ep, labels[i], 0));
    }
    for (unsigned i = 0; i < sizeof(badges) / sizeof(badges[0]); i++) {
        cptr_t b = slot_alloc();
        CHECK_OK(cnode_mint(CAP_INIT_CNODE, b, CAP_INIT_CNODE, ep, RIGHTS_ALL, badges[i]));
        CHECK_STEP(badge_check(b, LABEL, badges[i]));
    }
    /* a badged capability keeps its badge when copied, and cannot be re-badged */
    CHECK_OK(cnode_mint(CAP_INIT_CNODE, badged, CAP_INIT_CNODE, ep, RIGHT_WRITE, 0x77));
    CHECK_OK(cnode_mint(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, badged, RIGHTS_ALL, 0));
    CHECK_STEP(badge_check(copy, LABEL, 0x77));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, copy));
    CHECK_OK(cnode_copy(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, badged, RIGHTS_ALL));
    CHECK_STEP(badge_check(copy, LABEL, 0x77));
    cptr_t again = slot_alloc();
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, again, CAP_INIT_CNODE, badged, RIGHTS_ALL, 0x78),
                  KERR_INVALID_ARGUMENT, 4);
    /* only endpoints and notifications take badges */
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, again, CAP_INIT_CNODE, frame, RIGHTS_ALL, 1),
                  KERR_INVALID_ARGUMENT, 4);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, again, CAP_INIT_CNODE, other, RIGHTS_ALL, 1),
                  KERR_INVALID_ARGUMENT, 4);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, again, CAP_INIT_CNODE, CAP_INIT_CNODE, RIGHTS_ALL, 1),
                  KERR_INVALID_ARGUMENT, 4);
    CHECK_EQ(slot_type(again), OBJ_NULL);
}

static echo_t xfer_echo;

/* Sends `count` capabilities named by caps[] to the echo server; checks
 * how many arrived. */
static void xfer_send(cptr_t ep, const cptr_t *caps, unsigned count, unsigned want)
{
    uint64_t seen = xfer_echo.received;
    for (unsigned i = 0; i < count; i++) {
        ipc_buffer->caps[i] = caps[i];
    }
    CHECK_OK(sys_send(ep, msginfo_with(msginfo_make(LABEL, 0), count, 0), 0, 0).err);
    CHECK(echo_wait(&xfer_echo, seen));
    CHECK_EQ(msginfo_caps(xfer_echo.info), want);
    CHECK_EQ(msginfo_label(xfer_echo.info), LABEL);
}

/* Empties the receive slots; checks that the first `n` held `types`. */
static void xfer_collect(const cptr_t *slots, const uint64_t *types, unsigned n)
{
    for (unsigned i = 0; i < MSG_MAX_CAPS; i++) {
        CHECK_EQ(slot_type(slots[i]), i < n ? types[i] : OBJ_NULL);
        CHECK_OK(cnode_delete(CAP_INIT_CNODE, slots[i]));
    }
}

void test_ipc_cap_transfer(void)
{
    cptr_t ep, server, frame, ro_frame, note, empty = slot_alloc(), recv[MSG_MAX_CAPS];
    ipc_buffer_t *sbuf;
    uint64_t type, rights, badge;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, &note));
    CHECK_OK(cap_derive(frame, RIGHT_READ, &ro_frame));
    for (unsigned i = 0; i < MSG_MAX_CAPS; i++) {
        recv[i] = slot_alloc(); /* consecutive */
    }
    xfer_echo = (echo_t){.ep = ep};
    CHECK_OK(echo_start(&xfer_echo, true, &server, &sbuf));
    sbuf->recv_slot = recv[0];
    const cptr_t caps[] = {ro_frame, note, ep};
    const uint64_t types[] = {OBJ_FRAME, OBJ_NOTIFICATION, OBJ_ENDPOINT};
    for (unsigned n = 1; n <= MSG_MAX_CAPS; n++) {
        CHECK_STEP(xfer_send(ep, caps, n, n));
        /* the copy keeps the source's rights */
        CHECK_OK(cnode_identify(CAP_INIT_CNODE, recv[0], &type, &rights, &badge));
        CHECK_EQ(rights, RIGHT_READ);
        CHECK_STEP(xfer_collect(recv, types, n));
    }
    /* the sender keeps its capabilities */
    CHECK_EQ(slot_type(ro_frame), OBJ_FRAME);
    /* an occupied receive slot stops the transfer there */
    CHECK_OK(cnode_copy(CAP_INIT_CNODE, recv[1], CAP_INIT_CNODE, frame, RIGHTS_ALL));
    CHECK_STEP(xfer_send(ep, caps, 3, 1));
    CHECK_EQ(slot_type(recv[0]), OBJ_FRAME);
    CHECK_EQ(slot_type(recv[2]), OBJ_NULL);
    CHECK_STEP(xfer_collect(recv, (const uint64_t[]){OBJ_FRAME, OBJ_FRAME}, 2));
    /* an empty or invalid source stops it too */
    CHECK_STEP(xfer_send(ep, (const cptr_t[]){note, empty, ep}, 3, 1));
    CHECK_STEP(xfer_collect(recv, types + 1, 1));
    CHECK_STEP(xfer_send(ep, (const cptr_t[]){note, ep, root_slots()}, 3, 2));
    CHECK_STEP(xfer_collect(recv, types + 1, 2));
    CHECK_STEP(xfer_send(ep, (const cptr_t[]){~0ull}, 1, 0));
    CHECK_STEP(xfer_send(ep, (const cptr_t[]){CAP_NULL}, 1, 0));
    CHECK_STEP(xfer_collect(recv, types, 0));
    /* receive slot 0: none received */
    sbuf->recv_slot = 0;
    CHECK_STEP(xfer_send(ep, caps, 3, 0));
    CHECK_EQ(slot_type(CAP_NULL), OBJ_NULL);
    /* receive slots beyond the CNode */
    sbuf->recv_slot = root_slots();
    CHECK_STEP(xfer_send(ep, caps, 2, 0));
    sbuf->recv_slot = ~0ull;
    CHECK_STEP(xfer_send(ep, caps, 2, 0));
    cptr_t last = root_slots() - 1;
    if (slot_type(last) == OBJ_NULL) {
        sbuf->recv_slot = last;
        CHECK_STEP(xfer_send(ep, caps, 3, 1));
        CHECK_EQ(slot_type(last), OBJ_FRAME);
        CHECK_OK(cnode_delete(CAP_INIT_CNODE, last));
    }
}

static volatile uint64_t client_result[3];

/* Calls `ep` once and records the reply. */
static void client_thread(uint64_t ep, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    sys_result_t r = sys_call(ep, msginfo_make(LABEL, 1), 0xc0de, 0, 0, 0);
    client_result[0] = r.err;
    client_result[1] = r.mr[0];
    client_result[2] = msginfo_label(r.info);
    thread_exit(self);
}

/* A saved reply capability travels by IPC as a move, and only with Grant. */
void test_ipc_transfer_reply(void)
{
    cptr_t ep, ep2, nogrant, server, client, saved = slot_alloc(), recv = slot_alloc();
    ipc_buffer_t *sbuf;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep2));
    CHECK_OK(cap_derive(ep2, RIGHT_WRITE, &nogrant));
    xfer_echo = (echo_t){.ep = ep2};
    CHECK_OK(echo_start(&xfer_echo, true, &server, &sbuf));
    sbuf->recv_slot = recv;
    client_result[0] = ~0ull;
    CHECK_OK(buffered_thread_spawn(client_thread, ep, &client, NULL));
    sys_result_t r = sys_recv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(r.mr[0], 0xc0de);
    CHECK_OK(cnode_save_caller(CAP_INIT_CNODE, saved));
    CHECK_EQ(slot_type(saved), OBJ_REPLY);
    /* without Grant it stays */
    CHECK_STEP(xfer_send(nogrant, &saved, 1, 0));
    CHECK_EQ(slot_type(saved), OBJ_REPLY);
    /* with Grant it moves */
    CHECK_STEP(xfer_send(ep2, &saved, 1, 1));
    CHECK_EQ(slot_type(saved), OBJ_NULL);
    CHECK_EQ(slot_type(recv), OBJ_REPLY);
    /* and still answers the call */
    CHECK_OK(sys_send(recv, msginfo_make(LABEL + 1, 1), 0xbeef, 0).err);
    CHECK_EQ(slot_type(recv), OBJ_NULL);
    CHECK_EQ(thread_wait(client, &(tcb_registers_t){0}), TCB_STATE_INACTIVE);
    CHECK_EQ(client_result[0], KERR_OK);
    CHECK_EQ(client_result[1], 0xbeef);
    CHECK_EQ(client_result[2], LABEL + 1);
}

/* NBRecv with nothing there, NBSend with nobody waiting (dropped). */
void test_ipc_nonblocking(void)
{
    cptr_t ep, frame;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    CHECK_OK(sys_ipc(SYS_NBSEND, ep, msginfo_make(LABEL, 1), 1, 0, 0, 0).err);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    /* the wrong object, an empty slot, a slot beyond the CNode */
    CHECK_ERR(sys_ipc(SYS_NBSEND, frame, 0, 0, 0, 0, 0).err, KERR_WRONG_TYPE);
    CHECK_ERR(sys_send(frame, 0, 0, 0).err, KERR_WRONG_TYPE);
    CHECK_ERR(sys_nbrecv(frame).err, KERR_WRONG_TYPE);
    CHECK_ERR(sys_recv(frame).err, KERR_WRONG_TYPE);
    CHECK_ERR(sys_send(slot_alloc(), 0, 0, 0).err, KERR_INVALID_CAP);
    CHECK_ERR(sys_nbrecv(root_slots()).err, KERR_INVALID_CAP);
    CHECK_ERR(sys_recv(~0ull - 1).err, KERR_INVALID_CAP);
    /* a reply with no call pending */
    CHECK_ERR(sys_ipc(SYS_REPLY, 0, 0, 0, 0, 0, 0).err, KERR_NO_CALLER);
}
