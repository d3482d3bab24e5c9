/*
 * Pools: Pool_Create of every creatable type and its argument checks,
 * Pool_Info (budget, used, objects) and the exact credit when objects die,
 * Pool_Split and its depth limit, budgets as ceilings (a child costs its
 * parent only its structure; every charge and credit reaches each ancestor;
 * a grandchild fails on its grandparent's ceiling with nothing charged),
 * exhaustion (a failed create changes nothing), Pool_Destroy (child pools, a process whose CNode
 * and TCB name each other, a thread destroying its own pool), and frames reading zero after another
 * pool's were freed full of a pattern.
 */
#include <stddef.h>

#include "check.h"
#include "helper.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define KIB 1024ull
#define MIB (1024 * KIB)

void test_pool_info(void)
{
    cptr_t ro, wo, dest = slot_alloc();
    uint64_t budget, used, objects;
    pool_stats_t s = pool_stats(CAP_INIT_POOL);
    CHECK_EQ(s.budget, selftest_bootinfo->pool_budget);
    CHECK(s.used > 0 && s.used <= s.budget);
    CHECK(s.objects > CAP_INIT_FIRST_FREE);
    /* Pool_Info needs the read right, everything else the write right */
    CHECK_OK(cap_derive(CAP_INIT_POOL, RIGHT_READ, &ro));
    CHECK_OK(cap_derive(CAP_INIT_POOL, RIGHT_WRITE, &wo));
    CHECK_OK(pool_info(ro, &budget, &used, &objects));
    CHECK_EQ(budget, s.budget);
    CHECK_EQ(used, s.used);
    CHECK_EQ(objects, s.objects);
    CHECK_ERR_ARG(pool_info(wo, &budget, &used, &objects), KERR_NO_RIGHTS, KERR_ARG_NONE);
    CHECK_ERR(pool_create(ro, OBJ_FRAME, 0, CAP_INIT_CNODE, dest), KERR_NO_RIGHTS);
    CHECK_ERR(pool_split(ro, PAGE_SIZE, CAP_INIT_CNODE, dest), KERR_NO_RIGHTS);
    CHECK_ERR(pool_destroy(ro), KERR_NO_RIGHTS);
    CHECK_OK(pool_create(wo, OBJ_FRAME, 0, CAP_INIT_CNODE, dest));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, s.objects + 1);
}

static const struct {
    obj_type_t type;
    unsigned size_bits;
} creatable[] = {
    {OBJ_CNODE, CNODE_MIN_SIZE_BITS},
    {OBJ_CNODE, 8},
    {OBJ_CNODE, CNODE_MAX_SIZE_BITS},
    {OBJ_TCB, 0},
    {OBJ_VSPACE, 0},
    {OBJ_FRAME, 0},
};

void test_pool_create_types(void)
{
    for (size_t i = 0; i < ARRAY_LEN(creatable); i++) {
        pool_stats_t before = pool_stats(CAP_INIT_POOL);
        uint64_t type, rights, badge;
        cptr_t slot;
        CHECK_OK(object_new(CAP_INIT_POOL, creatable[i].type, creatable[i].size_bits, &slot));
        CHECK_OK(cnode_identify(CAP_INIT_CNODE, slot, &type, &rights, &badge));
        CHECK_EQ(type, creatable[i].type);
        CHECK_EQ(rights, RIGHTS_ALL);
        CHECK_EQ(badge, 0);
        pool_stats_t after = pool_stats(CAP_INIT_POOL);
        CHECK_EQ(after.objects, before.objects + 1);
        CHECK(after.used > before.used);
    }
}

/* Pool_Create with full 64-bit arguments (the stub takes narrower ones). */
static kerr_t create_raw(uint64_t type, uint64_t size_bits, cptr_t cnode, uint64_t slot)
{
    uint64_t args[4] = {type, size_bits, cnode, slot};
    return kernel_invoke(CAP_INIT_POOL, INV_POOL_CREATE, args, 4, NULL, 0);
}

void test_pool_create_errors(void)
{
    static const uint64_t bad_types[] = {OBJ_NULL, OBJ_POOL, OBJ_DEBUG, OBJ_COUNT, 1000, ~0ull};
    static const struct {
        uint64_t type, size_bits;
    } bad_sizes[] = {
        {OBJ_CNODE, 0},
        {OBJ_CNODE, CNODE_MAX_SIZE_BITS + 1},
        {OBJ_CNODE, (1ull << 32) + 4},
        {OBJ_TCB, 1},
        {OBJ_VSPACE, 12},
        {OBJ_FRAME, 1},
        {OBJ_FRAME, ~0ull},
    };
    cptr_t dest = slot_alloc(), ro_cnode;
    CHECK_OK(cap_derive(CAP_INIT_CNODE, RIGHT_READ, &ro_cnode));
    pool_stats_t before = pool_stats(CAP_INIT_POOL);
    for (size_t i = 0; i < ARRAY_LEN(bad_types); i++) {
        CHECK_ERR_ARG(create_raw(bad_types[i], 0, CAP_INIT_CNODE, dest), KERR_INVALID_ARGUMENT, 0);
    }
    for (size_t i = 0; i < ARRAY_LEN(bad_sizes); i++) {
        CHECK_ERR_ARG(create_raw(bad_sizes[i].type, bad_sizes[i].size_bits, CAP_INIT_CNODE, dest),
                      KERR_RANGE, 1);
    }
    CHECK_ERR_ARG(create_raw(OBJ_FRAME, 0, CAP_INIT_CNODE, CAP_INIT_TCB), KERR_SLOT_OCCUPIED, 3);
    CHECK_ERR_ARG(create_raw(OBJ_FRAME, 0, CAP_INIT_CNODE, root_slots()), KERR_SLOT_RANGE, 3);
    CHECK_ERR_ARG(create_raw(OBJ_FRAME, 0, CAP_INIT_CNODE, ~0ull), KERR_SLOT_RANGE, 3);
    CHECK_ERR_ARG(create_raw(OBJ_FRAME, 0, ro_cnode, dest), KERR_NO_RIGHTS, 2);
    pool_stats_t after = pool_stats(CAP_INIT_POOL);
    CHECK_EQ(after.used, before.used);
    CHECK_EQ(after.objects, before.objects);
    CHECK_EQ(slot_type(dest), OBJ_NULL);
}

void test_pool_credit(void)
{
    pool_stats_t before = pool_stats(CAP_INIT_POOL);
    cptr_t cnode, tcb, vspace, frame, ipc;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_CNODE, 4, &cnode));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_VSPACE, 0, &vspace));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &ipc));
    /* the TCB holds copies: its objects die with the last of them */
    CHECK_OK(tcb_configure(tcb, cnode, vspace, ipc, SPARE_VA_BASE));
    pool_stats_t full = pool_stats(CAP_INIT_POOL);
    CHECK_EQ(full.objects, before.objects + 5);
    CHECK(full.used >= before.used + 3 * PAGE_SIZE);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, cnode));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, vspace));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, ipc));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, full.objects);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, frame));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, tcb));
    pool_stats_t after = pool_stats(CAP_INIT_POOL);
    CHECK_EQ(after.used, before.used);
    CHECK_EQ(after.objects, before.objects);
}

void test_pool_split(void)
{
    const uint64_t budget = MIB, grand_budget = 64 * KIB;
    pool_stats_t root0 = pool_stats(CAP_INIT_POOL);
    cptr_t child, frame, grand = slot_alloc(), dest = slot_alloc();
    CHECK_OK(pool_new(budget, &child));
    CHECK_EQ(slot_type(child), OBJ_POOL);
    pool_stats_t root1 = pool_stats(CAP_INIT_POOL), c = pool_stats(child);
    /* the budget is a ceiling: the root pays only the child's structure */
    CHECK_EQ(root1.objects, root0.objects + 1);
    CHECK(root1.used > root0.used && root1.used < root0.used + PAGE_SIZE);
    CHECK_EQ(c.budget, budget);
    CHECK_EQ(c.used, 0);
    CHECK_EQ(c.objects, 0);
    /* the child's objects are charged to the child and to the root */
    CHECK_OK(object_new(child, OBJ_FRAME, 0, &frame));
    c = pool_stats(child);
    CHECK(c.used > PAGE_SIZE && c.objects == 1);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, root1.used + c.used);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, root1.objects);
    /* a grandchild costs the child its structure alone */
    CHECK_OK(pool_split(child, grand_budget, CAP_INIT_CNODE, grand));
    pool_stats_t c2 = pool_stats(child);
    CHECK(c2.used > c.used && c2.used < c.used + PAGE_SIZE && c2.objects == 2);
    /* rejected splits change nothing */
    CHECK_ERR_ARG(pool_split(child, 0, CAP_INIT_CNODE, dest), KERR_INVALID_ARGUMENT, 0);
    CHECK_ERR(pool_split(child, budget + 1, CAP_INIT_CNODE, dest), KERR_NO_MEMORY);
    CHECK_ERR(pool_split(child, ~0ull, CAP_INIT_CNODE, dest), KERR_NO_MEMORY);
    CHECK_ERR_ARG(pool_split(child, PAGE_SIZE, CAP_INIT_CNODE, CAP_INIT_TCB), KERR_SLOT_OCCUPIED,
                  2);
    CHECK_ERR_ARG(pool_split(child, PAGE_SIZE, CAP_INIT_CNODE, root_slots()), KERR_SLOT_RANGE, 2);
    CHECK_EQ(pool_stats(child).used, c2.used);
    CHECK_EQ(pool_stats(child).objects, c2.objects);
    CHECK_EQ(slot_type(dest), OBJ_NULL);
    /* deleting the child credits the root everything, grandchild included */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, child));
    CHECK_EQ(slot_type(grand), OBJ_NULL);
    CHECK_EQ(slot_type(frame), OBJ_NULL);
    pool_stats_t root2 = pool_stats(CAP_INIT_POOL);
    CHECK_EQ(root2.used, root0.used);
    CHECK_EQ(root2.objects, root0.objects);
}

/* Three levels under the root; each object is charged once to every level. */
void test_pool_nested_charge(void)
{
    cptr_t a, b = slot_alloc(), c = slot_alloc(), frame, cnode, vspace, mapped;
    CHECK_OK(pool_new(4 * MIB, &a));
    CHECK_OK(pool_split(a, 2 * MIB, CAP_INIT_CNODE, b));
    CHECK_OK(pool_split(b, MIB, CAP_INIT_CNODE, c));
    pool_stats_t r0 = pool_stats(CAP_INIT_POOL), a0 = pool_stats(a), b0 = pool_stats(b);
    CHECK_EQ(pool_stats(c).used, 0);
    /* a frame, a CNode and a VSpace whose page tables appear on first map */
    CHECK_OK(object_new(c, OBJ_FRAME, 0, &frame));
    CHECK_OK(object_new(c, OBJ_CNODE, 6, &cnode));
    CHECK_OK(object_new(c, OBJ_VSPACE, 0, &vspace));
    CHECK_OK(object_new(c, OBJ_FRAME, 0, &mapped));
    uint64_t before_map = pool_stats(c).used;
    CHECK_OK(vspace_map(vspace, mapped, 0x400000, MAP_READ | MAP_WRITE));
    pool_stats_t c1 = pool_stats(c);
    CHECK(c1.used >= before_map + 3 * PAGE_SIZE); /* PDPT, PD, PT */
    CHECK_EQ(c1.objects, 4);
    CHECK_EQ(pool_stats(b).used, b0.used + c1.used);
    CHECK_EQ(pool_stats(a).used, a0.used + c1.used);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, r0.used + c1.used);
    /* object counts stay per pool */
    CHECK_EQ(pool_stats(b).objects, b0.objects);
    CHECK_EQ(pool_stats(a).objects, a0.objects);
    /* each deletion credits every level by the same amount */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, frame));
    uint64_t freed = c1.used - pool_stats(c).used;
    CHECK(freed > PAGE_SIZE);
    CHECK_EQ(pool_stats(b).used, b0.used + c1.used - freed);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, r0.used + c1.used - freed);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, vspace));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, mapped));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, cnode));
    CHECK_EQ(pool_stats(c).used, 0);
    CHECK_EQ(pool_stats(b).used, b0.used);
    CHECK_EQ(pool_stats(a).used, a0.used);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, r0.used);
}

/* A grandchild with room of its own fails on its grandparent's ceiling,
 * and the failure charges nothing at any level. */
void test_pool_ancestor_ceiling(void)
{
    const uint64_t budget = 64 * KIB;
    cptr_t a, b = slot_alloc(), c = slot_alloc(), slot, last = CAP_NULL, grand_frame;
    kerr_t err;
    unsigned frames = 0;
    CHECK_OK(pool_new(budget, &a));
    CHECK_OK(pool_split(a, budget, CAP_INIT_CNODE, b));
    CHECK_OK(pool_split(b, budget, CAP_INIT_CNODE, c));
    /* fill the grandparent with frames of its own */
    while ((err = object_new(a, OBJ_FRAME, 0, &slot)) == KERR_OK) {
        last = slot;
        CHECK(++frames <= budget / PAGE_SIZE);
    }
    CHECK_ERR(err, KERR_NO_MEMORY);
    /* then with pool structures, the smallest charge, so nothing fits */
    for (unsigned i = 0; (err = pool_split(a, PAGE_SIZE, CAP_INIT_CNODE, slot)) == KERR_OK; i++) {
        slot = slot_alloc();
        CHECK(i < PAGE_SIZE / 32);
    }
    CHECK_ERR(err, KERR_NO_MEMORY);
    pool_stats_t r0 = pool_stats(CAP_INIT_POOL), a0 = pool_stats(a), b0 = pool_stats(b),
                 c0 = pool_stats(c);
    CHECK(c0.budget - c0.used > 4 * PAGE_SIZE); /* the grandchild has room */
    grand_frame = slot_alloc();
    CHECK_ERR(pool_create(c, OBJ_FRAME, 0, CAP_INIT_CNODE, grand_frame), KERR_NO_MEMORY);
    CHECK_ERR(pool_split(c, PAGE_SIZE, CAP_INIT_CNODE, grand_frame), KERR_NO_MEMORY);
    CHECK_EQ(slot_type(grand_frame), OBJ_NULL);
    const cptr_t pools[] = {CAP_INIT_POOL, a, b, c};
    const pool_stats_t was[] = {r0, a0, b0, c0};
    for (size_t i = 0; i < ARRAY_LEN(pools); i++) {
        pool_stats_t now = pool_stats(pools[i]);
        CHECK_EQ(now.used, was[i].used);
        CHECK_EQ(now.objects, was[i].objects);
    }
    /* the grandparent's frame gone, the grandchild's fits, charged everywhere */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, last));
    CHECK_OK(pool_create(c, OBJ_FRAME, 0, CAP_INIT_CNODE, grand_frame));
    uint64_t charge = pool_stats(c).used;
    CHECK(charge > PAGE_SIZE);
    CHECK_EQ(pool_stats(b).used, b0.used + charge);
    CHECK(pool_stats(a).used <= budget);
}

/* Pool_Destroy of a middle pool credits every ancestor what it and its
 * descendants held, and leaves it working. */
void test_pool_destroy_credits_ancestors(void)
{
    cptr_t a, b = slot_alloc(), c = slot_alloc(), slot;
    pool_stats_t r0 = pool_stats(CAP_INIT_POOL);
    CHECK_OK(pool_new(2 * MIB, &a));
    CHECK_OK(pool_split(a, MIB, CAP_INIT_CNODE, b));
    pool_stats_t r1 = pool_stats(CAP_INIT_POOL), a1 = pool_stats(a);
    CHECK_OK(pool_split(b, 512 * KIB, CAP_INIT_CNODE, c));
    for (int i = 0; i < 8; i++) {
        CHECK_OK(object_new(i % 2 ? b : c, OBJ_FRAME, 0, &slot));
    }
    CHECK_OK(object_new(c, OBJ_TCB, 0, &slot));
    CHECK(pool_stats(a).used > a1.used + 8 * PAGE_SIZE);
    CHECK_OK(pool_destroy(b));
    CHECK_EQ(slot_type(c), OBJ_NULL);
    CHECK_EQ(slot_type(slot), OBJ_NULL);
    pool_stats_t b2 = pool_stats(b);
    CHECK_EQ(b2.budget, MIB);
    CHECK_EQ(b2.used, 0);
    CHECK_EQ(b2.objects, 0);
    CHECK_EQ(pool_stats(a).used, a1.used);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, r1.used);
    /* b still works; deleting a takes b with it and credits the root */
    CHECK_OK(object_new(b, OBJ_FRAME, 0, &slot));
    CHECK_EQ(pool_stats(a).used, a1.used + pool_stats(b).used);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, a));
    CHECK_EQ(slot_type(b), OBJ_NULL);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, r0.used);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, r0.objects);
}

void test_pool_depth(void)
{
    pool_stats_t root0 = pool_stats(CAP_INIT_POOL);
    cptr_t pool = CAP_INIT_POOL, first = CAP_NULL, frame;
    uint64_t budget = MIB;
    unsigned depth = 0;
    kerr_t err;
    for (;;) {
        cptr_t child = slot_alloc();
        if ((err = pool_split(pool, budget, CAP_INIT_CNODE, child)) != KERR_OK) {
            break;
        }
        first = first == CAP_NULL ? child : first;
        pool = child;
        budget -= 16 * KIB;
        depth++;
        CHECK(depth < 64);
    }
    /* pools nest, but not without bound */
    CHECK_ERR(err, KERR_RANGE);
    CHECK(depth >= 8);
    CHECK_OK(object_new(pool, OBJ_FRAME, 0, &frame));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, first));
    CHECK_EQ(slot_type(pool), OBJ_NULL);
    CHECK_EQ(slot_type(frame), OBJ_NULL);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, root0.used);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, root0.objects);
}

void test_pool_exhaustion(void)
{
    const uint64_t budget = 64 * KIB;
    cptr_t child, slot;
    unsigned frames = 0;
    kerr_t err;
    CHECK_OK(pool_new(budget, &child));
    while ((err = object_new(child, OBJ_FRAME, 0, &slot)) == KERR_OK) {
        frames++;
        CHECK(frames <= budget / PAGE_SIZE);
    }
    CHECK_ERR(err, KERR_NO_MEMORY);
    CHECK(frames >= budget / PAGE_SIZE - 2);
    pool_stats_t full = pool_stats(child);
    CHECK(full.used <= full.budget);
    CHECK_EQ(full.objects, frames);
    /* failed creates and splits leave the pool and the slot as they were */
    CHECK_EQ(slot_type(slot), OBJ_NULL);
    CHECK_ERR(pool_create(child, OBJ_CNODE, CNODE_MAX_SIZE_BITS, CAP_INIT_CNODE, slot),
              KERR_NO_MEMORY);
    CHECK_ERR(pool_split(child, full.budget + 1, CAP_INIT_CNODE, slot), KERR_NO_MEMORY);
    CHECK_EQ(slot_type(slot), OBJ_NULL);
    CHECK_EQ(pool_stats(child).used, full.used);
    CHECK_EQ(pool_stats(child).objects, full.objects);
    /* deleting one frame makes room for exactly one */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, slot - 1));
    CHECK(pool_stats(child).used < full.used);
    CHECK_OK(pool_create(child, OBJ_FRAME, 0, CAP_INIT_CNODE, slot));
    CHECK_EQ(pool_stats(child).used, full.used);
    CHECK_ERR(pool_create(child, OBJ_FRAME, 0, CAP_INIT_CNODE, slot - 1), KERR_NO_MEMORY);
}

void test_pool_destroy(void)
{
    cptr_t child, grand = slot_alloc(), cnode, tcb, vspace, frame, copy, gframe, again;
    volatile uint64_t *mem;
    pool_stats_t root0 = pool_stats(CAP_INIT_POOL);
    CHECK_OK(pool_new(2 * MIB, &child));
    CHECK_OK(pool_split(child, 256 * KIB, CAP_INIT_CNODE, grand));
    CHECK_OK(object_new(child, OBJ_CNODE, 4, &cnode));
    CHECK_OK(object_new(child, OBJ_TCB, 0, &tcb));
    CHECK_OK(tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, 0, 0));
    CHECK_OK(object_new(child, OBJ_VSPACE, 0, &vspace));
    CHECK_OK(frame_new_mapped(child, &frame, &mem));
    *mem = 42;
    CHECK_OK(cap_derive(frame, RIGHT_READ, &copy));
    CHECK_OK(object_new(grand, OBJ_FRAME, 0, &gframe));
    CHECK_OK(cnode_copy(cnode, 1, CAP_INIT_CNODE, gframe, RIGHTS_ALL));
    CHECK_OK(pool_destroy(child));
    pool_stats_t c = pool_stats(child);
    CHECK_EQ(c.budget, 2 * MIB);
    CHECK_EQ(c.used, 0);
    CHECK_EQ(c.objects, 0);
    /* every capability to the pool's objects is gone, copies included */
    const cptr_t gone[] = {grand, cnode, tcb, vspace, frame, copy, gframe};
    for (size_t i = 0; i < ARRAY_LEN(gone); i++) {
        CHECK_EQ(slot_type(gone[i]), OBJ_NULL);
    }
    /* what the TCB held copies of is intact */
    CHECK_EQ(slot_type(CAP_INIT_CNODE), OBJ_CNODE);
    CHECK_EQ(slot_type(CAP_INIT_VSPACE), OBJ_VSPACE);
    /* the frame's address is free again, and the pool still works */
    CHECK_OK(object_new(child, OBJ_FRAME, 0, &again));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, again, (uint64_t)mem, MAP_READ | MAP_WRITE));
    CHECK_EQ(*mem, 0);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, child));
    CHECK_EQ(slot_type(again), OBJ_NULL);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, root0.objects);
}

/* Where the process of test_pool_cycle has its code, data and IPC buffer. */
#define CYCLE_CODE_VA 0x400000ull
#define CYCLE_DATA_VA 0x401000ull
#define CYCLE_IPC_VA 0x402000ull
#define STR_(x) #x
#define STR(x) STR_(x)

/* The process's program: count in its data page, forever. */
__asm__("    .text\n"
        "    .global cycle_program, cycle_program_end\n"
        "cycle_program:\n"
        "1:  incq " STR(CYCLE_DATA_VA) "\n"
                                       "    jmp 1b\n"
                                       "cycle_program_end:\n");

extern const char cycle_program[], cycle_program_end[];

void test_pool_cycle(void)
{
    cptr_t pool, cnode, tcb, vspace, code, data, ipc, data_view;
    volatile uint64_t *counter;
    CHECK_OK(pool_new(MIB, &pool));
    CHECK_OK(object_new(pool, OBJ_CNODE, 4, &cnode));
    CHECK_OK(object_new(pool, OBJ_TCB, 0, &tcb));
    CHECK_OK(object_new(pool, OBJ_VSPACE, 0, &vspace));
    CHECK_OK(object_new(pool, OBJ_FRAME, 0, &code));
    CHECK_OK(frame_new_mapped(pool, &data, &counter));
    CHECK_OK(object_new(pool, OBJ_FRAME, 0, &ipc));
    CHECK_OK(frame_write(code, cycle_program, (size_t)(cycle_program_end - cycle_program)));
    /* the root watches the data page through a copy of its capability */
    CHECK_OK(cap_derive(data, RIGHTS_ALL, &data_view));
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, data));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, data_view, (uint64_t)counter, MAP_READ));
    CHECK_OK(vspace_map(vspace, code, CYCLE_CODE_VA, MAP_READ | MAP_EXEC));
    CHECK_OK(vspace_map(vspace, data, CYCLE_DATA_VA, MAP_READ | MAP_WRITE));
    CHECK_OK(tcb_configure(tcb, cnode, vspace, ipc, CYCLE_IPC_VA));
    /* the CNode names the TCB and itself; the frames move in, still mapped */
    CHECK_OK(cnode_copy(cnode, 1, CAP_INIT_CNODE, tcb, RIGHTS_ALL));
    CHECK_OK(cnode_copy(cnode, 2, CAP_INIT_CNODE, cnode, RIGHTS_ALL));
    CHECK_OK(cnode_move(cnode, 3, CAP_INIT_CNODE, code));
    CHECK_OK(cnode_move(cnode, 4, CAP_INIT_CNODE, data));
    CHECK_OK(tcb_set_priority(tcb, CAP_INIT_TCB, THREAD_PRIORITY));
    user_regs_t regs = {.rip = CYCLE_CODE_VA, .rflags = 0x202};
    CHECK_OK(tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL));
    CHECK(wait_change(counter, 0));
    pool_stats_t live = pool_stats(pool);
    CHECK_EQ(live.objects, 6);
    /* the root lets go: the cycle keeps everything alive and running */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, cnode));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, tcb));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, vspace));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, ipc));
    CHECK(wait_change(counter, *counter));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, data_view));
    pool_stats_t orphaned = pool_stats(pool);
    CHECK_EQ(orphaned.used, live.used);
    CHECK_EQ(orphaned.objects, live.objects);
    /* only Pool_Destroy can reclaim it */
    CHECK_OK(pool_destroy(pool));
    pool_stats_t after = pool_stats(pool);
    CHECK_EQ(after.used, 0);
    CHECK_EQ(after.objects, 0);
}

static volatile uint64_t survived;

/* Destroys the pool its own TCB is charged to. */
static void destroy_own_pool_thread(uint64_t pool, cptr_t self)
{
    (void)self;
    sys_call(pool, msginfo_make(INV_POOL_DESTROY, 0), 0, 0, 0, 0);
    for (;;) {
        survived++; /* never reached: the thread is gone */
    }
}

void test_pool_destroy_self(void)
{
    cptr_t pool, tcb, frame;
    survived = 0;
    CHECK_OK(pool_new(256 * KIB, &pool));
    CHECK_OK(object_new(pool, OBJ_FRAME, 0, &frame));
    CHECK_OK(thread_new(pool, (uint64_t)destroy_own_pool_thread, pool, THREAD_PRIORITY, &tcb));
    CHECK_OK(tcb_resume(tcb));
    uint64_t start = tsc_now();
    while (slot_type(tcb) != OBJ_NULL && tsc_now() - start < TIMEOUT_CYCLES) {
        sys_yield();
    }
    CHECK_EQ(slot_type(tcb), OBJ_NULL);
    CHECK_EQ(slot_type(frame), OBJ_NULL);
    for (int i = 0; i < 10; i++) {
        sys_yield();
    }
    CHECK_EQ(survived, 0);
    CHECK_EQ(pool_stats(pool).used, 0);
    CHECK_EQ(pool_stats(pool).objects, 0);
}

#define ZERO_FRAMES 16
#define WORDS_PER_PAGE (PAGE_SIZE / 8)

void test_pool_zeroing(void)
{
    const uint64_t budget = 2 * ZERO_FRAMES * PAGE_SIZE;
    cptr_t dirty, clean, frame;
    volatile uint64_t *mem;
    CHECK_OK(pool_new(budget, &dirty));
    for (unsigned i = 0; i < ZERO_FRAMES; i++) {
        CHECK_OK(frame_new_mapped(dirty, &frame, &mem));
        for (unsigned w = 0; w < WORDS_PER_PAGE; w++) {
            mem[w] = 0xa5a5a5a5a5a5a5a5ull ^ w;
        }
    }
    CHECK_OK(pool_destroy(dirty));
    CHECK_OK(pool_new(budget, &clean));
    for (unsigned i = 0; i < ZERO_FRAMES; i++) {
        CHECK_OK(frame_new_mapped(clean, &frame, &mem));
        for (unsigned w = 0; w < WORDS_PER_PAGE; w++) {
            CHECK_EQ(mem[w], 0);
        }
    }
}
