/*
 * Operations on capability slots. Rights can only shrink along a derivation,
 * and each slot remembers its parent so CNode_Revoke can find what was
 * derived from it.
 */
#ifndef CAPSULE_KERNEL_CAP_H
#define CAPSULE_KERNEL_CAP_H

#include "kernel/object.h"

static inline bool cte_is_empty(const cte_t *slot)
{
    return slot->cap.obj == NULL;
}

/* A capability to `obj` with all rights, for a freshly created object. */
cap_t cap_for_object(kobject_t *obj);

/* Places `cap` in the empty slot `dst`, derived from `parent` (or NULL). */
void cte_insert(cte_t *dst, cap_t cap, cte_t *parent);

/* Moves the capability in `src` to the empty slot `dst`. */
void cte_move(cte_t *dst, cte_t *src);

/* Empties `slot`; its object is destroyed when no other slot names it.
 * Capabilities derived from `slot` become derived from its parent. */
void cte_delete(cte_t *slot);

/* Empties `slot` while its object is being destroyed (no reparenting:
 * every slot naming the object goes). */
void cte_clear(cte_t *slot);

/* Empties `slot`, which holds a reply capability whose caller has been
 * answered already: unlike cte_clear, nobody is woken with an error. The
 * fast path's ReplyRecv uses it. */
void cte_clear_answered_reply(cte_t *slot);

/* Deletes every capability derived, directly or not, from `slot`. */
void cte_revoke(cte_t *slot);

/* True if `slot` was derived (directly or not) from `ancestor`. */
bool cte_is_derived_from(const cte_t *slot, const cte_t *ancestor);

/* Unmaps a mapped Frame capability (implemented by the VSpace object). */
void vspace_unmap_cap(cte_t *slot);

/* A reply capability to the thread `caller` is gone (kernel/ipc.c). */
void reply_cap_deleted(kobject_t *caller);

/* Tells the VSpace that the first capability of its mapping list moved. */
void vspace_mapping_moved(cte_t *slot);

#endif
