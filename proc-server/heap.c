/* A process's heap, mapped on demand (heap.h). */
#include "heap.h"

#include <errno.h>

#include "capsule/server.h"
#include "page_cnode.h"
#include "uapi/objects.h"
#include "uapi/vm.h"

#define HEAP_CNODE_MIN_BITS 3 /* an idle process touches a few pages */

void heap_init(task_t *t, uint64_t start)
{
    t->heap_start = start;
    t->heap_break = start;
}

static uint64_t slot_of(const task_t *t, uint64_t page)
{
    return (page - t->heap_start) / PAGE_SIZE;
}

/* Makes sure the heap CNode has slot `slot`: created, or doubled. */
static int make_room(task_t *t, uint64_t slot)
{
    return page_cnode_make_room(t->pool, &t->heap_cnode, &t->heap_bits, HEAP_CNODE_MIN_BITS, slot);
}

/* Frees the pages from `from` up to `to` (page addresses) that are mapped:
 * deleting a frame's capability unmaps it. */
static void free_pages(task_t *t, uint64_t from, uint64_t to)
{
    if (t->heap_cnode == CAP_NULL) {
        return;
    }
    uint64_t end = slot_of(t, to), size = 1ull << t->heap_bits;
    for (uint64_t slot = slot_of(t, from); slot < end && slot < size; slot++) {
        cnode_delete(t->heap_cnode, slot); /* an empty slot: nothing */
    }
}

uint64_t heap_brk(task_t *t, uint64_t addr, uint64_t room)
{
    uint64_t now = t->heap_break;
    uint64_t next = brk_rule(t->heap_start, now, addr, room);
    if (brk_pages_end(next) < brk_pages_end(now)) {
        free_pages(t, brk_pages_end(next), brk_pages_end(now));
    }
    t->heap_break = next;
    return next;
}

bool heap_contains(const task_t *t, uint64_t addr)
{
    return addr >= t->heap_start && addr < brk_pages_end(t->heap_break);
}

bool heap_fault(task_t *t, uint64_t addr)
{
    if (!heap_contains(t, addr)) {
        return false;
    }
    uint64_t page = addr & ~(PAGE_SIZE - 1);
    uint64_t slot = slot_of(t, page);
    return make_room(t, slot) == 0 &&
           task_map_new_at(t, t->heap_cnode, slot, page, MAP_READ | MAP_WRITE, NULL, 0, 0) == 0;
}

int heap_clone(task_t *child, const task_t *parent)
{
    child->heap_start = parent->heap_start;
    child->heap_break = parent->heap_break;
    return page_cnode_clone(child, &child->heap_cnode, &child->heap_bits, HEAP_CNODE_MIN_BITS,
                            parent->heap_cnode, parent->heap_bits);
}
