/* The pages of an image's .bss, made on first touch (zero_pages.h). */
#include "zero_pages.h"

#include "capsule/server.h"
#include "uapi/vm.h"

bool zero_pages_reserve(task_t *t, uint64_t vaddr, uint64_t pages, unsigned rights)
{
    if (!t->zero_on_demand || t->zero_count >= TASK_ZERO_RANGES || pages == 0) {
        return false;
    }
    uint64_t first;
    if (task_reserve_slots(t, pages, &first) != 0) {
        return false;
    }
    t->zero[t->zero_count++] = (zero_range_t){vaddr, pages, first, rights};
    return true;
}

bool zero_pages_fault(task_t *t, uint64_t addr)
{
    uint64_t page = addr & ~(PAGE_SIZE - 1);
    for (unsigned i = 0; i < t->zero_count; i++) {
        const zero_range_t *r = &t->zero[i];
        if (page >= r->vaddr && (page - r->vaddr) / PAGE_SIZE < r->pages) {
            uint64_t slot = r->first_slot + (page - r->vaddr) / PAGE_SIZE;
            /* an occupied slot refuses the move: nothing stays mapped */
            return task_map_new_at(t, t->cnode, slot, page, r->rights, NULL, 0, 0) == 0;
        }
    }
    return false;
}

void zero_pages_clone(task_t *child, const task_t *parent)
{
    child->zero_on_demand = parent->zero_on_demand;
    child->zero_count = parent->zero_count;
    for (unsigned i = 0; i < parent->zero_count; i++) {
        child->zero[i] = parent->zero[i];
    }
}
