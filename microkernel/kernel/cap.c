/*
 * Capability slots: insertion, move, delete and revoke. A slot is linked into
 * the list of its object's slots; derivation is a parent pointer, and since a
 * derived capability always names the same object, the object's slot list is
 * where its derivatives are found.
 *
 * The list is kept in derivation order: a derived slot is linked right
 * behind its parent, so every slot's descendants follow it as one run. Moving
 * or deleting a slot then only visits that run (nothing, for a copy nobody
 * derived from) instead of every slot naming the object: a frame shared by
 * every process (the POSIX runtime's, a shared executable's) has one slot per
 * process, and each process's creation moves or deletes such slots by the
 * hundred.
 */
#include "kernel/cap.h"

#include "kernel/panic.h"
#include "kernel/section.h"
#include "kernel/string.h"

cap_t cap_for_object(kobject_t *obj)
{
    return (cap_t){.obj = obj, .type = obj->type, .rights = RIGHTS_ALL};
}

/* Links `slot` right behind its parent (the head of the list for a slot
 * derived from none), which keeps every slot's descendants just after it. */
FASTPATH_TEXT static void link_slot(cte_t *slot)
{
    kobject_t *obj = slot->cap.obj;
    cte_t *before = slot->parent;
    slot->obj_prev = before;
    slot->obj_next = before != NULL ? before->obj_next : obj->slots;
    if (slot->obj_next != NULL) {
        slot->obj_next->obj_prev = slot;
    }
    if (before != NULL) {
        before->obj_next = slot;
    } else {
        obj->slots = slot;
    }
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
    ASSERT(cte_is_empty(dst) && cap.obj != NULL && (parent == NULL || parent->cap.obj == cap.obj));
    /* an assignment, not memset: no call out of the fast path's page */
    *dst = (cte_t){.cap = cap, .parent = parent};
    link_slot(dst);
}

/* The first slot after `slot`'s descendants in its object's list (NULL at
 * the end): they are the run that follows it. */
static cte_t *after_descendants(const cte_t *slot)
{
    cte_t *s = slot->obj_next;
    while (s != NULL && cte_is_derived_from(s, slot)) {
        s = s->obj_next;
    }
    return s;
}

/* Points every slot whose parent is `from` at `to`. The run is found before
 * any parent changes: a grandchild is recognised through its parent. */
static void reparent_children(cte_t *from, cte_t *to)
{
    cte_t *end = after_descendants(from);
    for (cte_t *s = from->obj_next; s != end; s = s->obj_next) {
        if (s->parent == from) {
            s->parent = to;
        }
    }
}

void cte_move(cte_t *dst, cte_t *src)
{
    ASSERT(cte_is_empty(dst) && !cte_is_empty(src) && dst != src);
    /* while src is still linked: its children then point at dst's address */
    reparent_children(src, dst);
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
    /* its children stay where they are, behind their new parent's other
     * descendants: the list stays in derivation order */
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
    /* its descendants are the run right behind it; deleting one moves its
     * own children up to its parent, still in the run */
    while (slot->obj_next != NULL && cte_is_derived_from(slot->obj_next, slot)) {
        cte_delete(slot->obj_next);
    }
}
