/*
 * The IPC fuzzer. A thread with a CSpace of its own (endpoint capabilities
 * of several rights and badges, a notification, frames, a scratch CNode and
 * an endpoint nobody serves, all from a pool of their own) makes FUZZ_ROUNDS
 * rounds from a fixed xorshift seed. Half are Calls to a server thread with
 * random labels, lengths (beyond 120 too), capabilities (any CPtr, ~0 and
 * beyond the CNode included) and buffer descriptors (valid, unmapped,
 * read-only, kernel-half, overflowing, bad flags, too many); the server
 * answers each with what it received and what its bulk copies gave, and the
 * fuzzer checks every word against what the kernel's rules predict. The
 * other half are random native system calls and invocations on random
 * CPtrs. Afterwards the kernel is up and the server still answers.
 */
#include "capsule/string.h"
#include "check.h"
#include "ipc_helper.h"

#define FUZZ_ROUNDS 20000
#define FUZZ_SEED 0x9e3779b97f4a7c15ull
#define FUZZ_PRIORITY THREAD_PRIORITY
#define ROOT_WAIT_PRIORITY (THREAD_PRIORITY - 1)
#define FUZZ_DEADLINE_NS (60 * 1000000000ull)
#define FUZZ_TIMEOUT_NS 1000000ull /* for the random calls that may block */
#define LABEL_BITS 52
#define REPLY_XOR 0x5a5a5ull
#define COPY_PATTERN 0xc0ffee0000000000ull
#define REPLY_WORDS 8
#define DATA_BYTES 4096
#define UNMAPPED_BASE 0x6000000000ull
#define KERNEL_HALF 0xffff800000000000ull

/* The fuzzer's CSpace. */
enum {
    F_EP_FULL = 1,
    F_EP_GRANT = 2, /* Write and Grant, badged */
    F_EP_WRITE = 3, /* Write only, badged */
    F_EP_READ = 4,
    F_NOTE = 5,
    F_NOTE_BADGED = 6,
    F_FRAME = 7,
    F_SCRATCH = 8, /* a CNode: invocations on it stay inside it */
    F_SINK = 9,    /* an endpoint nobody receives on */
    F_FRAME_RO = 10,
    F_SLOTS_USED = 11,
    F_SIZE_BITS = 5,
    SCRATCH_SIZE_BITS = 3,
};

#define BADGE_GRANT 0x11ull
#define BADGE_WRITE 0x22ull

typedef struct {
    cptr_t ep;      /* the server's endpoint, in the root CNode */
    cptr_t recv[3]; /* its receive slots, consecutive */
    volatile uint64_t messages, stopped_err;
    volatile uint64_t last_info; /* the message info of the last message taken */
} fuzz_server_t;

typedef struct {
    volatile uint64_t done, rounds, server_rounds, failures;
    volatile uint64_t fail_round, fail_what, fail_got, fail_want;
} fuzz_state_t;

static fuzz_server_t server;
static fuzz_state_t state;
static uint8_t fuzz_data[DATA_BYTES] __attribute__((aligned(PAGE_SIZE)));

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* A raw invocation from a thread (the runtime's stubs use the root's
 * globals). */
static sys_result_t thread_invoke(cptr_t cap, uint64_t label, unsigned len, uint64_t a0,
                                  uint64_t a1, uint64_t a2, uint64_t a3)
{
    return sys_call(cap, msginfo_make(label, len), a0, a1, a2, a3);
}

/* What the server saw, folded into one word. */
static uint64_t checksum(const uint64_t *mr, unsigned len)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < len; i++) {
        sum += mr[i] * (i + 1) ^ (sum >> 7);
    }
    return sum;
}

/* Answers every message with what it received and what bulk copies from
 * descriptor 0 and into descriptor 1 gave; stops when its endpoint goes. */
static void fuzz_server(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    fuzz_server_t *s = (fuzz_server_t *)arg;
    uint64_t mr[MSG_MAX_REGISTERS];
    buf->recv_slot = s->recv[0];
    sys_result_t r = sys_recv(s->ep);
    while (r.err == KERR_OK) {
        unsigned len = (unsigned)msginfo_length(r.info);
        for (unsigned i = 0; i < len; i++) {
            mr[i] = i < MSG_REGISTERS_IN_CPU ? r.mr[i] : buf->mr[i];
        }
        for (unsigned i = 0; i < 3; i++) {
            thread_invoke(CAP_INIT_CNODE, INV_CNODE_DELETE, 1, s->recv[i], 0, 0, 0);
        }
        uint64_t word = 0, pattern = COPY_PATTERN ^ msginfo_label(r.info);
        sys_result_t from = thread_invoke(CAP_REPLY_CURRENT, INV_REPLY_COPY_FROM, 4, 0, 0,
                                          (uint64_t)&word, sizeof(word));
        sys_result_t to = thread_invoke(CAP_REPLY_CURRENT, INV_REPLY_COPY_TO, 4, 1, 0,
                                        (uint64_t)&pattern, sizeof(pattern));
        uint64_t out[REPLY_WORDS] = {
            r.badge, len,    checksum(mr, len),    msginfo_caps(r.info), from.err,
            word,    to.err, msginfo_label(r.info)};
        for (unsigned i = MSG_REGISTERS_IN_CPU; i < REPLY_WORDS; i++) {
            buf->mr[i] = out[i];
        }
        s->last_info = r.info;
        s->messages++;
        uint64_t info = msginfo_make(msginfo_label(r.info) ^ REPLY_XOR, REPLY_WORDS);
        r = sys_ipc(SYS_REPLY_RECV, s->ep, info, out[0], out[1], out[2], out[3]);
    }
    s->stopped_err = r.err;
    thread_exit(self);
}

/* A descriptor of one of the kinds the fuzzer lends. */
static buffer_desc_t random_desc(uint64_t *rng)
{
    uint64_t x = xorshift(rng), off = x % DATA_BYTES, flags = (x >> 12) & 3;
    switch ((x >> 16) % 10) {
    case 0:
        return (buffer_desc_t){UNMAPPED_BASE + (x >> 20) % (1ull << 30), x >> 40, flags};
    case 1: /* the fuzzer's code: readable, never writable */
        return (buffer_desc_t){(uint64_t)checksum, 64, flags};
    case 2:
        return (buffer_desc_t){KERNEL_HALF + off, 8, flags};
    case 3: /* addr + length overflows, or runs past the user limit */
        return (buffer_desc_t){(uint64_t)fuzz_data + off, ~0ull - off, flags};
    case 4:
        return (buffer_desc_t){USER_LIMIT - 8, 16, flags};
    case 5:
        return (buffer_desc_t){(uint64_t)fuzz_data, 8, 4ull << (x % 60)};
    default:
        return (buffer_desc_t){(uint64_t)fuzz_data + off, (x >> 24) % (DATA_BYTES - off + 1),
                               flags};
    }
}

static bool desc_valid(const buffer_desc_t *d)
{
    return d->addr < USER_LIMIT && d->length <= USER_LIMIT - d->addr &&
           (d->flags & ~(DESC_READ | DESC_WRITE)) == 0;
}

/* A CPtr as a fuzzer would pick it: mostly its own slots, sometimes
 * anything. */
static cptr_t random_cptr(uint64_t *rng)
{
    uint64_t x = xorshift(rng);
    switch (x % 8) {
    case 0:
        return ~0ull;
    case 1:
        return 1ull << F_SIZE_BITS; /* just beyond the CNode */
    case 2:
        return x >> 3;
    default:
        return (x >> 3) % (F_SLOTS_USED + 2);
    }
}

static bool source_valid(cptr_t c)
{
    return c != CAP_NULL && c < F_SLOTS_USED;
}

/* The server's answer to a copy from descriptor 0 / into descriptor 1. */
static kerr_t expected_copy(const buffer_desc_t *descs, unsigned count, unsigned index,
                            uint64_t need)
{
    if (index >= count) {
        return KERR_RANGE;
    }
    const buffer_desc_t *d = &descs[index];
    if (!(d->flags & need)) {
        return KERR_NO_RIGHTS;
    }
    if (d->length < 8) {
        return KERR_RANGE;
    }
    bool data = d->addr >= (uint64_t)fuzz_data && d->addr + 8 <= (uint64_t)fuzz_data + DATA_BYTES;
    bool code = d->addr == (uint64_t)checksum;
    if (data || (code && need == DESC_READ)) {
        return KERR_OK;
    }
    return KERR_CALLER_FAULT;
}

/* Records the first mismatch. */
static void fuzz_fail(uint64_t round, uint64_t what, uint64_t got, uint64_t want)
{
    if (state.failures++ == 0) {
        state.fail_round = round;
        state.fail_what = what;
        state.fail_got = got;
        state.fail_want = want;
    }
}

#define FUZZ_EXPECT(what, got, want)                                                               \
    do {                                                                                           \
        uint64_t g_ = (got), w_ = (want);                                                          \
        if (g_ != w_) {                                                                            \
            fuzz_fail(round, what, g_, w_);                                                        \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* A Call to the server, its answer checked word by word. */
static void server_round(uint64_t round, uint64_t *rng, ipc_buffer_t *buf)
{
    static const cptr_t eps[] = {F_EP_FULL, F_EP_GRANT, F_EP_WRITE};
    static const uint64_t badges[] = {0, BADGE_GRANT, BADGE_WRITE};
    uint64_t x = xorshift(rng), mr[MSG_MAX_REGISTERS];
    unsigned which = x % 3, len = (x >> 2) % (MSGINFO_LENGTH_MASK + 1);
    unsigned ncaps = (x >> 9) % (MSG_MAX_CAPS + 1), ndesc = (x >> 11) % 8;
    uint64_t label = xorshift(rng) & ((1ull << LABEL_BITS) - 2);
    unsigned sent = len < MSG_MAX_REGISTERS ? len : MSG_MAX_REGISTERS;
    for (unsigned i = 0; i < sent; i++) {
        mr[i] = xorshift(rng);
        buf->mr[i] = mr[i];
    }
    for (unsigned i = 0; i < ncaps; i++) {
        buf->caps[i] = random_cptr(rng);
    }
    bool valid = ndesc <= MSG_MAX_DESCRIPTORS;
    buffer_desc_t descs[MSG_MAX_DESCRIPTORS] = {{0}};
    for (unsigned i = 0; i < ndesc && i < MSG_MAX_DESCRIPTORS; i++) {
        descs[i] = random_desc(rng);
        buf->descriptors[i] = descs[i];
        valid = valid && desc_valid(&descs[i]);
    }
    uint64_t want_word = 0;
    kerr_t want_from = valid ? expected_copy(descs, ndesc, 0, DESC_READ) : KERR_OK;
    if (want_from == KERR_OK && valid && ndesc > 0) {
        memcpy(&want_word, (const void *)descs[0].addr, 8);
    }
    kerr_t want_to = valid ? expected_copy(descs, ndesc, 1, DESC_WRITE) : KERR_OK;
    uint64_t messages = server.messages;
    uint64_t info = msginfo_with(msginfo_make(label, len), ncaps, ndesc);
    sys_result_t r = sys_ipc(SYS_CALL, eps[which], info, mr[0], mr[1], mr[2], mr[3]);
    if (!valid) {
        FUZZ_EXPECT(1, r.err, KERR_INVALID_ARGUMENT);
        /* The server may have taken, meanwhile, a message an earlier
         * kernel round's Send left it (it runs when a tick ends this
         * thread's timeslice): only this message must not reach it. */
        if (server.messages != messages && msginfo_label(server.last_info) == label) {
            fuzz_fail(round, 2, server.messages, messages);
        }
        return;
    }
    unsigned want_caps = 0;
    while (which != 2 && want_caps < ncaps && source_valid(buf->caps[want_caps])) {
        want_caps++;
    }
    uint64_t out[REPLY_WORDS] = {r.mr[0], r.mr[1], r.mr[2], r.mr[3]};
    for (unsigned i = MSG_REGISTERS_IN_CPU; i < REPLY_WORDS; i++) {
        out[i] = buf->mr[i];
    }
    FUZZ_EXPECT(3, r.err, KERR_OK);
    FUZZ_EXPECT(4, msginfo_label(r.info), label ^ REPLY_XOR);
    FUZZ_EXPECT(5, msginfo_length(r.info), REPLY_WORDS);
    FUZZ_EXPECT(6, msginfo_caps(r.info), 0);
    FUZZ_EXPECT(10, out[0], badges[which]);
    FUZZ_EXPECT(11, out[1], sent);
    FUZZ_EXPECT(12, out[2], checksum(mr, sent));
    FUZZ_EXPECT(13, out[3], want_caps);
    FUZZ_EXPECT(14, out[4], want_from);
    FUZZ_EXPECT(15, out[5], want_word);
    FUZZ_EXPECT(16, out[6], want_to);
    FUZZ_EXPECT(17, out[7], label);
    if (want_to == KERR_OK) {
        uint64_t got;
        memcpy(&got, (const void *)descs[1].addr, 8);
        FUZZ_EXPECT(18, got, COPY_PATTERN ^ label);
    }
}

static const uint64_t labels[] = {
#define INVOCATION(name, label, object, args) label,
#include "uapi/invocations.def"
#undef INVOCATION
};

#define LABELS (sizeof(labels) / sizeof(labels[0]))

/* A random native system call (or invocation) on a random CPtr. Calls
 * that may block get a short timeout. */
static void kernel_round(uint64_t *rng, ipc_buffer_t *buf)
{
    uint64_t x = xorshift(rng);
    int64_t number = (x & 0xf) < 14 ? -(int64_t)(1 + (x >> 4) % 8) : -(int64_t)(9 + (x >> 4) % 4);
    cptr_t cap = random_cptr(rng);
    uint64_t info = xorshift(rng);
    if ((x >> 8) & 1) {
        /* a plausible invocation: a real label, arguments of slot size */
        number = SYS_CALL;
        info = msginfo_make(labels[(x >> 9) % LABELS], (x >> 16) % 8);
        cap = (x >> 24) & 1 ? F_SCRATCH : cap;
    }
    uint64_t a[4];
    for (unsigned i = 0; i < 4; i++) {
        uint64_t y = xorshift(rng);
        a[i] = (y & 3) == 0 ? y : (y >> 2) % (1u << SCRATCH_SIZE_BITS) + (i == 1 ? 0 : 1);
    }
    a[1] = (x >> 20) & 1 ? F_SCRATCH : a[1];
    for (unsigned i = MSG_REGISTERS_IN_CPU; i < 8; i++) {
        buf->mr[i] = xorshift(rng) % 16;
    }
    buf->timeout_ns = FUZZ_TIMEOUT_NS;
    sys_ipc(number, cap, info, a[0], a[1], a[2], a[3]);
    buf->timeout_ns = 0;
}

static void fuzz_thread(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)arg;
    (void)self;
    uint64_t rng = FUZZ_SEED;
    for (uint64_t round = 0; round < FUZZ_ROUNDS; round++) {
        if (xorshift(&rng) & 1) {
            server_round(round, &rng, buf);
            state.server_rounds++;
        } else {
            kernel_round(&rng, buf);
        }
        state.rounds = round + 1;
    }
    state.done = 1;
    for (;;) {
        sys_recv(F_SINK);
    }
}

/* The fuzzer's CNode and what it holds, from `pool`. */
static void fuzz_cspace(cptr_t pool, cptr_t ep, cptr_t *cnode)
{
    cptr_t note, frame, scratch, sink;
    CHECK_OK(object_new(pool, OBJ_CNODE, F_SIZE_BITS, cnode));
    CHECK_OK(object_new(pool, OBJ_NOTIFICATION, 0, &note));
    CHECK_OK(object_new(pool, OBJ_FRAME, 0, &frame));
    CHECK_OK(object_new(pool, OBJ_CNODE, SCRATCH_SIZE_BITS, &scratch));
    CHECK_OK(object_new(pool, OBJ_ENDPOINT, 0, &sink));
    cptr_t c = *cnode, root = CAP_INIT_CNODE;
    CHECK_OK(cnode_copy(c, F_EP_FULL, root, ep, RIGHTS_ALL));
    CHECK_OK(cnode_mint(c, F_EP_GRANT, root, ep, RIGHT_WRITE | RIGHT_GRANT, BADGE_GRANT));
    CHECK_OK(cnode_mint(c, F_EP_WRITE, root, ep, RIGHT_WRITE, BADGE_WRITE));
    CHECK_OK(cnode_copy(c, F_EP_READ, root, ep, RIGHT_READ));
    CHECK_OK(cnode_copy(c, F_NOTE, root, note, RIGHTS_ALL));
    CHECK_OK(cnode_mint(c, F_NOTE_BADGED, root, note, RIGHT_WRITE, 0x40));
    CHECK_OK(cnode_copy(c, F_FRAME, root, frame, RIGHTS_ALL));
    CHECK_OK(cnode_copy(c, F_SCRATCH, root, scratch, RIGHTS_ALL));
    CHECK_OK(cnode_copy(c, F_SINK, root, sink, RIGHTS_ALL));
    CHECK_OK(cnode_copy(c, F_FRAME_RO, root, frame, RIGHT_READ));
}

/* The server answers the root as it answered the fuzzer. */
static void check_server_answers(cptr_t ep)
{
    uint64_t cpu[4] = {1, 2, 3, 4};
    sys_result_t r = root_ipc(SYS_CALL, ep, msginfo_make(0x77, 4), cpu);
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(r.info), 0x77 ^ REPLY_XOR);
    CHECK_EQ(msginfo_length(r.info), REPLY_WORDS);
    CHECK_EQ(r.mr[0], 0);
    CHECK_EQ(r.mr[1], 4);
    CHECK_EQ(r.mr[2], checksum(cpu, 4));
    CHECK_EQ(ipc_buffer->mr[4], KERR_RANGE); /* no descriptors */
}

/* Starts the fuzzer in its own CSpace, in the root's VSpace. */
static void start_fuzzer(cptr_t cspace, cptr_t *tcb)
{
    cptr_t frame;
    volatile uint64_t *va;
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &va));
    CHECK_OK(thread_new(CAP_INIT_POOL, (uint64_t)fuzz_thread, 0, FUZZ_PRIORITY, tcb));
    CHECK_OK(tcb_configure(*tcb, cspace, CAP_INIT_VSPACE, frame, (uint64_t)va));
    user_regs_t regs = thread_regs((uint64_t)fuzz_thread, 0, *tcb);
    regs.rdx = (uint64_t)va;
    CHECK_OK(tcb_write_registers(*tcb, REGS_WRITE_RESUME, &regs, NULL));
}

void test_ipc_fuzz(void)
{
    cptr_t pool, ep, cspace, server_tcb, fuzzer;
    CHECK_OK(pool_new(512 * 1024, &pool));
    CHECK_OK(object_new(pool, OBJ_ENDPOINT, 0, &ep));
    CHECK_STEP(fuzz_cspace(pool, ep, &cspace));
    server = (fuzz_server_t){.ep = ep};
    for (unsigned i = 0; i < 3; i++) {
        server.recv[i] = slot_alloc();
    }
    state = (fuzz_state_t){0};
    for (unsigned i = 0; i < DATA_BYTES; i++) {
        fuzz_data[i] = (uint8_t)(i * 13);
    }
    CHECK_OK(buffered_thread_spawn(fuzz_server, (uint64_t)&server, &server_tcb, NULL));
    CHECK(wait_state(server_tcb, TCB_STATE_BLOCKED_RECV));
    CHECK_STEP(start_fuzzer(cspace, &fuzzer));
    /* below the fuzzer and the server: the root runs when both wait */
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, ROOT_WAIT_PRIORITY));
    uint64_t start = tsc_now(), limit = ns_to_cycles(FUZZ_DEADLINE_NS);
    while (!state.done && thread_state(fuzzer) != TCB_STATE_FAULTED && tsc_now() - start < limit) {
        sys_yield();
    }
    CHECK_OK(tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, ROOT_PRIORITY));
    if (!state.done) {
        check_fail(__FILE__, __LINE__, "fuzzer stopped after %lu rounds, state %lu", state.rounds,
                   thread_state(fuzzer));
        return;
    }
    if (state.failures != 0) {
        check_fail(__FILE__, __LINE__,
                   "%lu mismatches; first in round %lu, check %lu: 0x%lx, expected 0x%lx",
                   state.failures, state.fail_round, state.fail_what, state.fail_got,
                   state.fail_want);
        return;
    }
    CHECK(state.server_rounds > FUZZ_ROUNDS / 3);
    CHECK(wait_state(fuzzer, TCB_STATE_BLOCKED_RECV));
    CHECK_EQ(thread_state(server_tcb), TCB_STATE_BLOCKED_RECV);
    CHECK_STEP(check_server_answers(ep));
    /* the kernel still creates and destroys */
    CHECK_OK(tcb_suspend(fuzzer));
    CHECK_OK(pool_destroy(pool));
    CHECK_EQ(pool_stats(pool).objects, 0);
    CHECK_EQ(thread_wait(server_tcb, &(tcb_registers_t){0}), TCB_STATE_INACTIVE);
    CHECK_EQ(server.stopped_err, KERR_DELETED);
}
