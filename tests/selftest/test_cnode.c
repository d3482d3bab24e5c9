/*
 * CNodes: Copy and Mint only keep or drop rights (and refuse badges on
 * types without them), Move (mapped frames included), Delete, Revoke
 * (transitive, keeping the slot and unrelated copies), Identify, the slot
 * errors of each, the rights each needs, and a second CNode.
 */
#include <stddef.h>

#include "check.h"
#include "helper.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Checks what CNode_Identify reports for a slot of the root CNode. */
static void expect_cap(int line, cptr_t slot, uint64_t type, uint64_t rights)
{
    uint64_t t, r, badge;
    kerr_t err = cnode_identify(CAP_INIT_CNODE, slot, &t, &r, &badge);
    if (err != KERR_OK || t != type || r != rights || badge != 0) {
        check_fail(__FILE__, line,
                   "slot %lu: expected type %lu rights 0x%lx, got %s type %lu "
                   "rights 0x%lx badge %lu",
                   slot, type, rights, kerr_name(err), t, r, badge);
    }
}

#define EXPECT_CAP(slot, type, rights) CHECK_STEP(expect_cap(__LINE__, slot, type, rights))
#define EXPECT_EMPTY(slot) EXPECT_CAP(slot, OBJ_NULL, 0)

void test_cnode_copy_rights(void)
{
    cptr_t frame, ro, ro_all, none, rwg, dest = slot_alloc();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(cap_derive(frame, RIGHT_READ, &ro));
    EXPECT_CAP(ro, OBJ_FRAME, RIGHT_READ);
    /* a copy keeps the intersection: rights never come back */
    CHECK_OK(cap_derive(ro, RIGHTS_ALL, &ro_all));
    EXPECT_CAP(ro_all, OBJ_FRAME, RIGHT_READ);
    CHECK_OK(cap_derive(ro, RIGHT_WRITE, &none));
    EXPECT_CAP(none, OBJ_FRAME, 0);
    CHECK_OK(cap_derive(frame, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, &rwg));
    EXPECT_CAP(rwg, OBJ_FRAME, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT);
    EXPECT_CAP(frame, OBJ_FRAME, RIGHTS_ALL);
    /* rights outside RIGHTS_ALL are an error, not silently dropped */
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, dest, CAP_INIT_CNODE, frame, 0x10),
                  KERR_INVALID_ARGUMENT, 3);
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, dest, CAP_INIT_CNODE, frame, ~0u),
                  KERR_INVALID_ARGUMENT, 3);
    EXPECT_EMPTY(dest);
}

void test_cnode_mint(void)
{
    cptr_t frame, ro = slot_alloc(), again = slot_alloc(), dest = slot_alloc();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(cnode_mint(CAP_INIT_CNODE, ro, CAP_INIT_CNODE, frame, RIGHT_READ, 0));
    EXPECT_CAP(ro, OBJ_FRAME, RIGHT_READ);
    /* minting cannot add rights either */
    CHECK_OK(cnode_mint(CAP_INIT_CNODE, again, CAP_INIT_CNODE, ro, RIGHTS_ALL, 0));
    EXPECT_CAP(again, OBJ_FRAME, RIGHT_READ);
    /* none of today's object types carries a badge */
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, dest, CAP_INIT_CNODE, frame, RIGHTS_ALL, 5),
                  KERR_INVALID_ARGUMENT, 4);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, dest, CAP_INIT_CNODE, CAP_INIT_TCB, RIGHTS_ALL, ~0ull),
                  KERR_INVALID_ARGUMENT, 4);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, dest, CAP_INIT_CNODE, frame, 0x20, 0),
                  KERR_INVALID_ARGUMENT, 3);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, ro, CAP_INIT_CNODE, frame, RIGHTS_ALL, 0),
                  KERR_SLOT_OCCUPIED, 0);
    EXPECT_EMPTY(dest);
}

void test_cnode_move(void)
{
    cptr_t frame, moved = slot_alloc(), child, empty = slot_alloc();
    volatile uint64_t *mem;
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &mem));
    CHECK_OK(cap_derive(frame, RIGHT_READ, &child));
    *mem = 0x5eed;
    CHECK_OK(cnode_move(CAP_INIT_CNODE, moved, CAP_INIT_CNODE, frame));
    EXPECT_EMPTY(frame);
    EXPECT_CAP(moved, OBJ_FRAME, RIGHTS_ALL);
    /* the mapping moved with the capability */
    CHECK_EQ(*mem, 0x5eed);
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, frame), KERR_INVALID_CAP, 0);
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, moved));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, moved, (uint64_t)mem, MAP_READ));
    CHECK_EQ(*mem, 0x5eed);
    /* and so did the derivation: revoking the new slot finds the copy */
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, moved));
    EXPECT_EMPTY(child);
    /* errors */
    CHECK_ERR_ARG(cnode_move(CAP_INIT_CNODE, moved, CAP_INIT_CNODE, CAP_INIT_TCB),
                  KERR_SLOT_OCCUPIED, 0);
    CHECK_ERR_ARG(cnode_move(CAP_INIT_CNODE, frame, CAP_INIT_CNODE, empty), KERR_INVALID_CAP, 2);
    CHECK_ERR_ARG(cnode_move(CAP_INIT_CNODE, root_slots(), CAP_INIT_CNODE, moved), KERR_SLOT_RANGE,
                  0);
    CHECK_ERR_ARG(cnode_move(CAP_INIT_CNODE, frame, CAP_INIT_CNODE, root_slots()), KERR_SLOT_RANGE,
                  2);
    CHECK_ERR_ARG(cnode_move(CAP_INIT_CNODE, moved, CAP_INIT_CNODE, moved), KERR_SLOT_OCCUPIED, 0);
    EXPECT_CAP(moved, OBJ_FRAME, RIGHTS_ALL);
}

void test_cnode_delete(void)
{
    pool_stats_t before = pool_stats(CAP_INIT_POOL);
    cptr_t frame, copy, empty = slot_alloc();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(cap_derive(frame, RIGHTS_ALL, &copy));
    /* the object lives while any capability names it */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, frame));
    EXPECT_EMPTY(frame);
    EXPECT_CAP(copy, OBJ_FRAME, RIGHTS_ALL);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects + 1);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, copy));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, before.used);
    /* deleting nothing is fine; deleting beyond the CNode is not */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, empty));
    CHECK_ERR_ARG(cnode_delete(CAP_INIT_CNODE, root_slots()), KERR_SLOT_RANGE, 0);
    CHECK_ERR_ARG(cnode_delete(CAP_INIT_CNODE, ~0ull), KERR_SLOT_RANGE, 0);
}

void test_cnode_revoke(void)
{
    cptr_t a, b, c, d, e, other, mapped, cnode;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &a));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_CNODE, 3, &cnode));
    CHECK_OK(cap_derive(a, RIGHTS_ALL, &b));
    CHECK_OK(cap_derive(b, RIGHT_READ, &c));
    CHECK_OK(cap_derive(a, RIGHTS_ALL, &d));
    /* revoking b takes c, derived from it; a, b and d stay */
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, b));
    EXPECT_EMPTY(c);
    EXPECT_CAP(a, OBJ_FRAME, RIGHTS_ALL);
    EXPECT_CAP(b, OBJ_FRAME, RIGHTS_ALL);
    EXPECT_CAP(d, OBJ_FRAME, RIGHTS_ALL);
    /* revoking a takes everything below it, transitively and in any CNode */
    CHECK_OK(cap_derive(b, RIGHTS_ALL, &c));
    CHECK_OK(cap_derive(c, RIGHT_READ, &e));
    CHECK_OK(cnode_copy(cnode, 5, CAP_INIT_CNODE, e, RIGHT_READ));
    uint64_t va = va_alloc(1);
    CHECK_OK(cap_derive(d, RIGHTS_ALL, &mapped));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, mapped, va, MAP_READ));
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, a));
    const cptr_t gone[] = {b, c, d, e, mapped};
    for (size_t i = 0; i < ARRAY_LEN(gone); i++) {
        EXPECT_EMPTY(gone[i]);
    }
    uint64_t type, rights, badge;
    CHECK_OK(cnode_identify(cnode, 5, &type, &rights, &badge));
    CHECK_EQ(type, OBJ_NULL);
    EXPECT_CAP(a, OBJ_FRAME, RIGHTS_ALL);
    /* the revoked mapping is gone: the address maps again */
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, a, va, MAP_READ));
    /* a deleted middle slot hands its children to its parent */
    CHECK_OK(cap_derive(a, RIGHTS_ALL, &b));
    CHECK_OK(cap_derive(b, RIGHTS_ALL, &c));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &other));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, b));
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, a));
    EXPECT_EMPTY(c);
    EXPECT_CAP(other, OBJ_FRAME, RIGHTS_ALL);
    /* revoking nothing is fine; beyond the CNode is not */
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, b));
    CHECK_ERR_ARG(cnode_revoke(CAP_INIT_CNODE, root_slots()), KERR_SLOT_RANGE, 0);
}

void test_cnode_slot_errors(void)
{
    cptr_t frame, dest = slot_alloc(), empty = slot_alloc();
    uint64_t type, rights, badge, beyond = root_slots();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, CAP_INIT_TCB, CAP_INIT_CNODE, frame, RIGHTS_ALL),
                  KERR_SLOT_OCCUPIED, 0);
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, beyond, CAP_INIT_CNODE, frame, RIGHTS_ALL),
                  KERR_SLOT_RANGE, 0);
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, dest, CAP_INIT_CNODE, beyond, RIGHTS_ALL),
                  KERR_SLOT_RANGE, 2);
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, dest, CAP_INIT_CNODE, empty, RIGHTS_ALL),
                  KERR_INVALID_CAP, 2);
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, dest, frame, 1, RIGHTS_ALL), KERR_WRONG_TYPE, 1);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, beyond, CAP_INIT_CNODE, frame, RIGHTS_ALL, 0),
                  KERR_SLOT_RANGE, 0);
    CHECK_ERR_ARG(cnode_mint(CAP_INIT_CNODE, dest, CAP_INIT_CNODE, ~0ull, RIGHTS_ALL, 0),
                  KERR_SLOT_RANGE, 2);
    CHECK_ERR_ARG(cnode_identify(CAP_INIT_CNODE, beyond, &type, &rights, &badge), KERR_SLOT_RANGE,
                  0);
    CHECK_OK(cnode_identify(CAP_INIT_CNODE, empty, &type, &rights, &badge));
    CHECK_EQ(type, OBJ_NULL);
    CHECK_EQ(rights, 0);
    EXPECT_EMPTY(dest);
}

void test_cnode_rights(void)
{
    cptr_t ro, wo, frame, dest = slot_alloc();
    uint64_t type, rights, badge;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(cap_derive(CAP_INIT_CNODE, RIGHT_READ, &ro));
    CHECK_OK(cap_derive(CAP_INIT_CNODE, RIGHT_WRITE, &wo));
    /* changing a CNode needs the write right on it */
    CHECK_ERR_ARG(cnode_copy(ro, dest, CAP_INIT_CNODE, frame, RIGHTS_ALL), KERR_NO_RIGHTS,
                  KERR_ARG_NONE);
    CHECK_ERR(cnode_mint(ro, dest, CAP_INIT_CNODE, frame, RIGHTS_ALL, 0), KERR_NO_RIGHTS);
    CHECK_ERR(cnode_move(ro, dest, CAP_INIT_CNODE, frame), KERR_NO_RIGHTS);
    CHECK_ERR(cnode_delete(ro, frame), KERR_NO_RIGHTS);
    CHECK_ERR(cnode_revoke(ro, frame), KERR_NO_RIGHTS);
    CHECK_OK(cnode_identify(ro, frame, &type, &rights, &badge));
    CHECK_EQ(type, OBJ_FRAME);
    /* reading one needs the read right, as the source of a copy too */
    CHECK_ERR(cnode_identify(wo, frame, &type, &rights, &badge), KERR_NO_RIGHTS);
    CHECK_ERR_ARG(cnode_copy(CAP_INIT_CNODE, dest, wo, frame, RIGHTS_ALL), KERR_NO_RIGHTS, 1);
    CHECK_OK(cnode_copy(wo, dest, ro, frame, RIGHTS_ALL));
    EXPECT_CAP(dest, OBJ_FRAME, RIGHTS_ALL);
    EXPECT_CAP(frame, OBJ_FRAME, RIGHTS_ALL);
}

void test_cnode_second(void)
{
    pool_stats_t before = pool_stats(CAP_INIT_POOL);
    const uint64_t slots = 8;
    cptr_t cnode, frame, back = slot_alloc();
    uint64_t type, rights, badge;
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_CNODE, 3, &cnode));
    /* a new CNode is empty */
    for (uint64_t s = 0; s < slots; s++) {
        CHECK_OK(cnode_identify(cnode, s, &type, &rights, &badge));
        CHECK_EQ(type, OBJ_NULL);
    }
    CHECK_ERR_ARG(cnode_identify(cnode, slots, &type, &rights, &badge), KERR_SLOT_RANGE, 0);
    /* objects can be created straight into it, and capabilities moved */
    CHECK_OK(pool_create(CAP_INIT_POOL, OBJ_TCB, 0, cnode, 1));
    CHECK_ERR_ARG(pool_create(CAP_INIT_POOL, OBJ_TCB, 0, cnode, slots), KERR_SLOT_RANGE, 3);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(cnode_move(cnode, 2, CAP_INIT_CNODE, frame));
    CHECK_OK(cnode_copy(cnode, 3, cnode, 2, RIGHT_READ));
    CHECK_OK(cnode_identify(cnode, 3, &type, &rights, &badge));
    CHECK_EQ(type, OBJ_FRAME);
    CHECK_EQ(rights, RIGHT_READ);
    CHECK_OK(cnode_copy(CAP_INIT_CNODE, back, cnode, 1, RIGHT_READ));
    EXPECT_CAP(back, OBJ_TCB, RIGHT_READ);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects + 3);
    /* deleting the CNode deletes what it holds: the frame dies, the TCB
     * lives on through the root's copy */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, cnode));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects + 1);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, back));
    CHECK_EQ(pool_stats(CAP_INIT_POOL).objects, before.objects);
    CHECK_EQ(pool_stats(CAP_INIT_POOL).used, before.used);
}

/* CNode_Grow: a larger slot array, every capability at its index with its
 * mapping and derivation, the pool charged the difference; too small, too
 * large or unpaid sizes change nothing. */
void test_cnode_grow(void)
{
    cptr_t pool, cnode, frame, copy = slot_alloc();
    volatile uint64_t *addr;
    cnode_identity_t id;
    CHECK_OK(pool_new(64 * 1024, &pool));
    CHECK_OK(object_new(pool, OBJ_CNODE, 1, &cnode));
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &addr));
    *addr = 0x1234;
    CHECK_OK(cnode_move(cnode, 1, CAP_INIT_CNODE, frame)); /* mapped, as it moves */
    CHECK_OK(cnode_copy(CAP_INIT_CNODE, copy, cnode, 1, RIGHT_READ));
    pool_stats_t small = pool_stats(pool);
    CHECK_OK(cnode_identify_full(CAP_INIT_CNODE, cnode, &id));
    CHECK_EQ(id.cnode_bits, 1);
    CHECK_ERR_ARG(cnode_grow(cnode, 1), KERR_RANGE, 0);
    CHECK_ERR_ARG(cnode_grow(cnode, 17), KERR_RANGE, 0);
    CHECK_ERR(cnode_grow(cnode, 12), KERR_NO_MEMORY); /* 352 KiB: over the budget */
    CHECK_EQ(pool_stats(pool).used, small.used);
    CHECK_OK(cnode_grow(cnode, 4));
    CHECK(pool_stats(pool).used > small.used);
    CHECK_OK(cnode_identify_full(CAP_INIT_CNODE, cnode, &id));
    CHECK_EQ(id.cnode_bits, 4);
    CHECK_OK(cnode_identify_full(cnode, 1, &id));
    CHECK_EQ(id.type, OBJ_FRAME);
    CHECK_EQ(id.map_vaddr, (uint64_t)addr);
    CHECK_EQ(*addr, 0x1234);                                 /* still mapped */
    CHECK_OK(pool_create(pool, OBJ_ENDPOINT, 0, cnode, 15)); /* a new slot */
    /* the copy is still derived from the moved slot: revoking it goes */
    CHECK_OK(cnode_revoke(cnode, 1));
    CHECK_EQ(slot_type(copy), OBJ_NULL);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, cnode));
    CHECK_EQ(pool_stats(pool).used, 0);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, pool));
}
