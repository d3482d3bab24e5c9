/*
 * Object creation, destruction and the zombie queue. The per-type work is in
 * object/<type>.c; this file only knows the table below.
 */
#include "kernel/object.h"

#include "kernel/cap.h"
#include "kernel/kalloc.h"
#include "kernel/panic.h"
#include "object/cnode.h"
#include "object/debug.h"
#include "object/device.h"
#include "object/endpoint.h"
#include "object/frame.h"
#include "object/notification.h"
#include "object/pool.h"
#include "object/tcb.h"
#include "object/vspace.h"

typedef struct {
    size_t (*size)(unsigned size_bits); /* bytes of the object itself */
    size_t data_pages;                  /* pages it owns besides (frame, PML4) */
    kerr_t (*init)(kobject_t *obj, unsigned size_bits);
    bool (*finalize)(kobject_t *obj); /* false: its memory is freed later */
} object_ops_t;

static const object_ops_t object_ops[OBJ_COUNT] = {
    [OBJ_POOL] = {pool_size, 0, NULL, pool_finalize},
    [OBJ_CNODE] = {cnode_size, 0, cnode_init, cnode_finalize},
    [OBJ_TCB] = {tcb_size, 0, tcb_init, tcb_finalize},
    [OBJ_VSPACE] = {vspace_size, VSPACE_DATA_PAGES, vspace_init, vspace_finalize},
    [OBJ_FRAME] = {frame_size, 1, frame_init, frame_finalize},
    [OBJ_DEBUG] = {debug_size, 0, NULL, debug_finalize},
    [OBJ_ENDPOINT] = {endpoint_size, 0, NULL, endpoint_finalize},
    [OBJ_NOTIFICATION] = {notification_size, 0, NULL, notification_finalize},
    [OBJ_IRQ_CONTROL] = {device_size, 0, NULL, device_finalize},
    [OBJ_IRQ_HANDLER] = {device_size, 0, NULL, device_finalize},
    [OBJ_IO_PORT] = {device_size, 0, NULL, device_finalize},
};

static kobject_t *zombies;

size_t object_charge(obj_type_t type, unsigned size_bits)
{
    const object_ops_t *ops = &object_ops[type];
    size_t own = type == OBJ_CNODE ? cnode_slots_charge(size_bits) : 0; /* its slot array */
    return kalloc_charge(ops->size(size_bits)) + own + ops->data_pages * FRAME_SIZE;
}

void object_link(kobject_t *obj, obj_type_t type, pool_t *pool, size_t charge)
{
    obj->type = type;
    obj->pool = pool;
    obj->charge = charge;
    if (pool == NULL) {
        return;
    }
    obj->pool_next = pool->objects;
    if (pool->objects != NULL) {
        pool->objects->pool_prev = obj;
    }
    pool->objects = obj;
    pool->object_count++;
}

static void object_unlink(kobject_t *obj)
{
    pool_t *pool = obj->pool;
    if (pool == NULL) {
        return;
    }
    if (obj->pool_prev != NULL) {
        obj->pool_prev->pool_next = obj->pool_next;
    } else {
        pool->objects = obj->pool_next;
    }
    if (obj->pool_next != NULL) {
        obj->pool_next->pool_prev = obj->pool_prev;
    }
    pool->object_count--;
    pool_uncharge(pool, obj->charge);
}

kerr_t object_create(pool_t *pool, obj_type_t type, unsigned size_bits, kobject_t **out)
{
    const object_ops_t *ops = &object_ops[type];
    ASSERT(type < OBJ_COUNT && ops->size != NULL);
    size_t charge = object_charge(type, size_bits);
    kerr_t err = pool_charge(pool, charge);
    if (err != KERR_OK) {
        return err;
    }
    kobject_t *obj = kalloc(ops->size(size_bits));
    if (obj == NULL) {
        pool_uncharge(pool, charge);
        return KERR_NO_MEMORY;
    }
    obj->type = type;
    if (ops->init != NULL && (err = ops->init(obj, size_bits)) != KERR_OK) {
        kfree(obj, ops->size(size_bits));
        pool_uncharge(pool, charge);
        return err;
    }
    object_link(obj, type, pool, charge);
    *out = obj;
    return KERR_OK;
}

static void zombie_unlink(kobject_t *obj)
{
    if (obj->zombie_prev != NULL) {
        obj->zombie_prev->zombie_next = obj->zombie_next;
    } else {
        zombies = obj->zombie_next;
    }
    if (obj->zombie_next != NULL) {
        obj->zombie_next->zombie_prev = obj->zombie_prev;
    }
    obj->flags &= ~OBJ_FLAG_ZOMBIE;
}

/* The size the object was allocated with (a CNode's slots are apart). */
static size_t object_alloc_size(kobject_t *obj)
{
    return object_ops[obj->type].size(0);
}

void object_destroy(kobject_t *obj)
{
    obj->flags |= OBJ_FLAG_DYING;
    while (obj->slots != NULL) {
        cte_clear(obj->slots);
    }
    if (obj->flags & OBJ_FLAG_ZOMBIE) {
        zombie_unlink(obj);
    }
    size_t size = object_alloc_size(obj);
    bool free_now = object_ops[obj->type].finalize(obj);
    object_unlink(obj);
    if (free_now) {
        kfree(obj, size);
    }
}

/* True if a slot other than a reply capability names `obj`: a reply
 * capability names its caller without keeping it alive (as in seL4), so a
 * thread whose last real capability goes is destroyed even while a server
 * holds its call, which then finds no caller. */
static bool object_is_held(const kobject_t *obj)
{
    for (const cte_t *s = obj->slots; s != NULL; s = s->obj_next) {
        if (s->cap.type != OBJ_REPLY) {
            return true;
        }
    }
    return false;
}

void object_release(kobject_t *obj)
{
    if (object_is_held(obj) || (obj->flags & OBJ_FLAG_ZOMBIE)) {
        return;
    }
    obj->flags |= OBJ_FLAG_ZOMBIE;
    obj->zombie_prev = NULL;
    obj->zombie_next = zombies;
    if (zombies != NULL) {
        zombies->zombie_prev = obj;
    }
    zombies = obj;
}

void object_reap(void)
{
    while (zombies != NULL) {
        object_destroy(zombies);
    }
}
