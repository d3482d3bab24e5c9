/*
 * The helpers of helper.h. Slots are handed out in order from the root's
 * free range and all given back after each test; so are spare virtual
 * addresses and thread stacks.
 */
#include "helper.h"

#include "capsule/string.h"
#include "check.h"

#define THREAD_STACKS 16
#define THREAD_STACK_BYTES 8192

const bootinfo_t *selftest_bootinfo;

static uint64_t slot_first, slot_next, slot_end;
static uint64_t va_next = SPARE_VA_BASE;
static unsigned stacks_used;
static uint8_t stacks[THREAD_STACKS][THREAD_STACK_BYTES] __attribute__((aligned(16)));

void helper_init(const bootinfo_t *bi)
{
    selftest_bootinfo = bi;
    slot_first = slot_next = bi->free_slots.first;
    slot_end = bi->free_slots.first + bi->free_slots.count;
}

/* Deletes the capability of every test slot whose object has `type`
 * (OBJ_NULL: every one). */
static void delete_slots(uint64_t type)
{
    for (uint64_t s = slot_first; s < slot_next; s++) {
        if (type == OBJ_NULL || slot_type(s) == type) {
            cnode_delete(CAP_INIT_CNODE, s);
        }
    }
}

void helper_cleanup(void)
{
    tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, ROOT_PRIORITY);
    tcb_set_tls(CAP_INIT_TCB, 0);
    /* what a test may have left in the root's IPC buffer for its calls */
    ipc_buffer->recv_slot = 0;
    ipc_buffer->timeout_ns = 0;
    delete_slots(OBJ_TCB); /* stop the test's threads before their memory goes */
    delete_slots(OBJ_NULL);
    slot_next = slot_first;
    va_next = SPARE_VA_BASE;
    stacks_used = 0;
}

cptr_t slot_alloc(void)
{
    if (slot_next >= slot_end) {
        check_fail(__FILE__, __LINE__, "out of free slots");
        return CAP_NULL;
    }
    return slot_next++;
}

uint64_t root_slots(void)
{
    return 1ull << selftest_bootinfo->cnode_size_bits;
}

kerr_t object_new(cptr_t pool, obj_type_t type, unsigned size_bits, cptr_t *out)
{
    *out = slot_alloc();
    return pool_create(pool, type, size_bits, CAP_INIT_CNODE, *out);
}

kerr_t cap_derive(cptr_t src, unsigned rights, cptr_t *out)
{
    *out = slot_alloc();
    return cnode_copy(CAP_INIT_CNODE, *out, CAP_INIT_CNODE, src, rights);
}

kerr_t pool_new(uint64_t budget, cptr_t *out)
{
    *out = slot_alloc();
    return pool_split(CAP_INIT_POOL, budget, CAP_INIT_CNODE, *out);
}

pool_stats_t pool_stats(cptr_t pool)
{
    pool_stats_t s;
    if (pool_info(pool, &s.budget, &s.used, &s.objects) != KERR_OK) {
        return (pool_stats_t){0, 0, 0};
    }
    return s;
}

uint64_t slot_type(cptr_t slot)
{
    uint64_t type, rights, badge;
    if (cnode_identify(CAP_INIT_CNODE, slot, &type, &rights, &badge) != KERR_OK) {
        return OBJ_NULL;
    }
    return type;
}

uint64_t va_alloc(uint64_t pages)
{
    uint64_t va = va_next;
    va_next += pages * PAGE_SIZE;
    return va;
}

kerr_t frame_new_mapped(cptr_t pool, cptr_t *frame, volatile uint64_t **addr)
{
    kerr_t err = object_new(pool, OBJ_FRAME, 0, frame);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t va = va_alloc(1);
    *addr = (volatile uint64_t *)va;
    return vspace_map(CAP_INIT_VSPACE, *frame, va, MAP_READ | MAP_WRITE);
}

/* The top of an unused thread stack, as a call would leave it. */
static uint64_t stack_alloc(void)
{
    if (stacks_used == THREAD_STACKS) {
        check_fail(__FILE__, __LINE__, "out of thread stacks");
        return 0;
    }
    return (uint64_t)&stacks[stacks_used++][THREAD_STACK_BYTES] - 8;
}

user_regs_t thread_regs(uint64_t entry, uint64_t arg, cptr_t self)
{
    return (user_regs_t){
        .rip = entry, .rsp = stack_alloc(), .rflags = 0x202, .rdi = arg, .rsi = self};
}

kerr_t thread_new(cptr_t pool, uint64_t entry, uint64_t arg, unsigned priority, cptr_t *tcb)
{
    kerr_t err = object_new(pool, OBJ_TCB, 0, tcb);
    if (err == KERR_OK) {
        err = tcb_configure(*tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, 0, 0);
    }
    if (err == KERR_OK) {
        err = tcb_set_priority(*tcb, CAP_INIT_TCB, priority);
    }
    if (err == KERR_OK) {
        user_regs_t regs = thread_regs(entry, arg, *tcb);
        err = tcb_write_registers(*tcb, 0, &regs, NULL);
    }
    return err;
}

kerr_t thread_spawn(thread_fn_t fn, uint64_t arg, cptr_t *tcb)
{
    kerr_t err = thread_new(CAP_INIT_POOL, (uint64_t)fn, arg, THREAD_PRIORITY, tcb);
    return err == KERR_OK ? tcb_resume(*tcb) : err;
}

void thread_exit(cptr_t self)
{
    /* a raw call: the runtime's stubs keep state in globals the root uses */
    for (;;) {
        sys_call(self, msginfo_make(INV_TCB_SUSPEND, 0), 0, 0, 0, 0);
    }
}

uint64_t thread_wait(cptr_t tcb, tcb_registers_t *regs)
{
    uint64_t start = tsc_now();
    do {
        if (tcb_read_registers(tcb, regs) != KERR_OK) {
            return ~0ull;
        }
        if (regs->state != TCB_STATE_RUNNABLE) {
            return regs->state;
        }
        sys_yield();
    } while (tsc_now() - start < TIMEOUT_CYCLES);
    return TCB_STATE_RUNNABLE;
}

bool wait_change(volatile uint64_t *word, uint64_t from)
{
    uint64_t start = tsc_now();
    while (*word == from) {
        if (tsc_now() - start >= TIMEOUT_CYCLES) {
            return false;
        }
        sys_yield();
    }
    return true;
}

kerr_t frame_write(cptr_t frame, const void *src, size_t len)
{
    cptr_t view;
    uint64_t va = va_alloc(1);
    kerr_t err = cap_derive(frame, RIGHTS_ALL, &view);
    if (err == KERR_OK) {
        err = vspace_map(CAP_INIT_VSPACE, view, va, MAP_READ | MAP_WRITE);
    }
    if (err == KERR_OK) {
        memcpy((void *)va, src, len);
        err = cnode_delete(CAP_INIT_CNODE, view);
    }
    return err;
}

void spin_cycles(uint64_t cycles)
{
    uint64_t start = tsc_now();
    while (tsc_now() - start < cycles) {
    }
}
