/* CNode: an array of 2^size_bits capability slots. The array is allocated
 * apart from the object so that CNode_Grow can replace it with a larger one
 * while every capability naming the CNode stays valid. */
#ifndef CAPSULE_OBJECT_CNODE_H
#define CAPSULE_OBJECT_CNODE_H

#include "kernel/object.h"

typedef struct cnode {
    kobject_t obj;
    unsigned size_bits;
    cte_t *slots;
} cnode_t;

/* Bumped whenever a CNode's slot array moves (CNode_Grow): a TCB's cached
 * slot pointer is valid only while its generation matches. */
extern uint64_t cnode_generation;

static inline uint64_t cnode_slot_count(const cnode_t *cn)
{
    return 1ull << cn->size_bits;
}

/* The slot at `index`, or NULL when out of range. */
cte_t *cnode_slot(cnode_t *cn, uint64_t index);

/* Bytes of the object itself (any size_bits), and what its slot array of
 * 2^size_bits slots is charged. */
size_t cnode_size(unsigned size_bits);
size_t cnode_slots_charge(unsigned size_bits);
kerr_t cnode_init(kobject_t *obj, unsigned size_bits);
bool cnode_finalize(kobject_t *obj);

#endif
