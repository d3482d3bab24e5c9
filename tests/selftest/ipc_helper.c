/*
 * The helpers of ipc_helper.h. Every object they create is in a test slot
 * of the root CNode, so helper_cleanup() releases it after the test.
 */
#include "ipc_helper.h"

#define OWN_STACK_PAGES 2

kerr_t buffered_thread_new(buffered_fn_t fn, uint64_t arg, bool with_buffer, cptr_t *tcb,
                           ipc_buffer_t **buf)
{
    cptr_t frame = CAP_NULL;
    volatile uint64_t *va = NULL;
    kerr_t err = with_buffer ? frame_new_mapped(CAP_INIT_POOL, &frame, &va) : KERR_OK;
    if (err == KERR_OK) {
        err = thread_new(CAP_INIT_POOL, (uint64_t)fn, arg, THREAD_PRIORITY, tcb);
    }
    if (err == KERR_OK) {
        err = tcb_configure(*tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, frame, (uint64_t)va);
    }
    if (err == KERR_OK) {
        user_regs_t regs = thread_regs((uint64_t)fn, arg, *tcb);
        regs.rdx = (uint64_t)va;
        err = tcb_write_registers(*tcb, 0, &regs, NULL);
    }
    if (buf != NULL) {
        *buf = (ipc_buffer_t *)va;
    }
    return err;
}

kerr_t buffered_thread_spawn(buffered_fn_t fn, uint64_t arg, cptr_t *tcb, ipc_buffer_t **buf)
{
    kerr_t err = buffered_thread_new(fn, arg, true, tcb, buf);
    return err == KERR_OK ? tcb_resume(*tcb) : err;
}

uint64_t thread_state(cptr_t tcb)
{
    tcb_registers_t r;
    return tcb_read_registers(tcb, &r) == KERR_OK ? r.state : ~0ull;
}

bool wait_state(cptr_t tcb, uint64_t state)
{
    uint64_t start = tsc_now();
    while (thread_state(tcb) != state) {
        if (tsc_now() - start >= TIMEOUT_CYCLES) {
            return false;
        }
        sys_yield();
    }
    return true;
}

/* Copies what the server received into `e`. */
static void echo_record(echo_t *e, ipc_buffer_t *buf, const sys_result_t *r)
{
    unsigned len = (unsigned)msginfo_length(r->info);
    e->err = r->err;
    e->info = r->info;
    e->badge = r->badge;
    for (unsigned i = 0; i < len && i < MSG_MAX_REGISTERS; i++) {
        e->mr[i] = i < MSG_REGISTERS_IN_CPU ? r->mr[i] : buf->mr[i];
    }
    e->received++;
}

static void echo_server(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)self;
    echo_t *e = (echo_t *)arg;
    sys_result_t r = sys_recv(e->ep);
    for (;;) {
        echo_record(e, buf, &r);
        uint64_t x = e->reply_xor;
        for (unsigned i = MSG_REGISTERS_IN_CPU; buf != NULL && i < MSG_MAX_REGISTERS; i++) {
            buf->mr[i] ^= x;
        }
        uint64_t info = msginfo_make(msginfo_label(r.info), msginfo_length(r.info));
        info = msginfo_with(info, e->reply_caps, 0);
        r = sys_ipc(SYS_REPLY_RECV, e->ep, info, r.mr[0] ^ x, r.mr[1] ^ x, r.mr[2] ^ x,
                    r.mr[3] ^ x);
    }
}

kerr_t echo_start(echo_t *e, bool with_buffer, cptr_t *tcb, ipc_buffer_t **buf)
{
    e->received = 0;
    kerr_t err = buffered_thread_new(echo_server, (uint64_t)e, with_buffer, tcb, buf);
    if (err == KERR_OK) {
        err = tcb_resume(*tcb);
    }
    if (err == KERR_OK && !wait_state(*tcb, TCB_STATE_BLOCKED_RECV)) {
        err = KERR_TIMEOUT;
    }
    return err;
}

bool echo_wait(echo_t *e, uint64_t seen)
{
    return wait_change(&e->received, seen);
}

static void caller_thread(uint64_t arg, cptr_t self, ipc_buffer_t *buf)
{
    (void)buf;
    caller_t *c = (caller_t *)arg;
    spin_cycles(c->delay);
    sys_result_t r = sys_call(c->ep, msginfo_make(c->label, 1), c->mr0, 0, 0, 0);
    c->err = r.err;
    c->info = r.info;
    c->badge = r.badge;
    c->reply0 = r.mr[0];
    c->done = 1;
    thread_exit(self);
}

kerr_t caller_start(caller_t *c, cptr_t *tcb)
{
    c->done = 0;
    c->err = ~0ull;
    return buffered_thread_spawn(caller_thread, (uint64_t)c, tcb, NULL);
}

bool caller_wait(caller_t *c)
{
    return wait_change(&c->done, 0);
}

void mr_fill(ipc_buffer_t *buf, uint64_t cpu[4], uint64_t seed, unsigned len)
{
    for (unsigned i = 0; i < MSG_REGISTERS_IN_CPU; i++) {
        cpu[i] = i < len ? mr_pattern(seed, i) : 0;
    }
    for (unsigned i = MSG_REGISTERS_IN_CPU; i < len && i < MSG_MAX_REGISTERS; i++) {
        buf->mr[i] = mr_pattern(seed, i);
    }
}

void root_timeout(uint64_t ns)
{
    ipc_buffer->timeout_ns = ns;
}

uint64_t ns_to_cycles(uint64_t ns)
{
    uint64_t hz = kinfo()->tsc_hz;
    return ns / 1000000000u * hz + ns % 1000000000u * hz / 1000000000u;
}

uint64_t cycles_to_ns(uint64_t cycles)
{
    uint64_t hz = kinfo()->tsc_hz;
    return cycles / hz * 1000000000u + cycles % hz * 1000000000u / hz;
}

kerr_t root_reply_regs(uint64_t label, const user_regs_t *regs)
{
    uint64_t cpu[4] = {0}, len = 0;
    if (regs != NULL) {
        const uint64_t *w = (const uint64_t *)regs;
        for (unsigned i = 0; i < REGS_WORDS; i++) {
            if (i < MSG_REGISTERS_IN_CPU) {
                cpu[i] = w[i];
            } else {
                ipc_buffer->mr[i] = w[i];
            }
        }
        len = REGS_WORDS;
    }
    return root_ipc(SYS_REPLY, 0, msginfo_make(label, len), cpu).err;
}

/* Maps copies of the root image's frames read-only where the image is. */
static kerr_t map_image(cptr_t vspace)
{
    const bootinfo_t *bi = selftest_bootinfo;
    uint64_t frame = bi->image_frames.first;
    for (uint64_t s = 0; s < bi->image_segment_count; s++) {
        const bootinfo_segment_t *seg = &bi->image_segments[s];
        for (uint64_t p = 0; p < seg->pages; p++, frame++) {
            cptr_t copy;
            kerr_t err = cap_derive(frame, RIGHT_READ, &copy);
            if (err == KERR_OK) {
                err = vspace_map(vspace, copy, seg->vaddr + p * PAGE_SIZE,
                                 seg->rights & ~(unsigned)MAP_WRITE);
            }
            if (err != KERR_OK) {
                return err;
            }
        }
    }
    return KERR_OK;
}

/* A new frame from `pool` mapped read-write at `va` in `vspace` and, if
 * `root_va` is not NULL, at a spare address of the root's VSpace too. */
static kerr_t map_shared(cptr_t pool, cptr_t vspace, uint64_t va, cptr_t *frame, void **root_va)
{
    cptr_t view;
    volatile uint64_t *mine;
    kerr_t err = frame_new_mapped(pool, frame, &mine);
    if (err == KERR_OK) {
        err = cap_derive(*frame, RIGHTS_ALL, &view);
    }
    if (err == KERR_OK) {
        err = vspace_map(vspace, view, va, MAP_READ | MAP_WRITE);
    }
    if (root_va != NULL) {
        *root_va = (void *)mine;
    }
    return err;
}

kerr_t own_thread_new(cptr_t pool, buffered_fn_t fn, uint64_t arg, own_thread_t *out)
{
    cptr_t frame, ipc;
    void *ipc_va = NULL, *data_va = NULL;
    kerr_t err = object_new(pool, OBJ_VSPACE, 0, &out->vspace);
    if (err == KERR_OK) {
        err = map_image(out->vspace);
    }
    for (unsigned i = 0; err == KERR_OK && i < OWN_STACK_PAGES; i++) {
        err = map_shared(pool, out->vspace, OWN_STACK_TOP - (i + 1) * PAGE_SIZE, &frame, NULL);
    }
    if (err == KERR_OK) {
        err = map_shared(pool, out->vspace, OWN_IPC_VA, &ipc, &ipc_va);
    }
    for (unsigned i = 0; err == KERR_OK && i < OWN_DATA_PAGES; i++) {
        void *va;
        err = map_shared(pool, out->vspace, OWN_DATA_VA + i * PAGE_SIZE, &frame, &va);
        if (i == 0) {
            data_va = va;
        } else if ((uint8_t *)va != (uint8_t *)data_va + i * PAGE_SIZE) {
            err = KERR_RANGE; /* the root's view must be contiguous too */
        }
    }
    if (err == KERR_OK) {
        err = object_new(pool, OBJ_TCB, 0, &out->tcb);
    }
    if (err == KERR_OK) {
        err = tcb_configure(out->tcb, CAP_INIT_CNODE, out->vspace, ipc, OWN_IPC_VA);
    }
    if (err == KERR_OK) {
        err = tcb_set_priority(out->tcb, CAP_INIT_TCB, THREAD_PRIORITY);
    }
    if (err == KERR_OK) {
        user_regs_t regs = {.rip = (uint64_t)fn,
                            .rsp = OWN_STACK_TOP - 8,
                            .rflags = 0x202,
                            .rdi = arg,
                            .rsi = out->tcb,
                            .rdx = OWN_IPC_VA};
        err = tcb_write_registers(out->tcb, 0, &regs, NULL);
    }
    out->ipc = ipc_va;
    out->data = data_va;
    return err;
}
