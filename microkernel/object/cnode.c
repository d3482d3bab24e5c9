/*
 * CNodes and the invocations that move capabilities between their slots.
 * A thread's CSpace is one CNode: a CPtr is a slot index in it.
 */
#include "object/cnode.h"

#include "kernel/cap.h"
#include "kernel/invocation.h"
#include "kernel/kalloc.h"
#include "kernel/section.h"
#include "object/pool.h"
#include "object/tcb.h"

uint64_t cnode_generation FASTPATH_DATA;

size_t cnode_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(cnode_t);
}

static size_t slots_size(unsigned size_bits)
{
    return sizeof(cte_t) << size_bits;
}

size_t cnode_slots_charge(unsigned size_bits)
{
    return kalloc_charge(slots_size(size_bits));
}

kerr_t cnode_init(kobject_t *obj, unsigned size_bits)
{
    cnode_t *cn = (cnode_t *)obj;
    cn->slots = kalloc(slots_size(size_bits));
    if (cn->slots == NULL) {
        return KERR_NO_MEMORY;
    }
    cn->size_bits = size_bits;
    return KERR_OK;
}

bool cnode_finalize(kobject_t *obj)
{
    cnode_t *cn = (cnode_t *)obj;
    for (uint64_t i = 0; i < cnode_slot_count(cn); i++) {
        cte_delete(&cn->slots[i]);
    }
    kfree(cn->slots, slots_size(cn->size_bits));
    cn->slots = NULL;
    return true;
}

cte_t *cnode_slot(cnode_t *cn, uint64_t index)
{
    if (index >= cnode_slot_count(cn)) {
        return NULL;
    }
    return &cn->slots[index];
}

/* The occupied slot `slot_arg` of the CNode named by argument `cnode_arg`,
 * whose capability must carry `rights`. */
static kerr_t source_slot(invocation_t *inv, unsigned cnode_arg, unsigned slot_arg, unsigned rights,
                          cte_t **out)
{
    cte_t *cnode_cap;
    kerr_t err = inv_lookup_arg(inv, cnode_arg, OBJ_CNODE, rights, &cnode_cap);
    if (err != KERR_OK) {
        return err;
    }
    cte_t *src = cnode_slot((cnode_t *)cnode_cap->cap.obj, inv_arg(inv, slot_arg));
    if (src == NULL) {
        return inv_fail(inv, slot_arg, KERR_SLOT_RANGE);
    }
    if (cte_is_empty(src)) {
        return inv_fail(inv, slot_arg, KERR_INVALID_CAP);
    }
    *out = src;
    return KERR_OK;
}

static bool type_is_badged(uint8_t type)
{
    return type == OBJ_ENDPOINT || type == OBJ_NOTIFICATION;
}

/* CNode_Copy and CNode_Mint: a derived capability with fewer rights. */
static kerr_t decode_derive(invocation_t *inv, bool mint)
{
    kerr_t err = inv_need_args(inv, mint ? 5 : 4);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t rights = inv_arg(inv, 3);
    uint64_t badge = mint ? inv_arg(inv, 4) : 0;
    cte_t *dest, *src;
    if ((err = inv_empty_slot(inv, inv->slot->cap.obj, 0, &dest)) != KERR_OK ||
        (err = source_slot(inv, 1, 2, RIGHT_READ, &src)) != KERR_OK) {
        return err;
    }
    if (src->cap.type == OBJ_REPLY) {
        return inv_fail(inv, 2, KERR_INVALID_ARGUMENT); /* one-shot: move it instead */
    }
    if (rights & ~(uint64_t)RIGHTS_ALL) {
        return inv_fail(inv, 3, KERR_INVALID_ARGUMENT);
    }
    if (badge != 0 && (!type_is_badged(src->cap.type) || src->cap.badge != 0)) {
        return inv_fail(inv, 4, KERR_INVALID_ARGUMENT);
    }
    cap_t cap = src->cap;
    cap.rights &= (uint8_t)rights;
    if (badge != 0) {
        cap.badge = badge;
    }
    cte_insert(dest, cap, src);
    return KERR_OK;
}

static kerr_t decode_move(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 3);
    if (err != KERR_OK) {
        return err;
    }
    cte_t *dest, *src;
    if ((err = inv_empty_slot(inv, inv->slot->cap.obj, 0, &dest)) != KERR_OK ||
        (err = source_slot(inv, 1, 2, RIGHT_READ | RIGHT_WRITE, &src)) != KERR_OK) {
        return err;
    }
    cte_move(dest, src);
    return KERR_OK;
}

/* The slot named by argument 0 in the invoked CNode. */
static kerr_t own_slot(invocation_t *inv, cte_t **out)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    *out = cnode_slot((cnode_t *)inv->slot->cap.obj, inv_arg(inv, 0));
    if (*out == NULL) {
        return inv_fail(inv, 0, KERR_SLOT_RANGE);
    }
    return KERR_OK;
}

static kerr_t decode_delete(invocation_t *inv, bool revoke)
{
    cte_t *slot;
    kerr_t err = own_slot(inv, &slot);
    if (err != KERR_OK) {
        return err;
    }
    if (revoke) {
        cte_revoke(slot);
    } else {
        cte_delete(slot);
    }
    return KERR_OK;
}

static kerr_t decode_identify(invocation_t *inv)
{
    cte_t *slot;
    kerr_t err = own_slot(inv, &slot);
    if (err != KERR_OK) {
        return err;
    }
    cap_t cap = slot->cap;
    inv_reply(inv, 0, cap.obj != NULL ? cap.type : OBJ_NULL);
    inv_reply(inv, 1, cap.rights);
    inv_reply(inv, 2, cap.badge);
    /* where a Frame capability is mapped, so a holder can copy an address
     * space (fork) without keeping its own map of it */
    inv_reply(inv, 3, slot->map.vspace != NULL ? slot->map.vaddr : 0);
    if (cap.obj != NULL && cap.type == OBJ_CNODE) {
        /* a CNode's size, which CNode_Grow changes (fork sizes the copy) */
        inv_reply(inv, 3, ((cnode_t *)cap.obj)->size_bits);
    }
    inv_reply(inv, 4, slot->map.vspace != NULL ? slot->map.rights : 0);
    return KERR_OK;
}

/* CNode_Grow: a larger slot array for the same CNode. Every capability
 * moves to the same index of the new array (cte_move keeps its derivation,
 * its object's slot list and its mapping), so CPtrs and capabilities naming
 * the CNode stay valid; the pool is charged the difference, and nothing
 * changes when it cannot pay. */
static kerr_t decode_grow(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    cnode_t *cn = (cnode_t *)inv->slot->cap.obj;
    uint64_t bits = inv_arg(inv, 0);
    if (bits <= cn->size_bits || bits > CNODE_MAX_SIZE_BITS) {
        return inv_fail(inv, 0, KERR_RANGE);
    }
    size_t more = cnode_slots_charge((unsigned)bits) - cnode_slots_charge(cn->size_bits);
    if ((err = pool_charge(cn->obj.pool, more)) != KERR_OK) {
        return err;
    }
    cte_t *slots = kalloc(slots_size((unsigned)bits));
    if (slots == NULL) {
        pool_uncharge(cn->obj.pool, more);
        return KERR_NO_MEMORY;
    }
    for (uint64_t i = 0; i < cnode_slot_count(cn); i++) {
        if (!cte_is_empty(&cn->slots[i])) {
            cte_move(&slots[i], &cn->slots[i]);
        }
    }
    kfree(cn->slots, slots_size(cn->size_bits));
    cn->slots = slots;
    cn->size_bits = (unsigned)bits;
    cn->obj.charge += more;
    cnode_generation++; /* TCBs re-read the array (tcb_cache_slots) */
    return KERR_OK;
}

/* CNode_SaveCaller: moves the reply capability Recv left in the caller's
 * TCB into a slot, so the call can be answered later. */
static kerr_t decode_save_caller(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    cte_t *dest;
    if ((err = inv_empty_slot(inv, inv->slot->cap.obj, 0, &dest)) != KERR_OK) {
        return err;
    }
    if (cte_is_empty(&inv->caller->reply)) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_NO_CALLER);
    }
    cte_move(dest, &inv->caller->reply);
    return KERR_OK;
}

kerr_t cnode_invoke(invocation_t *inv)
{
    unsigned need = inv->label == INV_CNODE_IDENTIFY ? RIGHT_READ : RIGHT_WRITE;
    kerr_t err = inv_need_rights(inv, need);
    if (err != KERR_OK) {
        return err;
    }
    switch (inv->label) {
    case INV_CNODE_COPY:
        return decode_derive(inv, false);
    case INV_CNODE_MINT:
        return decode_derive(inv, true);
    case INV_CNODE_MOVE:
        return decode_move(inv);
    case INV_CNODE_DELETE:
        return decode_delete(inv, false);
    case INV_CNODE_REVOKE:
        return decode_delete(inv, true);
    case INV_CNODE_IDENTIFY:
        return decode_identify(inv);
    case INV_CNODE_SAVE_CALLER:
        return decode_save_caller(inv);
    case INV_CNODE_GROW:
        return decode_grow(inv);
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}
