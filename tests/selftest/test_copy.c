/*
 * Bulk copy. A client thread calls the root with buffer descriptors; the
 * root, holding the reply capability, copies from and into them with
 * Reply_CopyFrom / Reply_CopyTo: within range the right bytes (across page
 * boundaries, within one address space as memmove, and across address
 * spaces), and otherwise KERR_RANGE (descriptor index, offset + length),
 * KERR_NO_RIGHTS (direction), KERR_CALLER_FAULT (argument 0: the caller's
 * page is missing or read-only; 2: the server's). Descriptors invalid at
 * Call time fail the Call and send nothing; they die with the call.
 */
#include "capsule/string.h"
#include "check.h"
#include "ipc_helper.h"

#define LABEL 0xc09ull
#define BUF_BYTES (3 * PAGE_SIZE)
#define UNMAPPED_VA 0x7000000000ull
#define KERNEL_VA 0xffff800000000000ull

typedef struct {
    cptr_t ep;
    uint64_t count; /* descriptors named in the message info */
    buffer_desc_t desc[MSG_MAX_DESCRIPTORS];
    volatile uint64_t *out; /* [0] done, [1] error, [2] reply word 0 */
} copy_client_t;

/* Calls with the descriptors of `arg`; writes nothing but *out, so it
 * also runs in an address space of its own. */
static void copy_client(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    const copy_client_t *c = (const copy_client_t *)arg;
    for (unsigned i = 0; i < MSG_MAX_DESCRIPTORS; i++) {
        buf->descriptors[i] = c->desc[i];
    }
    uint64_t info = msginfo_with(msginfo_make(LABEL, 0), 0, c->count);
    sys_result_t r = sys_call(c->ep, info, 0, 0, 0, 0);
    c->out[1] = r.err;
    c->out[2] = r.mr[0];
    c->out[0] = 1;
    thread_exit(self);
}

static uint8_t client_mem[BUF_BYTES] __attribute__((aligned(PAGE_SIZE)));
static uint8_t client_out[BUF_BYTES] __attribute__((aligned(PAGE_SIZE)));
static uint8_t local[BUF_BYTES] __attribute__((aligned(PAGE_SIZE)));
static uint8_t expect[BUF_BYTES];
static volatile uint64_t results[3];
static copy_client_t client;

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7 + (i >> 8));
    }
}

/* Starts a client in the root's VSpace and takes its call. */
static void take_copy_call(cptr_t ep, uint64_t count, const buffer_desc_t *desc)
{
    cptr_t tcb;
    client = (copy_client_t){.ep = ep, .count = count, .out = results};
    for (unsigned i = 0; i < MSG_MAX_DESCRIPTORS; i++) {
        client.desc[i] = desc[i];
    }
    results[0] = 0;
    CHECK_OK(buffered_thread_spawn(copy_client, (uint64_t)&client, &tcb, NULL));
    sys_result_t r = sys_recv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(msginfo_label(r.info), LABEL);
    CHECK_EQ(msginfo_descriptors(r.info), count); /* the server learns what was lent */
}

/* Answers the call with one word; the client gets it. */
static void finish_call(uint64_t word)
{
    CHECK_OK(sys_ipc(SYS_REPLY, 0, msginfo_make(LABEL, 1), word, 0, 0, 0).err);
    CHECK(wait_change(&results[0], 0));
    CHECK_EQ(results[1], KERR_OK);
    CHECK_EQ(results[2], word);
}

static kerr_t copy_from(unsigned d, uint64_t off, void *to, uint64_t len, uint64_t *done)
{
    return reply_copy_from(CAP_REPLY_CURRENT, d, off, to, len, done);
}

static kerr_t copy_to(unsigned d, uint64_t off, const void *from, uint64_t len, uint64_t *done)
{
    return reply_copy_to(CAP_REPLY_CURRENT, d, off, from, len, done);
}

void test_copy_basic(void)
{
    cptr_t ep;
    uint64_t done;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    fill(client_mem, BUF_BYTES, 1);
    memset(client_out, 0, BUF_BYTES);
    const buffer_desc_t desc[] = {
        {(uint64_t)client_mem, BUF_BYTES, DESC_READ},
        {(uint64_t)client_out, BUF_BYTES, DESC_WRITE},
        {(uint64_t)client_out + 10, 100, DESC_READ | DESC_WRITE},
        {(uint64_t)client_mem, 0, DESC_READ},
    };
    CHECK_STEP(take_copy_call(ep, 4, desc));
    /* the whole buffer, then a piece across both page boundaries */
    memset(local, 0, BUF_BYTES);
    CHECK_OK(copy_from(0, 0, local, BUF_BYTES, &done));
    CHECK_EQ(done, BUF_BYTES);
    CHECK(memcmp(local, client_mem, BUF_BYTES) == 0);
    memset(local, 0, BUF_BYTES);
    CHECK_OK(copy_from(0, 100, local + 5, 9000, &done));
    CHECK_EQ(done, 9000);
    CHECK(memcmp(local + 5, client_mem + 100, 9000) == 0);
    CHECK_EQ(local[4], 0);
    CHECK_EQ(local[9005], 0);
    /* into the caller */
    fill(local, BUF_BYTES, 99);
    CHECK_OK(copy_to(1, 7, local + 3, 9000, &done));
    CHECK_EQ(done, 9000);
    CHECK(memcmp(client_out + 7, local + 3, 9000) == 0);
    CHECK_EQ(client_out[6], 0);
    CHECK_EQ(client_out[9007], 0);
    /* both ways through one descriptor, and nothing at all */
    CHECK_OK(copy_to(2, 0, "hello", 5, &done));
    CHECK_EQ(done, 5);
    CHECK(memcmp(client_out + 10, "hello", 5) == 0);
    CHECK_OK(copy_from(2, 1, local, 4, &done));
    CHECK(memcmp(local, "ello", 4) == 0);
    CHECK_OK(copy_from(3, 0, local, 0, &done));
    CHECK_EQ(done, 0);
    CHECK_OK(copy_from(0, BUF_BYTES, local, 0, &done));
    CHECK_EQ(done, 0);
    CHECK_STEP(finish_call(0x600d));
}

static const char read_only_bytes[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = "ro";

void test_copy_errors(void)
{
    cptr_t ep, frame;
    volatile uint64_t *page;
    uint64_t done = 1, args[4] = {0};
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &page));
    va_alloc(1); /* the page after stays unmapped */
    uint8_t *edge = (uint8_t *)page + PAGE_SIZE - 16;
    fill(edge, 16, 8);
    fill(client_mem, BUF_BYTES, 3);
    const buffer_desc_t desc[] = {
        {(uint64_t)client_mem, 64, DESC_READ},
        {(uint64_t)client_out, 64, DESC_WRITE},
        {(uint64_t)client_mem + PAGE_SIZE - 16, 32, 0},
        /* mapped for 16 bytes, then not: the copy stops at the page */
        {(uint64_t)edge, 64, DESC_READ | DESC_WRITE},
    };
    CHECK_STEP(take_copy_call(ep, 4, desc));
    /* the descriptor index */
    CHECK_ERR_ARG(copy_from(4, 0, local, 1, &done), KERR_RANGE, 0);
    CHECK_ERR_ARG(copy_from(~0u, 0, local, 1, &done), KERR_RANGE, 0);
    CHECK_EQ(done, 0);
    /* the direction */
    CHECK_ERR_ARG(copy_to(0, 0, local, 1, &done), KERR_NO_RIGHTS, 0);
    CHECK_ERR_ARG(copy_from(1, 0, local, 1, &done), KERR_NO_RIGHTS, 0);
    CHECK_ERR_ARG(copy_from(2, 0, local, 1, &done), KERR_NO_RIGHTS, 0);
    CHECK_ERR_ARG(copy_to(2, 0, local, 1, &done), KERR_NO_RIGHTS, 0);
    /* offset + length beyond the descriptor */
    CHECK_ERR_ARG(copy_from(0, 0, local, 65, &done), KERR_RANGE, 1);
    CHECK_ERR_ARG(copy_from(0, 64, local, 1, &done), KERR_RANGE, 1);
    CHECK_ERR_ARG(copy_from(0, 65, local, 0, &done), KERR_RANGE, 1);
    CHECK_ERR_ARG(copy_to(1, 1, local, 64, &done), KERR_RANGE, 1);
    CHECK_ERR_ARG(copy_from(0, ~0ull, local, 2, &done), KERR_RANGE, 1);
    CHECK_ERR_ARG(copy_from(0, 8, local, ~0ull - 4, &done), KERR_RANGE, 1);
    /* the server's range */
    CHECK_ERR_ARG(copy_from(0, 0, (void *)KERNEL_VA, 8, &done), KERR_RANGE, 2);
    CHECK_ERR_ARG(copy_from(0, 0, (void *)(USER_LIMIT - 4), 8, &done), KERR_RANGE, 2);
    /* the caller's page is missing: argument 0; the first 16 bytes came */
    memset(local, 0, 64);
    CHECK_ERR_ARG(copy_from(3, 0, local, 64, &done), KERR_CALLER_FAULT, 0);
    CHECK(memcmp(local, edge, 16) == 0);
    CHECK_EQ(local[16], 0);
    CHECK_ERR_ARG(copy_to(3, 0, local, 64, &done), KERR_CALLER_FAULT, 0);
    CHECK_ERR_ARG(copy_to(3, 16, local, 1, &done), KERR_CALLER_FAULT, 0);
    /* the server's page is missing or read-only: argument 2 */
    CHECK_ERR_ARG(copy_from(0, 0, (void *)UNMAPPED_VA, 8, &done), KERR_CALLER_FAULT, 2);
    CHECK_ERR_ARG(copy_to(1, 0, (void *)UNMAPPED_VA, 8, &done), KERR_CALLER_FAULT, 2);
    CHECK_ERR_ARG(copy_from(0, 0, (void *)read_only_bytes, 8, &done), KERR_CALLER_FAULT, 2);
    CHECK_ERR_ARG(copy_from(0, 0, (void *)test_copy_errors, 8, &done), KERR_CALLER_FAULT, 2);
    CHECK_ERR_ARG(copy_from(0, 0, (void *)USER_INFO_PAGE, 8, &done), KERR_CALLER_FAULT, 2);
    CHECK_EQ(read_only_bytes[0], 'r');
    /* reading them is fine */
    CHECK_OK(copy_to(1, 0, read_only_bytes, 2, &done));
    CHECK_OK(copy_to(1, 2, (void *)USER_INFO_PAGE, 8, &done));
    CHECK(memcmp(client_out, "ro", 2) == 0);
    /* a short message, an unknown label */
    CHECK_ERR(kernel_invoke(CAP_REPLY_CURRENT, INV_REPLY_COPY_FROM, args, 3, NULL, 0),
              KERR_TRUNCATED_MESSAGE);
    CHECK_ERR(kernel_invoke(CAP_REPLY_CURRENT, INV_CNODE_COPY, args, 4, NULL, 0),
              KERR_INVALID_LABEL);
    /* none of it ended the call */
    CHECK_OK(copy_from(0, 0, local, 64, &done));
    CHECK(memcmp(local, client_mem, 64) == 0);
    CHECK_STEP(finish_call(1));
}

/* A descriptor over the caller's read-only pages (rodata, text) can be
 * read, but a copy into it is the caller's fault. */
void test_copy_caller_read_only(void)
{
    cptr_t ep;
    uint64_t done;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    const buffer_desc_t desc[] = {
        {(uint64_t)read_only_bytes, 16, DESC_READ | DESC_WRITE},
        {(uint64_t)test_copy_caller_read_only, 16, DESC_WRITE},
    };
    CHECK_STEP(take_copy_call(ep, 2, desc));
    CHECK_ERR_ARG(copy_to(0, 0, local, 8, &done), KERR_CALLER_FAULT, 0);
    CHECK_ERR_ARG(copy_to(1, 0, local, 8, &done), KERR_CALLER_FAULT, 0);
    CHECK_OK(copy_from(0, 0, local, 3, &done));
    CHECK(memcmp(local, "ro", 3) == 0);
    CHECK_STEP(finish_call(2));
}

typedef struct {
    uint64_t count;
    buffer_desc_t desc;
} bad_case_t;

static const bad_case_t bad_cases[] = {
    {1, {USER_LIMIT, 0, DESC_READ}},
    {1, {KERNEL_VA, 8, DESC_READ}},
    {1, {~0ull - 4096, 16, DESC_WRITE}},
    {1, {0x10000, ~0ull - 0x1000, DESC_READ}},               /* addr + length overflows */
    {1, {USER_LIMIT - PAGE_SIZE, 2 * PAGE_SIZE, DESC_READ}}, /* ends past the limit */
    {1, {0x10000, 8, 0x4}},
    {1, {0x10000, 8, DESC_READ | 0x8}},
    {1, {0x10000, 8, ~0ull}},
    {5, {0x10000, 8, DESC_READ}},
    {6, {0x10000, 8, DESC_READ}},
    {7, {0x10000, 8, DESC_READ}},
};

#define BAD_CASES (sizeof(bad_cases) / sizeof(bad_cases[0]))

static volatile uint64_t bad_results[BAD_CASES + 1];

/* Calls once per bad case (each must fail at once, sending nothing), then
 * once with four valid descriptors. */
static void bad_desc_client(uint64_t ep, cptr_t self, ipc_buffer_t *buf)
{
    for (unsigned i = 0; i <= BAD_CASES; i++) {
        const bad_case_t *c = &bad_cases[i < BAD_CASES ? i : 0];
        for (unsigned d = 0; d < MSG_MAX_DESCRIPTORS; d++) {
            buf->descriptors[d] = (buffer_desc_t){(uint64_t)client_mem, 8, DESC_READ};
        }
        if (i < BAD_CASES && c->count == 1) {
            buf->descriptors[0] = c->desc;
        }
        uint64_t count = i < BAD_CASES ? c->count : MSG_MAX_DESCRIPTORS;
        uint64_t info = msginfo_with(msginfo_make(LABEL, 1), 0, count);
        bad_results[i] = sys_call(ep, info, i, 0, 0, 0).err + 1;
    }
    thread_exit(self);
}

/* Without an IPC buffer: a Call lending one descriptor. */
static void plain_desc_client(uint64_t ep, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    results[1] = sys_call(ep, msginfo_with(msginfo_make(LABEL, 0), 0, 1), 0, 0, 0, 0).err;
    results[0] = 1;
    thread_exit(self);
}

void test_copy_invalid_descriptors(void)
{
    cptr_t ep, tcb, plain;
    uint64_t done;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    for (unsigned i = 0; i <= BAD_CASES; i++) {
        bad_results[i] = 0;
    }
    CHECK_OK(buffered_thread_spawn(bad_desc_client, ep, &tcb, NULL));
    /* only the last call, with four valid descriptors, arrives */
    sys_result_t r = sys_recv(ep);
    CHECK_OK(r.err);
    CHECK_EQ(r.mr[0], BAD_CASES);
    for (unsigned i = 0; i < BAD_CASES; i++) {
        if (bad_results[i] != KERR_INVALID_ARGUMENT + 1) {
            check_fail(__FILE__, __LINE__, "case %u: %s", i, kerr_name(bad_results[i] - 1));
            return;
        }
    }
    fill(client_mem, 8, 5);
    CHECK_OK(copy_from(3, 0, local, 8, &done));
    CHECK(memcmp(local, client_mem, 8) == 0);
    CHECK_ERR_ARG(copy_from(4, 0, local, 8, &done), KERR_RANGE, 0);
    CHECK_OK(sys_ipc(SYS_REPLY, 0, 0, 0, 0, 0, 0).err);
    CHECK_EQ(thread_wait(tcb, &(tcb_registers_t){0}), TCB_STATE_INACTIVE);
    CHECK_EQ(bad_results[BAD_CASES], KERR_OK + 1);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
    /* descriptors need an IPC buffer to be read from */
    results[0] = 0;
    CHECK_OK(buffered_thread_new(plain_desc_client, ep, false, &plain, NULL));
    CHECK_OK(tcb_resume(plain));
    CHECK(wait_change(&results[0], 0));
    CHECK_EQ(results[1], KERR_INVALID_ARGUMENT);
    CHECK_ERR(sys_nbrecv(ep).err, KERR_WOULD_BLOCK);
}

/* Descriptors die with the call. */
void test_copy_after_reply(void)
{
    cptr_t ep, saved = slot_alloc();
    uint64_t done;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    const buffer_desc_t desc[] = {{(uint64_t)client_mem, 64, DESC_READ}};
    CHECK_STEP(take_copy_call(ep, 1, desc));
    CHECK_OK(copy_from(0, 0, local, 64, &done));
    CHECK_STEP(finish_call(3));
    CHECK_ERR_ARG(copy_from(0, 0, local, 64, &done), KERR_NO_CALLER, KERR_ARG_NONE);
    /* through a saved reply capability: it goes with the reply */
    CHECK_STEP(take_copy_call(ep, 1, desc));
    CHECK_OK(cnode_save_caller(CAP_INIT_CNODE, saved));
    CHECK_OK(reply_copy_from(saved, 0, 0, local, 64, &done));
    CHECK_ERR(copy_from(0, 0, local, 64, &done), KERR_NO_CALLER);
    CHECK_OK(sys_ipc(SYS_SEND, saved, msginfo_make(LABEL, 1), 4, 0, 0, 0).err);
    CHECK(wait_change(&results[0], 0));
    CHECK_EQ(results[2], 4);
    CHECK_ERR(reply_copy_from(saved, 0, 0, local, 64, &done), KERR_INVALID_CAP);
    /* a new call without descriptors lends none */
    CHECK_STEP(take_copy_call(ep, 0, desc));
    CHECK_ERR_ARG(copy_from(0, 0, local, 64, &done), KERR_RANGE, 0);
    CHECK_STEP(finish_call(5));
}

/* One address space on both sides: overlapping copies act as memmove. */
void test_copy_overlap(void)
{
    static const struct {
        uint64_t offset, local, len;
        bool to_caller;
    } moves[] = {
        {1000, 0, 9000, true},   /* destination above the source */
        {0, 777, 9000, true},    /* below */
        {0, 500, 9000, false},   /* into the server's side, above */
        {4096, 10, 8000, false}, /* below */
        {1, 0, BUF_BYTES - 1, true},
    };
    cptr_t ep;
    uint64_t done;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    const buffer_desc_t desc[] = {{(uint64_t)client_mem, BUF_BYTES, DESC_READ | DESC_WRITE}};
    CHECK_STEP(take_copy_call(ep, 1, desc));
    for (unsigned i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
        fill(client_mem, BUF_BYTES, (uint8_t)i);
        memcpy(expect, client_mem, BUF_BYTES);
        uint8_t *mine = client_mem + moves[i].local;
        uint8_t *e_desc = expect + moves[i].offset, *e_mine = expect + moves[i].local;
        if (moves[i].to_caller) {
            memmove(e_desc, e_mine, moves[i].len);
            CHECK_OK(copy_to(0, moves[i].offset, mine, moves[i].len, &done));
        } else {
            memmove(e_mine, e_desc, moves[i].len);
            CHECK_OK(copy_from(0, moves[i].offset, mine, moves[i].len, &done));
        }
        CHECK_EQ(done, moves[i].len);
        if (memcmp(client_mem, expect, BUF_BYTES) != 0) {
            check_fail(__FILE__, __LINE__, "move %u is not a memmove", i);
            return;
        }
    }
    CHECK_STEP(finish_call(6));
}

/* The client in its own address space: its data pages are the root's
 * view, its image pages are read-only there though writable here. */
void test_copy_cross_vspace(void)
{
    static copy_client_t far;
    cptr_t ep, pool;
    own_thread_t t;
    uint64_t done;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_ENDPOINT, 0, &ep));
    CHECK_OK(pool_new(1024 * 1024, &pool));
    CHECK_OK(own_thread_new(pool, copy_client, (uint64_t)&far, &t));
    volatile uint8_t *data = t.data;
    fill((uint8_t *)data + 256, 8000, 9);
    fill(client_mem, 64, 11);
    far = (copy_client_t){.ep = ep, .count = 4, .out = (volatile uint64_t *)OWN_DATA_VA};
    far.desc[0] = (buffer_desc_t){OWN_DATA_VA + 256, 8000, DESC_READ};
    far.desc[1] = (buffer_desc_t){OWN_DATA_VA + 8448, 3000, DESC_WRITE};
    far.desc[2] = (buffer_desc_t){(uint64_t)client_mem, 64, DESC_READ | DESC_WRITE};
    /* the root's view of its data: mapped here, not there */
    far.desc[3] = (buffer_desc_t){(uint64_t)data, 64, DESC_READ};
    CHECK_OK(tcb_resume(t.tcb));
    sys_result_t r = sys_recv(ep);
    CHECK_OK(r.err);
    CHECK_OK(copy_from(0, 0, local, 8000, &done));
    CHECK(memcmp(local, (const uint8_t *)data + 256, 8000) == 0);
    fill(expect, 3000, 13);
    CHECK_OK(copy_to(1, 0, expect, 3000, &done));
    CHECK(memcmp((const uint8_t *)data + 8448, expect, 3000) == 0);
    /* the same frames, seen read-only from its side */
    CHECK_OK(copy_from(2, 0, local, 64, &done));
    CHECK(memcmp(local, client_mem, 64) == 0);
    CHECK_ERR_ARG(copy_to(2, 0, expect, 64, &done), KERR_CALLER_FAULT, 0);
    /* the walk is of the caller's address space, not the server's */
    CHECK_ERR_ARG(copy_from(3, 0, expect, 64, &done), KERR_CALLER_FAULT, 0);
    CHECK_OK(sys_ipc(SYS_REPLY, 0, msginfo_make(LABEL, 1), 7, 0, 0, 0).err);
    volatile uint64_t *out = (volatile uint64_t *)data;
    CHECK(wait_change(&out[0], 0));
    CHECK_EQ(out[1], KERR_OK);
    CHECK_EQ(out[2], 7);
}
