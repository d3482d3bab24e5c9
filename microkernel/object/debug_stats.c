/*
 * What the Debug capability tells about the kernel's objects, for the
 * debug protocol's `kernel` listing (docs/protocols/debug.md): frame use
 * and object counts under a pool, and one thread's scheduling state.
 * Reading only: nothing here changes an object.
 */
#include "object/debug_stats.h"

#include "kernel/frame_alloc.h"
#include "object/pool.h"
#include "object/tcb.h"

/* Adds the objects of pool and of its child pools to counts, by type. The
 * depth is bounded by POOL_MAX_DEPTH, so the recursion is too. */
static void count_objects(const pool_t *pool, uint64_t counts[OBJ_COUNT])
{
    for (const kobject_t *o = pool->objects; o != NULL; o = o->pool_next) {
        if (o->type < OBJ_COUNT) {
            counts[o->type]++;
        }
        if (o->type == OBJ_POOL) {
            count_objects((const pool_t *)o, counts);
        }
    }
}

/* Debug_ObjectCounts: argument 0 a pool. Reply: free frames, all frames,
 * then one word per object type (OBJ_NULL first) under that pool. */
kerr_t debug_object_counts(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 1);
    cte_t *slot = NULL;
    if (err != KERR_OK || (err = inv_lookup_arg(inv, 0, OBJ_POOL, RIGHT_READ, &slot)) != KERR_OK) {
        return err;
    }
    if (inv->ipc == NULL) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_TRUNCATED_MESSAGE); /* the reply needs MRs */
    }
    uint64_t counts[OBJ_COUNT] = {0};
    count_objects((const pool_t *)slot->cap.obj, counts);
    inv_reply(inv, 0, frame_alloc_free_count());
    inv_reply(inv, 1, frame_alloc_total_count());
    for (unsigned t = 0; t < OBJ_COUNT; t++) {
        inv_reply(inv, 2 + t, counts[t]);
    }
    return KERR_OK;
}

/* What a thread waits on: an endpoint or notification it is queued on, a
 * reply (its Call was delivered; the server holds the reply capability),
 * or nothing. */
static obj_type_t waits_on(const tcb_t *t)
{
    switch (t->state) {
    case TCB_STATE_BLOCKED_REPLY:
        return OBJ_REPLY;
    case TCB_STATE_BLOCKED_SEND:
    case TCB_STATE_BLOCKED_RECV:
    case TCB_STATE_BLOCKED_NOTIFICATION:
        return t->blocked_on != NULL ? (obj_type_t)t->blocked_on->type : OBJ_NULL;
    default:
        return OBJ_NULL;
    }
}

/* Debug_ThreadInfo: argument 0 a TCB. Reply: state (TCB_STATE_*),
 * priority, mcp, the type of what it waits on (waits_on) and, while it is
 * queued sending, the badge of the capability it sends through (else 0:
 * the IPC fast path does not record it for a delivered Call). */
kerr_t debug_thread_info(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 1);
    cte_t *slot = NULL;
    if (err != KERR_OK || (err = inv_lookup_arg(inv, 0, OBJ_TCB, RIGHT_READ, &slot)) != KERR_OK) {
        return err;
    }
    if (inv->ipc == NULL) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_TRUNCATED_MESSAGE);
    }
    const tcb_t *t = (const tcb_t *)slot->cap.obj;
    inv_reply(inv, 0, t->state);
    inv_reply(inv, 1, t->priority);
    inv_reply(inv, 2, t->mcp);
    inv_reply(inv, 3, waits_on(t));
    inv_reply(inv, 4, t->state == TCB_STATE_BLOCKED_SEND ? t->ipc_badge : 0);
    return KERR_OK;
}
