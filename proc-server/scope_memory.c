#include "scope_memory.h"

#include <errno.h>
#include <stdio.h>

#include "uapi/objects.h"

/* The pool processes of `scope` are split from and its ceiling: the
 * scope's own or its nearest ancestor's, else the root pool. */
static cptr_t pool_for(const scope_t *scope, uint64_t *ceiling)
{
    for (const scope_t *s = scope; s != NULL; s = s->parent) {
        if (s->memory_pool != CAP_NULL) {
            *ceiling = s->memory_limit;
            return s->memory_pool;
        }
    }
    uint64_t used, objects;
    if (pool_info(CAP_INIT_POOL, ceiling, &used, &objects) != KERR_OK) {
        *ceiling = 0;
    }
    return CAP_INIT_POOL;
}

/* How deep a pool split from scope's chain would be: one below the last
 * pool on it (the root pool is depth 0, the processes' pool 1). */
static unsigned depth_below(const scope_t *scope)
{
    unsigned depth = 1;
    for (const scope_t *s = scope; s != NULL; s = s->parent) {
        depth += s->memory_pool != CAP_NULL;
    }
    return depth;
}

/* Whether a scope below `scope` has a pool of its own: a new pool for
 * `scope` could not become their parent (pools are not re-parented). */
static bool descendant_has_pool(const scope_t *scope)
{
    list_node_t *pos;
    list_for_each(pos, &scope->children)
    {
        const scope_t *child = list_entry(pos, scope_t, sibling);
        if (child->memory_pool != CAP_NULL || descendant_has_pool(child)) {
            return true;
        }
    }
    return false;
}

/* Deleting the last capability destroys the pool and whatever is left in it. */
static void release_pool(scope_t *scope)
{
    if (scope->memory_pool != CAP_NULL) {
        cnode_delete(CAP_INIT_CNODE, scope->memory_pool);
        slot_free(scope->memory_pool);
        scope->memory_pool = CAP_NULL;
        scope->memory_limit = 0;
    }
}

void scope_memory_init(scope_t *root, uint64_t kept_back)
{
    scope_set_release(release_pool);
    uint64_t budget, used, objects;
    if (pool_info(CAP_INIT_POOL, &budget, &used, &objects) != KERR_OK) {
        return;
    }
    uint64_t left = budget - used;
    uint64_t ceiling = left > 2 * kept_back ? left - kept_back : left / 2;
    cptr_t slot = slot_alloc();
    if (slot == CAP_NULL || pool_split(CAP_INIT_POOL, ceiling, CAP_INIT_CNODE, slot) != KERR_OK) {
        fprintf(stderr, "proc-server: no pool for processes; they draw on the root pool\n");
        slot_free(slot);
        return;
    }
    root->memory_pool = slot;
    root->memory_limit = ceiling;
    fprintf(stderr, "proc-server: processes may hold %lu MiB, %lu MiB kept for the servers\n",
            ceiling >> 20, (left - ceiling) >> 20);
}

int scope_memory_set(scope_t *scope, uint64_t bytes)
{
    if (scope->parent == NULL) {
        return -EINVAL; /* the host's memory is the machine's */
    }
    if (scope->count > 0 || descendant_has_pool(scope)) {
        return -EBUSY;
    }
    if (bytes == 0) {
        release_pool(scope);
        return 0;
    }
    uint64_t ceiling;
    cptr_t parent = pool_for(scope->parent, &ceiling);
    if (bytes < SCOPE_MEMORY_MIN || bytes > ceiling) {
        return -EINVAL;
    }
    if (depth_below(scope->parent) > SCOPE_MEMORY_MAX_DEPTH) {
        return -ENOSPC; /* its processes' pools could not be made */
    }
    cptr_t slot = slot_alloc();
    if (slot == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t kerr = pool_split(parent, bytes, CAP_INIT_CNODE, slot);
    if (kerr != KERR_OK) {
        slot_free(slot);
        return errno_from_kerr(kerr);
    }
    release_pool(scope);
    scope->memory_pool = slot;
    scope->memory_limit = bytes;
    return 0;
}

int64_t scope_memory_usage(const scope_t *scope)
{
    uint64_t budget, used, objects;
    if (scope->memory_pool == CAP_NULL) {
        return -ENODATA;
    }
    kerr_t kerr = pool_info(scope->memory_pool, &budget, &used, &objects);
    return kerr == KERR_OK ? (int64_t)used : errno_from_kerr(kerr);
}

/* What `pool` has left below its budget (0 when it cannot be read). */
static uint64_t pool_room(cptr_t pool)
{
    uint64_t budget, used, objects;
    if (pool_info(pool, &budget, &used, &objects) != KERR_OK || used >= budget) {
        return 0;
    }
    return budget - used;
}

uint64_t scope_memory_room(const scope_t *scope, cptr_t task_pool)
{
    uint64_t room = pool_room(task_pool);
    for (const scope_t *s = scope; s != NULL; s = s->parent) {
        if (s->memory_pool != CAP_NULL) {
            uint64_t left = pool_room(s->memory_pool);
            room = left < room ? left : room;
        }
    }
    return room;
}

int scope_memory_task_create(const scope_t *scope, task_t *t, uint64_t budget, unsigned cnode_bits)
{
    uint64_t ceiling;
    cptr_t parent = pool_for(scope, &ceiling);
    /* a child's ceiling may not exceed its parent's (docs/kernel-objects.md) */
    return task_create_in(t, parent, budget < ceiling ? budget : ceiling, cnode_bits);
}
