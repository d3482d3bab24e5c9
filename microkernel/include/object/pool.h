/* Pool: a memory ceiling every kernel object is charged to, with its ancestors. */
#ifndef CAPSULE_OBJECT_POOL_H
#define CAPSULE_OBJECT_POOL_H

#include "kernel/object.h"

#define POOL_MAX_DEPTH 16

typedef struct pool {
    kobject_t obj;
    uint64_t budget;       /* most bytes this pool and its descendants may hold */
    uint64_t used;         /* bytes charged here and in every descendant */
    uint64_t object_count; /* objects charged to this pool */
    kobject_t *objects;    /* list through kobject_t.pool_next */
    unsigned depth;        /* 0 for the root pool */
} pool_t;

/* Charges `bytes` to `pool` and every ancestor; KERR_NO_MEMORY if any would
 * go over its budget, and then nothing is charged anywhere. */
kerr_t pool_charge(pool_t *pool, size_t bytes);
/* Credits `bytes` to `pool` and every ancestor. */
void pool_uncharge(pool_t *pool, size_t bytes);

/* The root pool, owning `budget` bytes and charged to nothing. */
pool_t *pool_create_root(uint64_t budget);

/* Destroys every object charged to `pool`, child pools and theirs included. */
void pool_destroy_objects(pool_t *pool);

size_t pool_size(unsigned size_bits);
bool pool_finalize(kobject_t *obj);

#endif
