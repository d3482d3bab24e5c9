/*
 * Capability slots: insertion, move, delete and revoke. A slot is linked into
 * the list of its object's slots; derivation is a parent pointer, and since a
 * derived capability always names the same object, the object's slot list is
 * where its derivatives are found.
 */
#include "kernel/cap.h"

#include "kernel/panic.h"
#include "kernel/section.h"
#include "kernel/string.h"

cap_t cap_for_object(kobject_t *obj)
{
    return (cap_t){.obj = obj, .type = obj->type, .rights = RIGHTS_ALL};
}

FASTPATH_TEXT static void link_slot(cte_t *slot)
{
    kobject_t *obj = slot->cap.obj;
    slot->obj_prev = NULL;
    slot->obj_next = obj->slots;
    if (obj->slots != NULL) {
        obj->slots->obj_prev = slot;
    }
    obj->slots = slot;
}

FASTPATH_TEXT static void unlink_slot(cte_t *slot)
{
    kobject_t *obj = slot->cap.obj;
    if (slot->obj_prev != NULL) {
        slot->obj_prev->obj_next = slot->obj_next;
    } else {
        obj->slots = slot->obj_next;
    }
    if (slot->obj_next != NULL) {
        slot->obj_next->obj_prev = slot->obj_prev;
    }
}

/* On the fast path: a Call leaves the reply capability with it. */
FASTPATH_TEXT void cte_insert(cte_t *dst, cap_t cap, cte_t *parent)
{
    ASSERT(cte_is_empty(dst) && cap.obj != NULL);
    /* an assignment, not memset: no call out of the fast path's page */
    *dst = (cte_t){.cap = cap, .parent = parent};
    link_slot(dst);
}

/* Points every slot whose parent is `from` at `to`. */
static void reparent_children(cte_t *from, cte_t *to)
{
    for (cte_t *s = from->cap.obj->slots; s != NULL; s = s->obj_next) {
        if (s->parent == from) {
            s->parent = to;
        }
    }
}

void cte_move(cte_t *dst, cte_t *src)
{
    ASSERT(cte_is_empty(dst) && !cte_is_empty(src) && dst != src);
    *dst = *src;
    /* fix the neighbours' pointers to the slot's new address */
    if (dst->obj_prev != NULL) {
        dst->obj_prev->obj_next = dst;
    } else {
        dst->cap.obj->slots = dst;
    }
    if (dst->obj_next != NULL) {
        dst->obj_next->obj_prev = dst;
    }
    if (dst->map.prev != NULL) {
        dst->map.prev->map.next = dst;
    }
    if (dst->map.next != NULL) {
        dst->map.next->map.prev = dst;
    }
    if (dst->map.vspace != NULL && dst->map.prev == NULL) {
        vspace_mapping_moved(dst);
    }
    reparent_children(src, dst);
    memset(src, 0, sizeof(*src));
}

/* Takes `slot` off its object's list and empties it; an assignment, not
 * memset, so the fast path makes no call out of its page. */
FASTPATH_TEXT static void unlink_and_zero(cte_t *slot)
{
    unlink_slot(slot);
    *slot = (cte_t){0};
}

void cte_clear(cte_t *slot)
{
    if (cte_is_empty(slot)) {
        return;
    }
    if (slot->map.vspace != NULL) {
        vspace_unmap_cap(slot);
    }
    kobject_t *obj = slot->cap.obj;
    bool reply = slot->cap.type == OBJ_REPLY;
    unlink_and_zero(slot);
    if (reply) {
        reply_cap_deleted(obj);
    }
}

FASTPATH_TEXT void cte_clear_answered_reply(cte_t *slot)
{
    ASSERT(slot->cap.type == OBJ_REPLY && slot->map.vspace == NULL);
    unlink_and_zero(slot);
}

void cte_delete(cte_t *slot)
{
    if (cte_is_empty(slot)) {
        return;
    }
    kobject_t *obj = slot->cap.obj;
    reparent_children(slot, slot->parent);
    cte_clear(slot);
    object_release(obj);
}

bool cte_is_derived_from(const cte_t *slot, const cte_t *ancestor)
{
    for (const cte_t *p = slot->parent; p != NULL; p = p->parent) {
        if (p == ancestor) {
            return true;
        }
    }
    return false;
}

void cte_revoke(cte_t *slot)
{
    if (cte_is_empty(slot)) {
        return;
    }
    /* Restart the scan after each delete: deleting reparents and unlinks. */
    for (;;) {
        cte_t *victim = NULL;
        for (cte_t *s = slot->cap.obj->slots; s != NULL; s = s->obj_next) {
            if (s != slot && cte_is_derived_from(s, slot)) {
                victim = s;
                break;
            }
        }
        if (victim == NULL) {
            return;
        }
        cte_delete(victim);
    }
}
