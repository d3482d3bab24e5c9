/*
 * Kernel objects and the capability slots that name them.
 *
 * Every object starts with a kobject_t: its type, the pool it is charged to
 * and the list of slots (cte_t) naming it. An object lives while a slot names
 * it; when the last one is deleted it becomes a zombie and is destroyed by
 * object_reap() at the end of the operation, iteratively, so destroying a
 * CNode full of capabilities never recurses. Pool_Destroy destroys objects
 * whatever names them, which is how cycles (a CNode naming the TCB that
 * names it) are reclaimed.
 */
#ifndef CAPSULE_KERNEL_OBJECT_H
#define CAPSULE_KERNEL_OBJECT_H

#include "kernel/types.h"
#include "uapi/errors.h"
#include "uapi/objects.h"

typedef struct kobject kobject_t;
typedef struct cte cte_t;
struct pool;
struct vspace;

typedef struct {
    kobject_t *obj; /* NULL in an empty slot */
    uint64_t badge;
    uint8_t type; /* obj_type_t */
    uint8_t rights;
} cap_t;

/* Where a Frame capability is mapped: each Frame capability is mapped at
 * most once, and its VSpace keeps the list of capabilities mapped in it. */
typedef struct {
    struct vspace *vspace; /* NULL when not mapped */
    vaddr_t vaddr;
    unsigned rights; /* MAP_* it was mapped with */
    cte_t *prev, *next;
} cte_mapping_t;

struct cte {
    cap_t cap;
    cte_t *obj_prev, *obj_next; /* the other slots naming cap.obj */
    cte_t *parent;              /* the slot this capability was derived from */
    cte_mapping_t map;
};

#define OBJ_FLAG_ZOMBIE 0x1u
#define OBJ_FLAG_DYING 0x2u /* being destroyed: its slots are being nulled */

struct kobject {
    uint8_t type;
    uint8_t flags;
    size_t charge;                    /* bytes charged to pool */
    struct pool *pool;                /* NULL only for the root pool */
    kobject_t *pool_prev, *pool_next; /* objects of the same pool */
    cte_t *slots;                     /* the slots naming this object */
    kobject_t *zombie_prev, *zombie_next;
};

/* Creates a zeroed object of `type` (size_bits: CNode slots as a power of
 * two) charged to `pool`; nothing changes on failure. */
kerr_t object_create(struct pool *pool, obj_type_t type, unsigned size_bits, kobject_t **out);

/* Bytes an object of `type` and `size_bits` is charged. */
size_t object_charge(obj_type_t type, unsigned size_bits);

/* Destroys `obj` now, nulling every slot that names it. */
void object_destroy(kobject_t *obj);

/* Queues `obj` for destruction if no slot names it any more. */
void object_release(kobject_t *obj);

/* Destroys every queued object (and whatever their destruction frees). */
void object_reap(void);

/* Links a new object into its pool's list (used by object_create and boot). */
void object_link(kobject_t *obj, obj_type_t type, struct pool *pool, size_t charge);

#endif
