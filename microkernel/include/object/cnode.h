/* CNode: an array of 2^size_bits capability slots. */
#ifndef CAPSULE_OBJECT_CNODE_H
#define CAPSULE_OBJECT_CNODE_H

#include "kernel/object.h"

typedef struct cnode {
    kobject_t obj;
    unsigned size_bits;
    cte_t slots[];
} cnode_t;

static inline uint64_t cnode_slot_count(const cnode_t *cn)
{
    return 1ull << cn->size_bits;
}

/* The slot at `index`, or NULL when out of range. */
cte_t *cnode_slot(cnode_t *cn, uint64_t index);

size_t cnode_size(unsigned size_bits);
kerr_t cnode_init(kobject_t *obj, unsigned size_bits);
bool cnode_finalize(kobject_t *obj);

#endif
