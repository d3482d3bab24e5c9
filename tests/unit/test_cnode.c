/*
 * Unit tests for capability slots and CNodes (kernel/cap.c, object/cnode.c,
 * kernel/invocation.c): insertion, derivation, delete with reparenting,
 * revoke, move (slot lists, derivation and Frame mappings follow the slot),
 * rights that only shrink, and the CNode decoders driven through invoke():
 * Copy, Mint, Move, Delete, Revoke, Identify, with every rejected call
 * leaving the CSpace and the pool exactly as they were.
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
#include "object/debug.h"
#include "object/tcb.h"
#include "object/frame.h"

#define CSPACE_SLOTS (1u << FK_CSPACE_BITS)

/* ---- helpers ---- */

static kobject_t *new_frame(uint64_t slot)
{
    return fk_create(fk.pool, OBJ_FRAME, 0, fk_slot(slot));
}

/* A copy of the capability at `src` in `dst` with `rights`, derived from it. */
static void copy_cap(uint64_t dst, uint64_t src, uint8_t rights)
{
    cap_t cap = fk_slot(src)->cap;
    cap.rights &= rights;
    cte_insert(fk_slot(dst), cap, fk_slot(src));
}

/* Walks the slot list of `obj`, checking its back links; returns its length. */
static unsigned slot_list_length(const kobject_t *obj)
{
    unsigned n = 0;
    const cte_t *prev = NULL;
    for (const cte_t *s = obj->slots; s != NULL; s = s->obj_next) {
        assert_ptr_equal(s->obj_prev, prev);
        assert_ptr_equal(s->cap.obj, obj);
        prev = s;
        n++;
    }
    return n;
}

static bool on_slot_list(const kobject_t *obj, const cte_t *slot)
{
    for (const cte_t *s = obj->slots; s != NULL; s = s->obj_next) {
        if (s == slot) {
            return true;
        }
    }
    return false;
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0) {
            return false;
        }
    }
    return true;
}

/* The CSpace and the pool, to show a rejected call changed nothing. */
typedef struct {
    cte_t slots[CSPACE_SLOTS];
    uint64_t used, objects;
} snapshot_t;

static snapshot_t snap;

static void take_snapshot(void)
{
    memcpy(snap.slots, fk.cspace->slots, sizeof(snap.slots));
    snap.used = fk.pool->used;
    snap.objects = fk.pool->object_count;
}

static void assert_unchanged(void)
{
    assert_memory_equal(snap.slots, fk.cspace->slots, sizeof(snap.slots));
    assert_int_equal(fk.pool->used, snap.used);
    assert_int_equal(fk.pool->object_count, snap.objects);
}

typedef struct {
    uint64_t args[5];
    kerr_t err;
    uint64_t bad_arg;
} bad_call_t;

/* Each call must fail as listed and change nothing. */
static void check_rejected(uint64_t cptr, uint64_t label, unsigned length, const bad_call_t *calls,
                           size_t count)
{
    for (size_t i = 0; i < count; i++) {
        take_snapshot();
        assert_int_equal(fk_call(cptr, label, length, calls[i].args), calls[i].err);
        assert_int_equal(fk.bad_arg, calls[i].bad_arg);
        assert_unchanged();
    }
}

/* ---- slot operations ---- */

static void test_insert_links_slot(void **state)
{
    (void)state;
    kobject_t *f = new_frame(4);
    cte_t *slot = fk_slot(4);

    assert_ptr_equal(f->slots, slot);
    assert_int_equal(slot->cap.type, OBJ_FRAME);
    assert_int_equal(slot->cap.rights, RIGHTS_ALL);
    assert_int_equal(slot->cap.badge, 0);
    assert_null(slot->parent);

    copy_cap(5, 4, RIGHT_READ);
    assert_int_equal(slot_list_length(f), 2);
    assert_true(on_slot_list(f, fk_slot(5)));
    assert_ptr_equal(fk_slot(5)->parent, slot);
}

static void test_derivation_is_transitive(void **state)
{
    (void)state;
    new_frame(4);
    copy_cap(5, 4, RIGHTS_ALL);
    copy_cap(6, 5, RIGHTS_ALL);
    copy_cap(7, 4, RIGHTS_ALL);

    assert_true(cte_is_derived_from(fk_slot(6), fk_slot(4)));
    assert_true(cte_is_derived_from(fk_slot(6), fk_slot(5)));
    assert_false(cte_is_derived_from(fk_slot(4), fk_slot(6)));
    assert_false(cte_is_derived_from(fk_slot(4), fk_slot(4)));
    assert_false(cte_is_derived_from(fk_slot(7), fk_slot(5)));
}

static void test_delete_reparents_children(void **state)
{
    (void)state;
    kobject_t *f = new_frame(4);
    copy_cap(5, 4, RIGHTS_ALL);
    copy_cap(6, 5, RIGHTS_ALL);

    cte_delete(fk_slot(5));
    assert_true(cte_is_empty(fk_slot(5)));
    assert_ptr_equal(fk_slot(6)->parent, fk_slot(4));
    assert_int_equal(slot_list_length(f), 2);
    assert_false(f->flags & OBJ_FLAG_ZOMBIE);

    /* deleting the root makes its children roots */
    cte_delete(fk_slot(4));
    assert_null(fk_slot(6)->parent);
}

static void test_delete_last_cap_destroys_after_reap(void **state)
{
    (void)state;
    uint64_t used = fk.pool->used;
    size_t frames = fk_frames_used();
    kobject_t *f = new_frame(4);

    cte_delete(fk_slot(4));
    /* queued, not yet destroyed */
    assert_true(f->flags & OBJ_FLAG_ZOMBIE);
    assert_int_equal(fk.pool->object_count, 1);
    object_reap();
    assert_int_equal(fk.pool->object_count, 0);
    assert_int_equal(fk.pool->used, used);
    assert_int_equal(fk_frames_used(), frames);
}

static void test_delete_copy_keeps_object(void **state)
{
    (void)state;
    kobject_t *f = new_frame(4);
    copy_cap(5, 4, RIGHT_READ);

    cte_delete(fk_slot(4));
    object_reap();
    assert_false(f->flags & OBJ_FLAG_ZOMBIE);
    assert_int_equal(fk.pool->object_count, 1);
    assert_ptr_equal(f->slots, fk_slot(5));

    cte_delete(fk_slot(5));
    object_reap();
    assert_int_equal(fk.pool->object_count, 0);
}

static void test_delete_empty_slot_is_noop(void **state)
{
    (void)state;
    take_snapshot();
    cte_delete(fk_slot(10));
    cte_revoke(fk_slot(10));
    object_reap();
    assert_unchanged();
}

static void test_revoke_deletes_descendants_only(void **state)
{
    (void)state;
    kobject_t *f = new_frame(4);
    copy_cap(5, 4, RIGHTS_ALL); /* 4 -> 5 -> 6, 4 -> 7 */
    copy_cap(6, 5, RIGHTS_ALL);
    copy_cap(7, 4, RIGHTS_ALL);
    cte_insert(fk_slot(8), fk_slot(4)->cap, NULL); /* same object, not derived */

    cte_revoke(fk_slot(5));
    assert_true(cte_is_empty(fk_slot(6)));
    assert_false(cte_is_empty(fk_slot(4)));
    assert_false(cte_is_empty(fk_slot(5)));
    assert_false(cte_is_empty(fk_slot(7)));

    cte_revoke(fk_slot(4));
    object_reap();
    assert_true(cte_is_empty(fk_slot(5)));
    assert_true(cte_is_empty(fk_slot(7)));
    assert_false(cte_is_empty(fk_slot(8)));
    assert_int_equal(slot_list_length(f), 2);
    assert_int_equal(fk.pool->object_count, 1);
}

static void test_revoke_reaches_other_cnodes(void **state)
{
    (void)state;
    kobject_t *f = new_frame(4);
    cnode_t *other = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 2, fk_slot(5));
    cte_insert(&other->slots[0], fk_slot(4)->cap, fk_slot(4));
    cte_insert(&other->slots[1], other->slots[0].cap, &other->slots[0]);
    copy_cap(6, 4, RIGHT_READ);

    cte_revoke(fk_slot(4));
    object_reap();
    assert_true(cte_is_empty(&other->slots[0]));
    assert_true(cte_is_empty(&other->slots[1]));
    assert_true(cte_is_empty(fk_slot(6)));
    assert_int_equal(slot_list_length(f), 1);
}

static void test_move_relinks_slot(void **state)
{
    (void)state;
    kobject_t *f = new_frame(4);
    copy_cap(5, 4, RIGHTS_ALL);
    copy_cap(6, 4, RIGHT_READ);
    copy_cap(7, 4, RIGHTS_ALL); /* list: 4 7 6 5 (each copy behind its parent): 6 in the middle */

    cte_move(fk_slot(20), fk_slot(6));
    assert_true(all_zero(fk_slot(6), sizeof(cte_t)));
    assert_int_equal(slot_list_length(f), 4);
    assert_true(on_slot_list(f, fk_slot(20)));
    assert_int_equal(fk_slot(20)->cap.rights, RIGHT_READ);
    assert_ptr_equal(fk_slot(20)->parent, fk_slot(4)); /* keeps its parent */

    /* moving the parent moves its children's parent pointer with it */
    cte_move(fk_slot(21), fk_slot(4));
    assert_ptr_equal(fk_slot(5)->parent, fk_slot(21));
    assert_ptr_equal(fk_slot(20)->parent, fk_slot(21));
    assert_ptr_equal(fk_slot(7)->parent, fk_slot(21));
    assert_int_equal(slot_list_length(f), 4);

    /* the head of the list */
    assert_ptr_equal(f->slots, fk_slot(21));
    cte_move(fk_slot(22), fk_slot(21));
    assert_ptr_equal(f->slots, fk_slot(22));
    assert_ptr_equal(fk_slot(7)->parent, fk_slot(22));
    assert_int_equal(slot_list_length(f), 4);

    /* the tail */
    cte_move(fk_slot(23), fk_slot(5));
    assert_ptr_equal(fk_slot(20)->obj_next, fk_slot(23));
    assert_null(fk_slot(23)->obj_next);
    assert_int_equal(slot_list_length(f), 4);
}

/* The order cap.c keeps: each slot's descendants are the run right behind
 * it, and a parent comes before its children. */
static void assert_derivation_order(const kobject_t *obj)
{
    for (const cte_t *s = obj->slots; s != NULL; s = s->obj_next) {
        const cte_t *after = s->obj_next;
        while (after != NULL && cte_is_derived_from(after, s)) {
            after = after->obj_next;
        }
        for (const cte_t *t = after; t != NULL; t = t->obj_next) {
            assert_false(cte_is_derived_from(t, s));
        }
        for (const cte_t *t = obj->slots; t != s; t = t->obj_next) {
            assert_false(cte_is_derived_from(t, s));
        }
        if (s->parent != NULL) {
            assert_true(on_slot_list(obj, s->parent));
        }
    }
}

static unsigned occupied_slots(void)
{
    unsigned n = 0;
    for (unsigned i = FK_SLOT_FREE; i < CSPACE_SLOTS; i++) {
        n += !cte_is_empty(fk_slot(i));
    }
    return n;
}

/* A free slot, an occupied one, both from FK_SLOT_FREE on, picked by `r`. */
static uint64_t pick_slot(uint64_t r, bool occupied)
{
    for (unsigned n = 0; n < CSPACE_SLOTS; n++) {
        uint64_t i = FK_SLOT_FREE + (r + n) % (CSPACE_SLOTS - FK_SLOT_FREE);
        if (cte_is_empty(fk_slot(i)) != occupied) {
            return i;
        }
    }
    return 0;
}

/* Copies, moves, deletes and revokes in a fixed pseudo-random order over
 * one frame's slots: the list stays in derivation order, so moving or
 * deleting a slot need only look at the run behind it. */
static void test_slot_list_stays_in_derivation_order(void **state)
{
    (void)state;
    kobject_t *f = new_frame(FK_SLOT_FREE);
    uint64_t r = 12345;
    for (int step = 0; step < 4000; step++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t a = pick_slot(r >> 33, true), b = pick_slot(r >> 17, false);
        unsigned op = (unsigned)(r >> 60) % 8, before = occupied_slots();
        if (op < 4 && b != 0) {
            copy_cap(b, a, RIGHTS_ALL);
            assert_int_equal(occupied_slots(), before + 1);
        } else if (op < 6 && b != 0) {
            cte_t *parent = fk_slot(a)->parent;
            cte_move(fk_slot(b), fk_slot(a));
            assert_ptr_equal(fk_slot(b)->parent, parent);
        } else if (op == 6 && before > 1) {
            cte_delete(fk_slot(a));
            assert_int_equal(occupied_slots(), before - 1);
        } else if (op == 7 && before > 1) {
            cte_revoke(fk_slot(a));
            for (const cte_t *s = f->slots; s != NULL; s = s->obj_next) {
                assert_false(cte_is_derived_from(s, fk_slot(a)));
            }
        }
        assert_int_equal(slot_list_length(f), occupied_slots());
        assert_derivation_order(f);
    }
}

static void test_move_mapped_frame_follows(void **state)
{
    (void)state;
    vspace_t *vs = (vspace_t *)fk_create(fk.pool, OBJ_VSPACE, 0, fk_slot(10));
    new_frame(4);
    new_frame(5);
    fk_vspace_map(vs, fk_slot(4), 0x10000);
    fk_vspace_map(vs, fk_slot(5), 0x11000); /* list: 5 4 */

    cte_move(fk_slot(20), fk_slot(5)); /* the head */
    assert_ptr_equal(vs->mapped, fk_slot(20));
    assert_ptr_equal(fk_slot(20)->map.next, fk_slot(4));
    assert_ptr_equal(fk_slot(4)->map.prev, fk_slot(20));
    assert_int_equal(fk_slot(20)->map.vaddr, 0x11000);

    cte_move(fk_slot(21), fk_slot(4)); /* the tail */
    assert_ptr_equal(fk_slot(20)->map.next, fk_slot(21));
    assert_ptr_equal(fk_slot(21)->map.prev, fk_slot(20));
    assert_ptr_equal(fk_slot(21)->map.vspace, vs);
    assert_int_equal(fk_unmap_count(), 0);
}

static void test_delete_mapped_frame_unmaps(void **state)
{
    (void)state;
    vspace_t *vs = (vspace_t *)fk_create(fk.pool, OBJ_VSPACE, 0, fk_slot(10));
    new_frame(4);
    new_frame(5);
    fk_vspace_map(vs, fk_slot(4), 0x10000);
    fk_vspace_map(vs, fk_slot(5), 0x11000);

    cte_delete(fk_slot(5));
    object_reap();
    assert_int_equal(fk_unmap_count(), 1);
    assert_ptr_equal(vs->mapped, fk_slot(4));
    assert_null(fk_slot(4)->map.prev);
}

static void test_destroyed_vspace_forgets_mappings(void **state)
{
    (void)state;
    vspace_t *vs = (vspace_t *)fk_create(fk.pool, OBJ_VSPACE, 0, fk_slot(10));
    new_frame(4);
    fk_vspace_map(vs, fk_slot(4), 0x10000);

    cte_delete(fk_slot(10));
    object_reap();
    assert_null(fk_slot(4)->map.vspace);
    cte_delete(fk_slot(4)); /* must not touch the dead VSpace */
    object_reap();
    assert_int_equal(fk_unmap_count(), 0);
}

static void test_insert_into_occupied_slot_panics(void **state)
{
    (void)state;
    new_frame(4);
    new_frame(5);
    take_snapshot();
    expect_assert_failure(cte_insert(fk_slot(4), fk_slot(5)->cap, NULL));
    expect_assert_failure(cte_move(fk_slot(4), fk_slot(5)));
    expect_assert_failure(cte_move(fk_slot(20), fk_slot(21))); /* empty source */
    assert_unchanged();
}

static void test_cnode_slot_range(void **state)
{
    (void)state;
    assert_int_equal(cnode_slot_count(fk.cspace), CSPACE_SLOTS);
    assert_ptr_equal(cnode_slot(fk.cspace, CSPACE_SLOTS - 1), &fk.cspace->slots[CSPACE_SLOTS - 1]);
    assert_null(cnode_slot(fk.cspace, CSPACE_SLOTS));
    assert_null(cnode_slot(fk.cspace, UINT64_MAX));
}

static void test_deleting_cnode_deletes_its_caps(void **state)
{
    (void)state;
    uint64_t used = fk.pool->used;
    size_t frames = fk_frames_used();
    cnode_t *cn = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 3, fk_slot(4));
    fk_create(fk.pool, OBJ_FRAME, 0, &cn->slots[0]);
    fk_create(fk.pool, OBJ_TCB, 0, &cn->slots[7]);
    cnode_t *inner = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 1, &cn->slots[3]);
    fk_create(fk.pool, OBJ_VSPACE, 0, &inner->slots[1]);

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 4), KERR_OK);
    assert_int_equal(fk.pool->object_count, 0);
    assert_int_equal(fk.pool->used, used);
    assert_int_equal(fk_frames_used(), frames);
}

/* ---- decoders ---- */

static void test_copy_reduces_rights(void **state)
{
    (void)state;
    kobject_t *f = new_frame(4);

    assert_int_equal(
        FK_CALL(FK_SLOT_CSPACE, INV_CNODE_COPY, 5, FK_SLOT_CSPACE, 4, RIGHT_READ | RIGHT_GRANT),
        KERR_OK);
    assert_ptr_equal(fk_slot(5)->cap.obj, f);
    assert_int_equal(fk_slot(5)->cap.type, OBJ_FRAME);
    assert_int_equal(fk_slot(5)->cap.rights, RIGHT_READ | RIGHT_GRANT);
    assert_ptr_equal(fk_slot(5)->parent, fk_slot(4));

    /* asking for every right gets no more than the source has */
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_COPY, 6, FK_SLOT_CSPACE, 5, RIGHTS_ALL),
                     KERR_OK);
    assert_int_equal(fk_slot(6)->cap.rights, RIGHT_READ | RIGHT_GRANT);
    assert_true(cte_is_derived_from(fk_slot(6), fk_slot(4)));

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_COPY, 7, FK_SLOT_CSPACE, 6, 0), KERR_OK);
    assert_int_equal(fk_slot(7)->cap.rights, 0);
    assert_int_equal(fk.pool->object_count, 1);
}

static void test_copy_of_mapped_frame_is_unmapped(void **state)
{
    (void)state;
    vspace_t *vs = (vspace_t *)fk_create(fk.pool, OBJ_VSPACE, 0, fk_slot(10));
    new_frame(4);
    fk_vspace_map(vs, fk_slot(4), 0x10000);

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_COPY, 5, FK_SLOT_CSPACE, 4, RIGHTS_ALL),
                     KERR_OK);
    assert_null(fk_slot(5)->map.vspace);
    assert_ptr_equal(vs->mapped, fk_slot(4));
    assert_null(fk_slot(4)->map.next);
}

/* Slot 4: a Frame; slot 5: the CSpace without Read; slot 6: without Write. */
static void setup_bad_rights_caps(void)
{
    new_frame(4);
    copy_cap(5, FK_SLOT_CSPACE, RIGHTS_ALL & ~RIGHT_READ);
    copy_cap(6, FK_SLOT_CSPACE, RIGHTS_ALL & ~RIGHT_WRITE);
}

static void test_copy_rejects_bad_arguments(void **state)
{
    (void)state;
    setup_bad_rights_caps();
    const bad_call_t calls[] = {
        {{4, FK_SLOT_CSPACE, 4, RIGHTS_ALL}, KERR_SLOT_OCCUPIED, 0},
        {{CSPACE_SLOTS, FK_SLOT_CSPACE, 4, RIGHTS_ALL}, KERR_SLOT_RANGE, 0},
        {{10, FK_SLOT_CSPACE, CSPACE_SLOTS, RIGHTS_ALL}, KERR_SLOT_RANGE, 2},
        {{10, FK_SLOT_CSPACE, 11, RIGHTS_ALL}, KERR_INVALID_CAP, 2},
        {{10, 12, 4, RIGHTS_ALL}, KERR_INVALID_CAP, 1},
        {{10, 1000, 4, RIGHTS_ALL}, KERR_INVALID_CAP, 1},
        {{10, 4, 0, RIGHTS_ALL}, KERR_WRONG_TYPE, 1},
        {{10, 5, 4, RIGHTS_ALL}, KERR_NO_RIGHTS, 1},
        {{10, FK_SLOT_CSPACE, 4, RIGHTS_ALL + 1}, KERR_INVALID_ARGUMENT, 3},
        {{10, FK_SLOT_CSPACE, 4, 1ull << 32}, KERR_INVALID_ARGUMENT, 3},
    };
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_COPY, 4, calls, ARRAY_SIZE(calls));

    const bad_call_t short_call = {{10, FK_SLOT_CSPACE, 4}, KERR_TRUNCATED_MESSAGE, KERR_ARG_NONE};
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_COPY, 3, &short_call, 1);
    /* copying only reads the source CNode */
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_COPY, 10, 6, 4, RIGHTS_ALL), KERR_OK);
    /* the invoked CNode needs Write */
    const bad_call_t read_only = {
        {10, FK_SLOT_CSPACE, 4, RIGHTS_ALL}, KERR_NO_RIGHTS, KERR_ARG_NONE};
    check_rejected(6, INV_CNODE_COPY, 4, &read_only, 1);
}

static void test_mint(void **state)
{
    (void)state;
    new_frame(4);
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_MINT, 5, FK_SLOT_CSPACE, 4, RIGHT_WRITE, 0),
                     KERR_OK);
    assert_int_equal(fk_slot(5)->cap.rights, RIGHT_WRITE);
    assert_ptr_equal(fk_slot(5)->parent, fk_slot(4));

    /* no object type created today takes a badge */
    const bad_call_t calls[] = {
        {{6, FK_SLOT_CSPACE, 4, RIGHTS_ALL, 7}, KERR_INVALID_ARGUMENT, 4},
        {{6, FK_SLOT_CSPACE, FK_SLOT_CSPACE, RIGHTS_ALL, 1}, KERR_INVALID_ARGUMENT, 4},
    };
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_MINT, 5, calls, ARRAY_SIZE(calls));
    const bad_call_t short_call = {
        {6, FK_SLOT_CSPACE, 4, RIGHTS_ALL}, KERR_TRUNCATED_MESSAGE, KERR_ARG_NONE};
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_MINT, 4, &short_call, 1);
}

static void test_move_between_cnodes(void **state)
{
    (void)state;
    kobject_t *f = new_frame(4);
    copy_cap(5, 4, RIGHT_READ);
    cnode_t *other = (cnode_t *)fk_create(fk.pool, OBJ_CNODE, 2, fk_slot(6));

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_MOVE, 10, FK_SLOT_CSPACE, 4), KERR_OK);
    assert_true(cte_is_empty(fk_slot(4)));
    assert_ptr_equal(fk_slot(10)->cap.obj, f);
    assert_ptr_equal(fk_slot(5)->parent, fk_slot(10));

    /* into another CNode: the invoked one holds the destination */
    assert_int_equal(FK_CALL(6, INV_CNODE_MOVE, 3, FK_SLOT_CSPACE, 10), KERR_OK);
    assert_true(cte_is_empty(fk_slot(10)));
    assert_ptr_equal(other->slots[3].cap.obj, f);
    assert_ptr_equal(fk_slot(5)->parent, &other->slots[3]);
    assert_int_equal(slot_list_length(f), 2);

    /* and back, naming the other CNode as the source */
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_MOVE, 4, 6, 3), KERR_OK);
    assert_ptr_equal(fk_slot(4)->cap.obj, f);
    assert_int_equal(fk_slot(4)->cap.rights, RIGHTS_ALL);
    assert_int_equal(fk.pool->object_count, 2);
}

static void test_move_rejects_bad_arguments(void **state)
{
    (void)state;
    setup_bad_rights_caps();
    const bad_call_t calls[] = {
        {{4, FK_SLOT_CSPACE, 4}, KERR_SLOT_OCCUPIED, 0},
        {{CSPACE_SLOTS, FK_SLOT_CSPACE, 4}, KERR_SLOT_RANGE, 0},
        {{10, FK_SLOT_CSPACE, 11}, KERR_INVALID_CAP, 2},
        {{10, FK_SLOT_CSPACE, CSPACE_SLOTS}, KERR_SLOT_RANGE, 2},
        {{10, 4, 0}, KERR_WRONG_TYPE, 1},
        {{10, 5, 4}, KERR_NO_RIGHTS, 1},
        /* moving out empties a source slot: that takes Write, as Delete does */
        {{10, 6, 4}, KERR_NO_RIGHTS, 1},
        {{10, 0, 4}, KERR_INVALID_CAP, 1},
    };
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_MOVE, 3, calls, ARRAY_SIZE(calls));
    const bad_call_t short_call = {{10, FK_SLOT_CSPACE}, KERR_TRUNCATED_MESSAGE, KERR_ARG_NONE};
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_MOVE, 2, &short_call, 1);
}

static void test_delete_and_revoke_decoders(void **state)
{
    (void)state;
    uint64_t used = fk.pool->used;
    new_frame(4);
    copy_cap(5, 4, RIGHTS_ALL);
    copy_cap(6, 5, RIGHTS_ALL);

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_REVOKE, 4), KERR_OK);
    assert_true(cte_is_empty(fk_slot(5)));
    assert_true(cte_is_empty(fk_slot(6)));
    assert_int_equal(fk.pool->object_count, 1);

    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 4), KERR_OK);
    assert_true(cte_is_empty(fk_slot(4)));
    assert_int_equal(fk.pool->object_count, 0);
    assert_int_equal(fk.pool->used, used);

    /* deleting or revoking an empty slot succeeds */
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_DELETE, 4), KERR_OK);
    assert_int_equal(FK_CALL(FK_SLOT_CSPACE, INV_CNODE_REVOKE, 4), KERR_OK);

    const bad_call_t range = {{CSPACE_SLOTS}, KERR_SLOT_RANGE, 0};
    const bad_call_t none = {{0}, KERR_TRUNCATED_MESSAGE, KERR_ARG_NONE};
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_DELETE, 1, &range, 1);
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_REVOKE, 1, &range, 1);
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_DELETE, 0, &none, 1);
    check_rejected(FK_SLOT_CSPACE, INV_CNODE_REVOKE, 0, &none, 1);
}

static void test_identify(void **state)
{
    (void)state;
    new_frame(4);
    copy_cap(5, 4, RIGHT_READ);
    copy_cap(6, FK_SLOT_CSPACE, RIGHT_READ); /* Identify needs only Read */

    assert_int_equal(FK_CALL(6, INV_CNODE_IDENTIFY, 4), KERR_OK);
    assert_int_equal(fk_reply(0), OBJ_FRAME);
    assert_int_equal(fk_reply(1), RIGHTS_ALL);
    assert_int_equal(fk_reply(2), 0);

    assert_int_equal(FK_CALL(6, INV_CNODE_IDENTIFY, 5), KERR_OK);
    assert_int_equal(fk_reply(0), OBJ_FRAME);
    assert_int_equal(fk_reply(1), RIGHT_READ);

    assert_int_equal(FK_CALL(6, INV_CNODE_IDENTIFY, FK_SLOT_ROOT), KERR_OK);
    assert_int_equal(fk_reply(0), OBJ_POOL);

    assert_int_equal(FK_CALL(6, INV_CNODE_IDENTIFY, 20), KERR_OK);
    assert_int_equal(fk_reply(0), OBJ_NULL);
    assert_int_equal(fk_reply(1), 0);
    assert_int_equal(fk_reply(2), 0);

    const bad_call_t range = {{CSPACE_SLOTS}, KERR_SLOT_RANGE, 0};
    check_rejected(6, INV_CNODE_IDENTIFY, 1, &range, 1);
    /* without Read, not even Identify */
    copy_cap(7, FK_SLOT_CSPACE, RIGHT_WRITE);
    const bad_call_t no_read = {{4}, KERR_NO_RIGHTS, KERR_ARG_NONE};
    check_rejected(7, INV_CNODE_IDENTIFY, 1, &no_read, 1);
}

static void test_unknown_labels(void **state)
{
    (void)state;
    new_frame(4);
    const bad_call_t call = {{4}, KERR_INVALID_LABEL, KERR_ARG_NONE};
    check_rejected(FK_SLOT_CSPACE, 0, 1, &call, 1);
    check_rejected(FK_SLOT_CSPACE, INV_POOL_CREATE, 1, &call, 1);
    check_rejected(FK_SLOT_CSPACE, 1000, 1, &call, 1);
    check_rejected(4, INV_CNODE_COPY, 1, &call, 1); /* Frames have no invocations */
}

static void test_debug_invocations(void **state)
{
    (void)state;
    fk_create(fk.pool, OBJ_DEBUG, 0, fk_slot(4));
    /* "hello, capsule" packed little-endian after the length */
    uint64_t w1, w2;
    memcpy(&w1, "hello, c", 8);
    memcpy(&w2, "apsule\0\0", 8);

    assert_int_equal(FK_CALL(4, INV_DEBUG_WRITE, 14, w1, w2), KERR_OK);
    assert_string_equal(fk_log(), "hello, capsule");

    const bad_call_t calls[] = {{{17, w1, w2}, KERR_TRUNCATED_MESSAGE, 0}};
    check_rejected(4, INV_DEBUG_WRITE, 3, calls, 1);
    expect_assert_failure(FK_CALL(4, INV_DEBUG_SHUTDOWN, 0));
    expect_assert_failure(FK_CALL(4, INV_DEBUG_RESET));

    copy_cap(5, 4, RIGHT_READ);
    const bad_call_t no_write = {{1, w1}, KERR_NO_RIGHTS, KERR_ARG_NONE};
    check_rejected(5, INV_DEBUG_WRITE, 2, &no_write, 1);
    check_rejected(5, INV_DEBUG_RESET, 0, &no_write, 1); /* restarting needs Write too */
    assert_string_equal(fk_log(), "hello, capsule");
}

/* Debug_ObjectCounts and Debug_ThreadInfo: read-only views, Read right. */
static void test_debug_views(void **state)
{
    (void)state;
    fk_create(fk.pool, OBJ_DEBUG, 0, fk_slot(4));
    assert_int_equal(FK_CALL(4, INV_DEBUG_OBJECT_COUNTS, FK_SLOT_POOL), KERR_OK);
    uint64_t frames = fk_reply(2 + OBJ_FRAME), tcbs = fk_reply(2 + OBJ_TCB);
    assert_int_equal(fk_reply(2 + OBJ_DEBUG), 1);
    assert_true(fk_reply(0) > 0 && fk_reply(0) <= fk_reply(1)); /* free of all frames */
    assert_int_equal(FK_CALL(4, INV_DEBUG_OBJECT_COUNTS, FK_SLOT_ROOT), KERR_OK);
    uint64_t root_frames = fk_reply(2 + OBJ_FRAME);
    assert_true(fk_reply(2 + OBJ_POOL) >= 1); /* the child pool, counted with its objects */

    fk_create(fk.pool, OBJ_FRAME, 0, fk_slot(5));
    fk_create(fk.pool, OBJ_FRAME, 0, fk_slot(6));
    tcb_t *t = (tcb_t *)fk_create(fk.pool, OBJ_TCB, 0, fk_slot(7));
    assert_int_equal(FK_CALL(4, INV_DEBUG_OBJECT_COUNTS, FK_SLOT_POOL), KERR_OK);
    assert_int_equal(fk_reply(2 + OBJ_FRAME), frames + 2);
    assert_int_equal(fk_reply(2 + OBJ_TCB), tcbs + 1);
    assert_int_equal(FK_CALL(4, INV_DEBUG_OBJECT_COUNTS, FK_SLOT_ROOT), KERR_OK);
    assert_int_equal(fk_reply(2 + OBJ_FRAME), root_frames + 2); /* through the child pool */

    t->priority = 42;
    assert_int_equal(FK_CALL(4, INV_DEBUG_THREAD_INFO, 7), KERR_OK);
    assert_int_equal(fk_reply(0), TCB_STATE_INACTIVE);
    assert_int_equal(fk_reply(1), 42);
    assert_int_equal(fk_reply(3), OBJ_NULL); /* waits on nothing */
    t->state = TCB_STATE_BLOCKED_REPLY;
    assert_int_equal(FK_CALL(4, INV_DEBUG_THREAD_INFO, 7), KERR_OK);
    assert_int_equal(fk_reply(3), OBJ_REPLY);
    assert_int_equal(fk_reply(4), 0);
    t->state = TCB_STATE_INACTIVE;

    const bad_call_t wrong[] = {
        {{5}, KERR_WRONG_TYPE, 0},  /* a frame: neither a pool nor a thread */
        {{9}, KERR_INVALID_CAP, 0}, /* an empty slot */
    };
    check_rejected(4, INV_DEBUG_OBJECT_COUNTS, 1, wrong, 2);
    check_rejected(4, INV_DEBUG_THREAD_INFO, 1, wrong, 2);
    const bad_call_t none = {{0}, KERR_TRUNCATED_MESSAGE, KERR_ARG_NONE};
    check_rejected(4, INV_DEBUG_THREAD_INFO, 0, &none, 1); /* no argument at all */
    copy_cap(8, 4, RIGHT_WRITE);
    const bad_call_t no_read = {{7}, KERR_NO_RIGHTS, KERR_ARG_NONE};
    check_rejected(8, INV_DEBUG_THREAD_INFO, 1, &no_read, 1);
    check_rejected(8, INV_DEBUG_OBJECT_COUNTS, 1, &no_read, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fk_setup_test, fk_teardown_test)
        T(test_insert_links_slot),
        T(test_derivation_is_transitive),
        T(test_delete_reparents_children),
        T(test_delete_last_cap_destroys_after_reap),
        T(test_delete_copy_keeps_object),
        T(test_delete_empty_slot_is_noop),
        T(test_revoke_deletes_descendants_only),
        T(test_revoke_reaches_other_cnodes),
        T(test_move_relinks_slot),
        T(test_slot_list_stays_in_derivation_order),
        T(test_move_mapped_frame_follows),
        T(test_delete_mapped_frame_unmaps),
        T(test_destroyed_vspace_forgets_mappings),
        T(test_insert_into_occupied_slot_panics),
        T(test_cnode_slot_range),
        T(test_deleting_cnode_deletes_its_caps),
        T(test_copy_reduces_rights),
        T(test_copy_of_mapped_frame_is_unmapped),
        T(test_copy_rejects_bad_arguments),
        T(test_mint),
        T(test_move_between_cnodes),
        T(test_move_rejects_bad_arguments),
        T(test_delete_and_revoke_decoders),
        T(test_identify),
        T(test_unknown_labels),
        T(test_debug_invocations),
        T(test_debug_views),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
