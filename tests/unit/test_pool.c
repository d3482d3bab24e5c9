/*
 * Unit tests for pools and object lifetime (object/pool.c, kernel/object.c):
 * what each object is charged, charge/uncharge at the budget's edge, child
 * pools (Pool_Split charges the parent only the child's structure; the
 * child's budget is a ceiling, and every charge goes to the pool and each
 * ancestor or, if any would go over, to none; nesting is limited), object_create and the Pool
 * decoders failing cleanly, Pool_Destroy reclaiming everything a pool holds including CNode <-> TCB
 * and CNode <-> CNode cycles and nested pools, objects dying with their last capability, and
 * reaping being iterative: a long chain of CNodes each naming the next goes when its head is
 * deleted, without the stack growing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_kernel.h"
#include "fake_memory.h"
#include "kernel/frame_alloc.h"
#include "kernel/kalloc.h"
#include "kernel/memory.h"
#include "object/debug.h"
#include "object/frame.h"

#define SLAB_HEADER 64

/* What a slab object of `size` is charged, computed independently of
 * kalloc: its class's share of a page, header included, rounded up. */
static size_t slab_share(size_t size)
{
    size_t class_size = 32;
    while (class_size < size) {
        class_size *= 2;
    }
    size_t per_slab = (FRAME_SIZE - SLAB_HEADER) / class_size;
    return (FRAME_SIZE + per_slab - 1) / per_slab;
}

static size_t pool_struct_charge(void)
{
    return slab_share(sizeof(pool_t));
}

typedef struct {
    uint64_t used, objects;
    size_t frames;
} pool_state_t;

static pool_state_t state_of(const pool_t *pool)
{
    return (pool_state_t){pool->used, pool->object_count, fk_frames_used()};
}

static void assert_state(const pool_t *pool, pool_state_t s)
{
    assert_int_equal(pool->used, s.used);
    assert_int_equal(pool->object_count, s.objects);
    assert_int_equal(fk_frames_used(), s.frames);
}

/* A child of fk.pool with `budget` bytes, its capability at `slot`. */
static pool_t *split(uint64_t budget, uint64_t slot)
{
    assert_int_equal(FK_CALL(FK_SLOT_POOL, INV_POOL_SPLIT, budget, FK_SLOT_CSPACE, slot), KERR_OK);
    return (pool_t *)fk_slot(slot)->cap.obj;
}

typedef struct {
    uint64_t args[4];
    kerr_t err;
    uint64_t bad_arg;
} bad_call_t;

/* Each call must fail as listed, leave `pool` as it was and every CSpace
 * slot untouched. */
static void check_rejected(uint64_t cptr, uint64_t label, unsigned length, const pool_t *pool,
                           const bad_call_t *calls, size_t count)
{
    static cte_t slots[1u << FK_CSPACE_BITS];
    for (size_t i = 0; i < count; i++) {
        pool_state_t before = state_of(pool);
        memcpy(slots, fk.cspace->slots, sizeof(slots));
        assert_int_equal(fk_call(cptr, label, length, calls[i].args), calls[i].err);
        assert_int_equal(fk.bad_arg, calls[i].bad_arg);
        assert_state(pool, before);
        assert_memory_equal(slots, fk.cspace->slots, sizeof(slots));
    }
}

/* ---- charges ---- */

static void test_object_charges(void **state)
{
    (void)state;
    assert_int_equal(object_charge(OBJ_POOL, 0), slab_share(sizeof(pool_t)));
    assert_true(sizeof(tcb_t) <= KALLOC_SLAB_MAX);
    assert_int_equal(object_charge(OBJ_TCB, 0), slab_share(sizeof(tcb_t)));
    assert_int_equal(object_charge(OBJ_DEBUG, 0), slab_share(sizeof(debug_t)));
    assert_int_equal(object_charge(OBJ_FRAME, 0), slab_share(sizeof(frame_t)) + FRAME_SIZE);
    assert_int_equal(object_charge(OBJ_VSPACE, 0),
                     slab_share(sizeof(vspace_t)) + VSPACE_DATA_PAGES * FRAME_SIZE);
    /* a CNode: its structure, and its slot array allocated apart (CNode_Grow
     * replaces the array) */
    for (unsigned bits = CNODE_MIN_SIZE_BITS; bits <= CNODE_MAX_SIZE_BITS; bits++) {
        size_t slots = sizeof(cte_t) << bits;
        size_t expect =
            slab_share(sizeof(cnode_t)) +
            (slots <= KALLOC_SLAB_MAX ? slab_share(slots) : ALIGN_UP(slots, FRAME_SIZE));
        assert_int_equal(object_charge(OBJ_CNODE, bits), expect);
        assert_int_equal(cnode_size(bits), sizeof(cnode_t));
        assert_int_equal(cnode_slots_charge(bits), expect - slab_share(sizeof(cnode_t)));
    }
    /* a slab object never pays less than its bytes */
    assert_true(object_charge(OBJ_POOL, 0) >= sizeof(pool_t));
    assert_true(object_charge(OBJ_TCB, 0) >= sizeof(tcb_t));
}

/* Full slabs: what the pool was charged covers every frame they took. */
static void test_charges_cover_slab_frames(void **state)
{
    (void)state;
    size_t size = sizeof(tcb_t); /* one allocation an object */
    assert_true(size <= KALLOC_SLAB_MAX);
    size_t class_size = 32;
    while (class_size < size) {
        class_size *= 2;
    }
    size_t per_slab = (FRAME_SIZE - SLAB_HEADER) / class_size;
    pool_state_t before = state_of(fk.pool);

    for (size_t i = 0; i < 4 * per_slab; i++) {
        fk_create(fk.pool, OBJ_TCB, 0, NULL); /* reclaimed by teardown */
    }
    size_t frames = fk_frames_used() - before.frames;
    assert_int_equal(frames, 4);
    assert_int_equal(fk.pool->used - before.used, 4 * per_slab * object_charge(OBJ_TCB, 0));
    assert_true(fk.pool->used - before.used >= frames * FRAME_SIZE);
}

static void test_charge_at_budget_edge(void **state)
{
    (void)state;
    pool_t *p = pool_create_root(1000);
    assert_int_equal(pool_charge(p, 600), KERR_OK);
    assert_int_equal(pool_charge(p, 401), KERR_NO_MEMORY);
    assert_int_equal(p->used, 600);
    assert_int_equal(pool_charge(p, 400), KERR_OK);
    assert_int_equal(pool_charge(p, 1), KERR_NO_MEMORY);
    assert_int_equal(pool_charge(p, SIZE_MAX), KERR_NO_MEMORY);
    assert_int_equal(p->used, 1000);
    pool_uncharge(p, 1000);
    assert_int_equal(p->used, 0);
    assert_int_equal(pool_charge(p, 0), KERR_OK);
    kfree(p, sizeof(pool_t));
}

static void test_create_charges_and_uncharges(void **state)
{
    (void)state;
    const obj_type_t types[] = {OBJ_CNODE, OBJ_TCB, OBJ_VSPACE, OBJ_FRAME, OBJ_DEBUG};
    pool_state_t start = state_of(fk.pool);

    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        uint64_t used = fk.pool->used;
        unsigned bits = types[i] == OBJ_CNODE ? 4 : 0;
        kobject_t *obj = fk_create(fk.pool, types[i], bits, fk_slot(FK_SLOT_FREE + i));
        assert_int_equal(fk.pool->used - used, object_charge(types[i], bits));
        assert_int_equal(obj->charge, object_charge(types[i], bits));
        assert_ptr_equal(obj->pool, fk.pool);
        assert_int_equal(obj->type, types[i]);
        assert_int_equal(fk.pool->object_count, start.objects + i + 1);
    }
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        cte_delete(fk_slot(FK_SLOT_FREE + i));
    }
    object_reap();
    assert_state(fk.pool, start);
}

static void test_created_objects_are_zeroed(void **state)
{
    (void)state;
    cnode_t *cn = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 5, NULL);
    for (uint64_t i = 0; i < cnode_slot_count(cn); i++) {
        assert_true(cte_is_empty(&cn->slots[i]));
        assert_null(cn->slots[i].parent);
        assert_null(cn->slots[i].map.vspace);
    }
    frame_t *f = (frame_t *)fk_create(fk.pool, OBJ_FRAME, 0, NULL);
    assert_true(f->paddr < FK_GARBAGE_BYTES && virt_to_phys(cn) < FK_GARBAGE_BYTES);
    const uint8_t *page = phys_to_virt(f->paddr);
    for (size_t i = 0; i < FRAME_SIZE; i++) {
        assert_int_equal(page[i], 0);
    }
    assert_null(f->obj.slots);
    assert_int_equal(f->obj.flags, 0);
}

static void test_create_fails_cleanly_on_short_budget(void **state)
{
    (void)state;
    const obj_type_t types[] = {OBJ_CNODE, OBJ_TCB, OBJ_VSPACE, OBJ_FRAME};
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        unsigned bits = types[i] == OBJ_CNODE ? 8 : 0;
        size_t charge = object_charge(types[i], bits);
        pool_t *p = pool_create_root(charge - 1);
        pool_state_t before = state_of(p);
        kobject_t *obj = (kobject_t *)&obj;

        assert_int_equal(object_create(p, types[i], bits, &obj), KERR_NO_MEMORY);
        assert_ptr_equal(obj, (kobject_t *)&obj); /* untouched */
        assert_state(p, before);

        p->budget = charge; /* exactly enough */
        assert_int_equal(object_create(p, types[i], bits, &obj), KERR_OK);
        assert_int_equal(p->used, p->budget);
        object_destroy(obj);
        assert_state(p, before);
        kfree(p, sizeof(pool_t));
    }
}

static paddr_t hoard[FK_RAM_BYTES / FRAME_SIZE];

/* Takes every free frame into hoard[]; returns how many. */
static size_t take_all_frames(void)
{
    size_t n = frame_alloc_free_count();
    assert_true(n <= ARRAY_SIZE(hoard));
    for (size_t i = 0; i < n; i++) {
        hoard[i] = frame_alloc(1);
        assert_true(hoard[i] != 0);
    }
    assert_int_equal(frame_alloc(1), 0);
    return n;
}

static void test_create_fails_cleanly_when_machine_full(void **state)
{
    (void)state;
    /* leaves room in the frame_t slab, so creating a Frame fails in its init */
    kobject_t *keep = fk_create(fk.pool, OBJ_FRAME, 0, NULL);
    size_t n = take_all_frames();
    pool_state_t before = state_of(fk.pool);

    const obj_type_t types[] = {OBJ_FRAME, OBJ_VSPACE, OBJ_TCB, OBJ_CNODE};
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        kobject_t *obj = NULL;
        unsigned bits = types[i] == OBJ_CNODE ? 8 : 0;
        assert_int_equal(object_create(fk.pool, types[i], bits, &obj), KERR_NO_MEMORY);
        assert_null(obj);
        assert_state(fk.pool, before);
    }
    assert_int_equal(FK_CALL(FK_SLOT_POOL, INV_POOL_CREATE, OBJ_FRAME, 0, FK_SLOT_CSPACE, 10),
                     KERR_NO_MEMORY);
    assert_true(cte_is_empty(fk_slot(10)));
    assert_state(fk.pool, before);

    for (size_t i = 0; i < n; i++) {
        frame_free(hoard[i], 1);
    }
    object_destroy(keep);
}

/* ---- child pools ---- */

static void test_split_charges_parent(void **state)
{
    (void)state;
    pool_state_t before = state_of(fk.pool);
    pool_t *child = split(10000, 10);

    assert_int_equal(fk.pool->used - before.used, pool_struct_charge());
    assert_int_equal(fk.pool->object_count, before.objects + 1);
    assert_int_equal(child->budget, 10000);
    assert_int_equal(child->used, 0);
    assert_int_equal(child->object_count, 0);
    assert_int_equal(child->depth, fk.pool->depth + 1);
    assert_ptr_equal(child->obj.pool, fk.pool);
    assert_int_equal(child->obj.charge, pool_struct_charge());
    assert_int_equal(fk_slot(10)->cap.rights, RIGHTS_ALL);

    /* the child's objects are charged to it and to every ancestor, but
     * counted as objects of the child alone */
    uint64_t parent_used = fk.pool->used, root_used = fk.root->used;
    fk_create(child, OBJ_FRAME, 0, fk_slot(11));
    assert_int_equal(child->used, object_charge(OBJ_FRAME, 0));
    assert_int_equal(fk.pool->used, parent_used + object_charge(OBJ_FRAME, 0));
    assert_int_equal(fk.root->used, root_used + object_charge(OBJ_FRAME, 0));
    assert_int_equal(fk.pool->object_count, before.objects + 1);

    assert_int_equal(FK_CALL0(10, INV_POOL_INFO), KERR_OK);
    assert_int_equal(fk_reply(0), 10000);
    assert_int_equal(fk_reply(1), object_charge(OBJ_FRAME, 0));
    assert_int_equal(fk_reply(2), 1);
}

static void test_split_rejects_bad_arguments(void **state)
{
    (void)state;
    fk_create(fk.pool, OBJ_FRAME, 0, fk_slot(4));
    cap_t read_only = fk_slot(FK_SLOT_CSPACE)->cap;
    read_only.rights = RIGHT_READ;
    cte_insert(fk_slot(5), read_only, fk_slot(FK_SLOT_CSPACE));
    uint64_t free_bytes = fk.pool->budget - fk.pool->used;
    const bad_call_t calls[] = {
        {{0, FK_SLOT_CSPACE, 10}, KERR_INVALID_ARGUMENT, 0},
        {{100, 4, 10}, KERR_WRONG_TYPE, 1},
        {{100, 20, 10}, KERR_INVALID_CAP, 1},
        {{100, 5, 10}, KERR_NO_RIGHTS, 1},
        {{100, FK_SLOT_CSPACE, 4}, KERR_SLOT_OCCUPIED, 2},
        {{100, FK_SLOT_CSPACE, 1u << FK_CSPACE_BITS}, KERR_SLOT_RANGE, 2},
        /* a ceiling above the parent's could never be reached */
        {{fk.pool->budget + 1, FK_SLOT_CSPACE, 10}, KERR_NO_MEMORY, KERR_ARG_NONE},
        {{UINT64_MAX, FK_SLOT_CSPACE, 10}, KERR_NO_MEMORY, KERR_ARG_NONE},
    };
    check_rejected(FK_SLOT_POOL, INV_POOL_SPLIT, 3, fk.pool, calls, ARRAY_SIZE(calls));
    const bad_call_t short_call = {{100, FK_SLOT_CSPACE}, KERR_TRUNCATED_MESSAGE, KERR_ARG_NONE};
    check_rejected(FK_SLOT_POOL, INV_POOL_SPLIT, 2, fk.pool, &short_call, 1);

    /* the parent's whole budget is a valid ceiling: it costs the struct */
    pool_t *child = split(fk.pool->budget, 10);
    assert_int_equal(fk.pool->budget - fk.pool->used, free_bytes - pool_struct_charge());
    assert_int_equal(child->budget, fk.pool->budget);
}

static void test_split_needs_room_for_its_struct(void **state)
{
    (void)state;
    /* room for one grandchild's struct and not quite a second */
    pool_t *child = split(2 * pool_struct_charge() - 1, 10);
    assert_int_equal(FK_CALL(10, INV_POOL_SPLIT, 1, FK_SLOT_CSPACE, 11), KERR_OK);
    assert_int_equal(child->used, pool_struct_charge());
    const bad_call_t full = {{1, FK_SLOT_CSPACE, 12}, KERR_NO_MEMORY, KERR_ARG_NONE};
    check_rejected(10, INV_POOL_SPLIT, 3, child, &full, 1);
}

/* A grandchild under a roomy child but a tight grandparent: its create fails
 * on the grandparent's ceiling and nothing is charged at any level. */
static void test_charge_fails_on_ancestor_ceiling(void **state)
{
    (void)state;
    uint64_t frame = object_charge(OBJ_FRAME, 0);
    pool_t *top = split(pool_struct_charge() + 2 * frame, 10);
    assert_int_equal(FK_CALL(10, INV_POOL_SPLIT, top->budget, FK_SLOT_CSPACE, 11), KERR_OK);
    pool_t *mid = (pool_t *)fk_slot(11)->cap.obj;
    assert_int_equal(FK_CALL(11, INV_POOL_SPLIT, mid->budget, FK_SLOT_CSPACE, 12), KERR_OK);
    pool_t *leaf = (pool_t *)fk_slot(12)->cap.obj;
    /* top holds mid's struct (and leaf's): one frame fits, a second does not */
    assert_int_equal(top->used, 2 * pool_struct_charge());
    fk_create(leaf, OBJ_FRAME, 0, fk_slot(13));
    pool_state_t t = state_of(top), m = state_of(mid), l = state_of(leaf);
    uint64_t outer = fk.pool->used, root = fk.root->used;
    const bad_call_t over = {{OBJ_FRAME, 0, FK_SLOT_CSPACE, 14}, KERR_NO_MEMORY, KERR_ARG_NONE};
    check_rejected(12, INV_POOL_CREATE, 4, leaf, &over, 1);
    assert_state(top, t);
    assert_state(mid, m);
    assert_state(leaf, l);
    assert_int_equal(fk.pool->used, outer);
    assert_int_equal(fk.root->used, root);
    /* deleting the frame credits every level back */
    cte_delete(fk_slot(13));
    object_reap();
    assert_int_equal(leaf->used, 0);
    assert_int_equal(mid->used, pool_struct_charge());
    assert_int_equal(top->used, 2 * pool_struct_charge());
    assert_int_equal(fk.pool->used, outer - frame);
    assert_int_equal(fk.root->used, root - frame);
}

static void test_split_depth_limit(void **state)
{
    (void)state;
    uint64_t budget = FK_POOL_BUDGET;
    uint64_t pool_slot = FK_SLOT_POOL;
    pool_t *pool = fk.pool;
    uint64_t slot = 10;

    while (pool->depth + 1 < POOL_MAX_DEPTH) {
        budget -= pool_struct_charge() + 64;
        assert_int_equal(FK_CALL(pool_slot, INV_POOL_SPLIT, budget, FK_SLOT_CSPACE, slot), KERR_OK);
        pool = (pool_t *)fk_slot(slot)->cap.obj;
        pool_slot = slot++;
    }
    assert_int_equal(pool->depth, POOL_MAX_DEPTH - 1);
    const bad_call_t deep = {{64, FK_SLOT_CSPACE, slot}, KERR_RANGE, KERR_ARG_NONE};
    check_rejected(pool_slot, INV_POOL_SPLIT, 3, pool, &deep, 1);

    /* the deepest pool still holds objects; destroying the top frees all */
    fk_create(pool, OBJ_FRAME, 0, fk_slot(slot));
    assert_int_equal(FK_CALL0(FK_SLOT_POOL, INV_POOL_DESTROY), KERR_OK);
    assert_int_equal(fk.pool->used, 0);
    assert_int_equal(fk.pool->object_count, 0);
    for (uint64_t s = 10; s <= slot; s++) {
        assert_true(cte_is_empty(fk_slot(s)));
    }
}

static void test_pool_rights(void **state)
{
    (void)state;
    cap_t cap = fk_slot(FK_SLOT_POOL)->cap;
    cap.rights = RIGHT_READ;
    cte_insert(fk_slot(5), cap, fk_slot(FK_SLOT_POOL));
    cap.rights = RIGHT_WRITE;
    cte_insert(fk_slot(6), cap, fk_slot(FK_SLOT_POOL));

    assert_int_equal(FK_CALL0(5, INV_POOL_INFO), KERR_OK);
    assert_int_equal(fk_reply(0), FK_POOL_BUDGET);
    assert_int_equal(fk_reply(1), 0);
    assert_int_equal(fk_reply(2), 0);

    const bad_call_t info = {{0}, KERR_NO_RIGHTS, KERR_ARG_NONE};
    check_rejected(6, INV_POOL_INFO, 0, fk.pool, &info, 1);
    const bad_call_t calls[] = {
        {{OBJ_FRAME, 0, FK_SLOT_CSPACE, 10}, KERR_NO_RIGHTS, KERR_ARG_NONE},
    };
    check_rejected(5, INV_POOL_CREATE, 4, fk.pool, calls, 1);
    check_rejected(5, INV_POOL_SPLIT, 3, fk.pool, calls, 1);
    check_rejected(5, INV_POOL_DESTROY, 0, fk.pool, calls, 1);
    const bad_call_t label = {{0}, KERR_INVALID_LABEL, KERR_ARG_NONE};
    check_rejected(6, INV_CNODE_COPY, 0, fk.pool, &label, 1);
}

/* ---- Pool_Create ---- */

static void test_pool_create(void **state)
{
    (void)state;
    const struct {
        obj_type_t type;
        unsigned bits;
    } objs[] = {{OBJ_CNODE, CNODE_MIN_SIZE_BITS},
                {OBJ_CNODE, 10},
                {OBJ_TCB, 0},
                {OBJ_VSPACE, 0},
                {OBJ_FRAME, 0}};
    for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
        uint64_t used = fk.pool->used;
        uint64_t slot = FK_SLOT_FREE + i;
        assert_int_equal(FK_CALL(FK_SLOT_POOL, INV_POOL_CREATE, objs[i].type, objs[i].bits,
                                 FK_SLOT_CSPACE, slot),
                         KERR_OK);
        cte_t *s = fk_slot(slot);
        assert_int_equal(s->cap.type, objs[i].type);
        assert_int_equal(s->cap.rights, RIGHTS_ALL);
        assert_null(s->parent);
        assert_ptr_equal(s->cap.obj->pool, fk.pool);
        assert_int_equal(fk.pool->used - used, object_charge(objs[i].type, objs[i].bits));
    }
    assert_int_equal(((cnode_t *)fk_slot(FK_SLOT_FREE + 1)->cap.obj)->size_bits, 10);
    assert_int_equal(fk.pool->object_count, ARRAY_SIZE(objs));
}

static void test_pool_create_rejects_bad_arguments(void **state)
{
    (void)state;
    fk_create(fk.pool, OBJ_FRAME, 0, fk_slot(4));
    cap_t cap = fk_slot(FK_SLOT_CSPACE)->cap;
    cap.rights = RIGHT_READ;
    cte_insert(fk_slot(5), cap, fk_slot(FK_SLOT_CSPACE));
    const uint64_t cs = FK_SLOT_CSPACE;
    const bad_call_t calls[] = {
        {{OBJ_NULL, 0, cs, 10}, KERR_INVALID_ARGUMENT, 0},
        {{OBJ_POOL, 0, cs, 10}, KERR_INVALID_ARGUMENT, 0},
        {{OBJ_DEBUG, 0, cs, 10}, KERR_INVALID_ARGUMENT, 0},
        {{OBJ_COUNT, 0, cs, 10}, KERR_INVALID_ARGUMENT, 0},
        {{1ull << 32 | OBJ_FRAME, 0, cs, 10}, KERR_INVALID_ARGUMENT, 0},
        {{OBJ_CNODE, CNODE_MIN_SIZE_BITS - 1, cs, 10}, KERR_RANGE, 1},
        {{OBJ_CNODE, CNODE_MAX_SIZE_BITS + 1, cs, 10}, KERR_RANGE, 1},
        {{OBJ_CNODE, 1ull << 32 | 4, cs, 10}, KERR_RANGE, 1},
        {{OBJ_FRAME, 1, cs, 10}, KERR_RANGE, 1},
        {{OBJ_TCB, 12, cs, 10}, KERR_RANGE, 1},
        {{OBJ_FRAME, 0, 20, 10}, KERR_INVALID_CAP, 2},
        {{OBJ_FRAME, 0, FK_SLOT_POOL, 10}, KERR_WRONG_TYPE, 2},
        {{OBJ_FRAME, 0, 5, 10}, KERR_NO_RIGHTS, 2},
        {{OBJ_FRAME, 0, cs, 4}, KERR_SLOT_OCCUPIED, 3},
        {{OBJ_FRAME, 0, cs, 1u << FK_CSPACE_BITS}, KERR_SLOT_RANGE, 3},
        /* 2^16 slots take more than the pool's 1 MiB */
        {{OBJ_CNODE, CNODE_MAX_SIZE_BITS, cs, 10}, KERR_NO_MEMORY, KERR_ARG_NONE},
    };
    check_rejected(FK_SLOT_POOL, INV_POOL_CREATE, 4, fk.pool, calls, ARRAY_SIZE(calls));
    const bad_call_t short_call = {{OBJ_FRAME, 0, cs}, KERR_TRUNCATED_MESSAGE, KERR_ARG_NONE};
    check_rejected(FK_SLOT_POOL, INV_POOL_CREATE, 3, fk.pool, &short_call, 1);
}

static void test_pool_create_in_small_child(void **state)
{
    (void)state;
    uint64_t budget = object_charge(OBJ_FRAME, 0) + object_charge(OBJ_CNODE, 1);
    pool_t *child = split(budget, 10);

    assert_int_equal(FK_CALL(10, INV_POOL_CREATE, OBJ_FRAME, 0, FK_SLOT_CSPACE, 11), KERR_OK);
    const bad_call_t calls[] = {
        {{OBJ_FRAME, 0, FK_SLOT_CSPACE, 12}, KERR_NO_MEMORY, KERR_ARG_NONE},
        {{OBJ_CNODE, 2, FK_SLOT_CSPACE, 12}, KERR_NO_MEMORY, KERR_ARG_NONE},
    };
    check_rejected(10, INV_POOL_CREATE, 4, child, calls, ARRAY_SIZE(calls));
    assert_int_equal(FK_CALL(10, INV_POOL_CREATE, OBJ_CNODE, 1, FK_SLOT_CSPACE, 12), KERR_OK);
    assert_int_equal(child->used, child->budget);
}

/* ---- destruction ---- */

static void test_deleting_child_pool_returns_its_budget(void **state)
{
    (void)state;
    pool_state_t before = state_of(fk.pool);
    pool_t *child = split(50000, 10);
    cnode_t *cn = (cnode_t *)fk_create(child, OBJ_CNODE, 2, fk_slot(11));
    fk_create(child, OBJ_FRAME, 0, &cn->slots[0]);
    fk_create(child, OBJ_VSPACE, 0, &cn->slots[1]);
    /* a capability to a child's object held outside the child */
    fk_create(child, OBJ_FRAME, 0, fk_slot(12));

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 10), KERR_OK);
    assert_state(fk.pool, before);
    assert_true(cte_is_empty(fk_slot(11)));
    assert_true(cte_is_empty(fk_slot(12)));
}

/* CNode K names TCB T and itself; T's CSpace is K. */
static void make_tcb_cycle(pool_t *pool, uint64_t k_slot, uint64_t t_slot)
{
    cnode_t *k = (cnode_t *)fk_create(pool, OBJ_CNODE, 3, fk_slot(k_slot));
    tcb_t *t = (tcb_t *)fk_create(pool, OBJ_TCB, 0, fk_slot(t_slot));
    cte_insert(&k->slots[0], fk_slot(t_slot)->cap, fk_slot(t_slot));
    cte_insert(&k->slots[1], fk_slot(k_slot)->cap, fk_slot(k_slot));
    cte_insert(&t->cspace, k->slots[1].cap, &k->slots[1]);
    fk_create(pool, OBJ_FRAME, 0, &k->slots[2]);
    fk_create(pool, OBJ_VSPACE, 0, &t->vspace);
}

static void test_destroy_reclaims_cnode_tcb_cycle(void **state)
{
    (void)state;
    pool_t *child = split(100000, 10);
    pool_state_t empty = state_of(child);
    make_tcb_cycle(child, 11, 12);
    pool_state_t full = state_of(child);

    /* without outside capabilities the cycle keeps itself alive */
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 11), KERR_OK);
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 12), KERR_OK);
    assert_state(child, full);

    assert_int_equal(FK_CALL0(10, INV_POOL_DESTROY), KERR_OK);
    assert_state(child, empty);
    assert_null(child->objects);
    /* the pool itself stays, usable */
    assert_int_equal(FK_CALL(10, INV_POOL_CREATE, OBJ_FRAME, 0, FK_SLOT_CSPACE, 11), KERR_OK);
    assert_int_equal(child->object_count, 1);
}

static void test_destroy_reclaims_cnode_pair_cycle(void **state)
{
    (void)state;
    pool_state_t empty = state_of(fk.pool);
    cnode_t *a = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 1, fk_slot(10));
    cnode_t *b = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 1, &a->slots[0]);
    cte_insert(&b->slots[0], fk_slot(10)->cap, fk_slot(10));
    cte_insert(&a->slots[1], fk_slot(10)->cap, fk_slot(10)); /* a names itself */
    cte_insert(&b->slots[1], a->slots[0].cap, &a->slots[0]);

    cte_delete(fk_slot(10));
    object_reap();
    assert_int_equal(fk.pool->object_count, 2);

    pool_destroy_objects(fk.pool);
    object_reap();
    assert_state(fk.pool, empty);
}

static void test_destroy_nulls_outside_capabilities(void **state)
{
    (void)state;
    pool_t *child = split(100000, 10);
    vspace_t *vs = (vspace_t *)fk_create(fk.pool, OBJ_VSPACE, 0, fk_slot(11));
    fk_create(child, OBJ_FRAME, 0, fk_slot(12));
    cte_insert(fk_slot(13), fk_slot(12)->cap, fk_slot(12));
    fk_vspace_map(vs, fk_slot(13), 0x10000);
    cnode_t *outside = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 1, fk_slot(14));
    cte_insert(&outside->slots[0], fk_slot(12)->cap, fk_slot(13));

    assert_int_equal(FK_CALL0(10, INV_POOL_DESTROY), KERR_OK);
    assert_true(cte_is_empty(fk_slot(12)));
    assert_true(cte_is_empty(fk_slot(13)));
    assert_true(cte_is_empty(&outside->slots[0]));
    assert_int_equal(fk_unmap_count(), 1);
    assert_null(vs->mapped);
    assert_int_equal(child->object_count, 0);
}

static void test_destroy_reaches_nested_pools(void **state)
{
    (void)state;
    pool_state_t before = state_of(fk.pool);
    pool_t *child = split(200000, 10);
    assert_int_equal(FK_CALL(10, INV_POOL_SPLIT, 50000, FK_SLOT_CSPACE, 11), KERR_OK);
    pool_t *grandchild = (pool_t *)fk_slot(11)->cap.obj;
    make_tcb_cycle(grandchild, 12, 13);
    make_tcb_cycle(child, 14, 15);
    cte_delete(fk_slot(12));
    cte_delete(fk_slot(13));
    object_reap();

    assert_int_equal(FK_CALL0(10, INV_POOL_DESTROY), KERR_OK);
    assert_true(cte_is_empty(fk_slot(11)));
    assert_true(cte_is_empty(fk_slot(14)));
    assert_true(cte_is_empty(fk_slot(15)));
    assert_int_equal(child->used, 0);
    assert_int_equal(child->object_count, 0);

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 10), KERR_OK);
    assert_state(fk.pool, before);
}

/* A pool whose last capability sits in its own CNode, which names itself:
 * destroying the pool's objects deletes that capability, and the pool goes. */
static void test_pool_named_only_from_inside(void **state)
{
    (void)state;
    pool_state_t before = state_of(fk.pool);
    pool_t *child = split(100000, 10);
    cnode_t *cn = (cnode_t *)fk_create(child, OBJ_CNODE, 1, fk_slot(11));
    cte_move(&cn->slots[0], fk_slot(10));
    cte_insert(&cn->slots[1], fk_slot(11)->cap, fk_slot(11));

    cte_delete(fk_slot(11));
    object_reap();
    assert_int_equal(child->object_count, 1); /* the cycle holds */

    pool_destroy_objects(child);
    assert_true(child->obj.flags & OBJ_FLAG_ZOMBIE);
    object_reap();
    assert_state(fk.pool, before);
}

static void test_zombie_destroyed_by_pool_before_reap(void **state)
{
    (void)state;
    pool_state_t before = state_of(fk.pool);
    cnode_t *cn = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 1, fk_slot(10));
    fk_create(fk.pool, OBJ_FRAME, 0, &cn->slots[0]);
    fk_create(fk.pool, OBJ_FRAME, 0, fk_slot(11));

    cte_delete(fk_slot(10));
    cte_delete(fk_slot(11));
    assert_true(cn->obj.flags & OBJ_FLAG_ZOMBIE);
    pool_destroy_objects(fk.pool); /* destroys the queued objects too */
    assert_state(fk.pool, before);
    object_reap(); /* nothing left queued: must not touch freed objects */
    assert_state(fk.pool, before);
}

/* ---- iterative reaping ---- */

/* `n` CNodes in `pool`, each naming the next; the head's capability at `slot`. */
static void make_cnode_chain(pool_t *pool, size_t n, cte_t *slot)
{
    cte_t *link = slot;
    for (size_t i = 0; i < n; i++) {
        cnode_t *cn = (cnode_t *)fk_create(pool, OBJ_CNODE, 1, link);
        link = &cn->slots[1];
    }
}

static void test_deleting_chain_head_frees_chain(void **state)
{
    (void)state;
    const size_t n = 100000; /* far deeper than a recursive reaper would survive */
    pool_state_t before = state_of(fk.root);
    make_cnode_chain(fk.root, n, fk_slot(10));
    assert_int_equal(fk.root->object_count, before.objects + n);

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 10), KERR_OK);
    assert_state(fk.root, before);
}

static void test_chain_reaping_keeps_stack_flat(void **state)
{
    (void)state;
    pool_state_t before = state_of(fk.pool);
    /* CNode -> TCB -> (its CSpace) CNode -> TCB ... */
    cte_t *link = fk_slot(10);
    for (int i = 0; i < 200; i++) {
        cnode_t *cn = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 1, link);
        tcb_t *t = (tcb_t *)fk_create(fk.pool, OBJ_TCB, 0, &cn->slots[0]);
        link = &t->cspace;
    }
    fk_stack_reset();
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 10), KERR_OK);
    assert_state(fk.pool, before);
    /* every TCB was finalized at the same depth */
    assert_int_equal(fk_stack_span(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fk_setup_test, fk_teardown_test)
        T(test_object_charges),
        T(test_charges_cover_slab_frames),
        T(test_charge_at_budget_edge),
        T(test_create_charges_and_uncharges),
        T(test_created_objects_are_zeroed),
        T(test_create_fails_cleanly_on_short_budget),
        T(test_create_fails_cleanly_when_machine_full),
        T(test_split_charges_parent),
        T(test_split_rejects_bad_arguments),
        T(test_split_needs_room_for_its_struct),
        T(test_charge_fails_on_ancestor_ceiling),
        T(test_split_depth_limit),
        T(test_pool_rights),
        T(test_pool_create),
        T(test_pool_create_rejects_bad_arguments),
        T(test_pool_create_in_small_child),
        T(test_deleting_child_pool_returns_its_budget),
        T(test_destroy_reclaims_cnode_tcb_cycle),
        T(test_destroy_reclaims_cnode_pair_cycle),
        T(test_destroy_nulls_outside_capabilities),
        T(test_destroy_reaches_nested_pools),
        T(test_pool_named_only_from_inside),
        T(test_zombie_destroyed_by_pool_before_reap),
        T(test_deleting_chain_head_frees_chain),
        T(test_chain_reaping_keeps_stack_flat),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
