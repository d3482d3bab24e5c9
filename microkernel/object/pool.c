/*
 * Pools: memory ceilings. Every object is charged to one pool and to each of
 * its ancestors; a child pool's budget is a ceiling, not a reservation, so
 * creating one costs only its own structure and a thousand idle containers
 * each allowed megabytes fit in a small machine. A charge that would take any
 * pool on the chain over its budget fails with nothing charged, so no pool
 * ever holds more than its budget, descendants included. Destroying a pool's
 * objects is how whole processes and containers are reclaimed, whatever
 * cycles their capabilities form.
 */
#include "object/pool.h"

#include "kernel/cap.h"
#include "kernel/invocation.h"
#include "kernel/kalloc.h"
#include "object/cnode.h"

size_t pool_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(pool_t);
}

/* The pool a pool's own structure is charged to (NULL for the root). */
static pool_t *pool_parent(const pool_t *pool)
{
    return pool->obj.pool;
}

/* Checks the whole chain before changing any of it, so a failure on a
 * grandparent's ceiling leaves the grandchild and the parent untouched. The
 * chain is at most POOL_MAX_DEPTH long. */
kerr_t pool_charge(pool_t *pool, size_t bytes)
{
    for (const pool_t *p = pool; p != NULL; p = pool_parent(p)) {
        if (bytes > p->budget - p->used) {
            return KERR_NO_MEMORY;
        }
    }
    for (pool_t *p = pool; p != NULL; p = pool_parent(p)) {
        p->used += bytes;
    }
    return KERR_OK;
}

void pool_uncharge(pool_t *pool, size_t bytes)
{
    for (pool_t *p = pool; p != NULL; p = pool_parent(p)) {
        p->used -= bytes;
    }
}

pool_t *pool_create_root(uint64_t budget)
{
    pool_t *pool = kalloc(sizeof(pool_t));
    if (pool != NULL) {
        object_link(&pool->obj, OBJ_POOL, NULL, 0);
        pool->budget = budget;
    }
    return pool;
}

void pool_destroy_objects(pool_t *pool)
{
    while (pool->objects != NULL) {
        object_destroy(pool->objects);
    }
}

bool pool_finalize(kobject_t *obj)
{
    pool_destroy_objects((pool_t *)obj);
    return true;
}

/* A child pool allowed `budget` bytes; only its structure is charged (to
 * `parent` and up), its objects are charged when they are created. A ceiling
 * above the parent's could never be reached, so it is refused. */
static kerr_t pool_split(pool_t *parent, uint64_t budget, cte_t *dest)
{
    size_t charge = kalloc_charge(sizeof(pool_t));
    if (budget > parent->budget) {
        return KERR_NO_MEMORY;
    }
    kerr_t err = pool_charge(parent, charge);
    if (err != KERR_OK) {
        return err;
    }
    pool_t *child = kalloc(sizeof(pool_t));
    if (child == NULL) {
        pool_uncharge(parent, charge);
        return KERR_NO_MEMORY;
    }
    child->budget = budget;
    child->depth = parent->depth + 1;
    object_link(&child->obj, OBJ_POOL, parent, charge);
    cte_insert(dest, cap_for_object(&child->obj), NULL);
    return KERR_OK;
}

static bool type_is_creatable(uint64_t type)
{
    switch (type) {
#define OBJECT(name, value, creatable)                                                             \
    case value:                                                                                    \
        return creatable;
#include "uapi/objects.def"
#undef OBJECT
    default:
        return false;
    }
}

static kerr_t decode_create(invocation_t *inv, pool_t *pool)
{
    kerr_t err = inv_need_args(inv, 4);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t type = inv_arg(inv, 0);
    uint64_t size_bits = inv_arg(inv, 1);
    if (!type_is_creatable(type)) {
        return inv_fail(inv, 0, KERR_INVALID_ARGUMENT);
    }
    if (type == OBJ_CNODE) {
        if (size_bits < CNODE_MIN_SIZE_BITS || size_bits > CNODE_MAX_SIZE_BITS) {
            return inv_fail(inv, 1, KERR_RANGE);
        }
    } else if (size_bits != 0) {
        return inv_fail(inv, 1, KERR_RANGE);
    }
    cte_t *cnode_cap, *dest;
    if ((err = inv_lookup_arg(inv, 2, OBJ_CNODE, RIGHT_WRITE, &cnode_cap)) != KERR_OK ||
        (err = inv_empty_slot(inv, cnode_cap->cap.obj, 3, &dest)) != KERR_OK) {
        return err;
    }
    kobject_t *obj;
    if ((err = object_create(pool, (obj_type_t)type, (unsigned)size_bits, &obj)) != KERR_OK) {
        return err;
    }
    cte_insert(dest, cap_for_object(obj), NULL);
    return KERR_OK;
}

static kerr_t decode_split(invocation_t *inv, pool_t *pool)
{
    kerr_t err = inv_need_args(inv, 3);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t budget = inv_arg(inv, 0);
    if (budget == 0) {
        return inv_fail(inv, 0, KERR_INVALID_ARGUMENT);
    }
    if (pool->depth + 1 >= POOL_MAX_DEPTH) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_RANGE);
    }
    cte_t *cnode_cap, *dest;
    if ((err = inv_lookup_arg(inv, 1, OBJ_CNODE, RIGHT_WRITE, &cnode_cap)) != KERR_OK ||
        (err = inv_empty_slot(inv, cnode_cap->cap.obj, 2, &dest)) != KERR_OK) {
        return err;
    }
    return pool_split(pool, budget, dest);
}

static kerr_t decode_info(invocation_t *inv, pool_t *pool)
{
    inv_reply(inv, 0, pool->budget);
    inv_reply(inv, 1, pool->used);
    inv_reply(inv, 2, pool->object_count);
    return KERR_OK;
}

kerr_t pool_invoke(invocation_t *inv)
{
    pool_t *pool = (pool_t *)inv->slot->cap.obj;
    unsigned need = inv->label == INV_POOL_INFO ? RIGHT_READ : RIGHT_WRITE;
    kerr_t err = inv_need_rights(inv, need);
    if (err != KERR_OK) {
        return err;
    }
    switch (inv->label) {
    case INV_POOL_CREATE:
        return decode_create(inv, pool);
    case INV_POOL_SPLIT:
        return decode_split(inv, pool);
    case INV_POOL_DESTROY:
        pool_destroy_objects(pool);
        return KERR_OK;
    case INV_POOL_INFO:
        return decode_info(inv, pool);
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}
