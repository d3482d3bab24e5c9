/* A process's stack, mapped on demand (stack.h). */
#include "stack.h"

#include <errno.h>

#include "capsule/server.h"
#include "page_cnode.h"
#include "uapi/objects.h"
#include "uapi/vm.h"

#define STACK_MAX_PAGES (STACK_LIMIT / PAGE_SIZE)
#define STACK_CNODE_MIN_BITS 2 /* an idle process touches a few pages */

/* The slot of the stack CNode for the page at `page`: its rank below the
 * top. */
static uint64_t slot_of(uint64_t page)
{
    return (STACK_TOP - page) / PAGE_SIZE - 1;
}

/* Makes sure the stack CNode has slot `slot`: created, or doubled. */
static int make_room(task_t *t, uint64_t slot)
{
    return page_cnode_make_room(t->pool, &t->stack_cnode, &t->stack_bits, STACK_CNODE_MIN_BITS,
                                slot);
}

static int map_page(task_t *t, uint64_t page, const void *data, size_t len, size_t offset)
{
    uint64_t slot = slot_of(page);
    int err = make_room(t, slot);
    if (err == 0) {
        err =
            task_map_new_at(t, t->stack_cnode, slot, page, MAP_READ | MAP_WRITE, data, len, offset);
    }
    return err;
}

int stack_create(task_t *t, const void *top, size_t len)
{
    if (len > STACK_LIMIT - PAGE_SIZE) {
        return -E2BIG;
    }
    uint64_t content = STACK_TOP - len;
    uint64_t base = (content & ~(PAGE_SIZE - 1)) - PAGE_SIZE; /* one page to grow into */
    for (uint64_t page = base; page < STACK_TOP; page += PAGE_SIZE) {
        uint64_t from = content > page ? content : page;
        size_t n = from < page + PAGE_SIZE ? page + PAGE_SIZE - from : 0;
        const uint8_t *src = n > 0 ? (const uint8_t *)top + (from - content) : NULL;
        int err = map_page(t, page, src, n, n > 0 ? from - page : 0);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

bool stack_fault(task_t *t, uint64_t addr)
{
    if (addr >= STACK_TOP || addr < STACK_TOP - STACK_LIMIT) {
        return false;
    }
    return map_page(t, addr & ~(PAGE_SIZE - 1), NULL, 0, 0) == 0;
}

int stack_clone(task_t *child, const task_t *parent)
{
    return page_cnode_clone(child, &child->stack_cnode, &child->stack_bits, STACK_CNODE_MIN_BITS,
                            parent->stack_cnode, parent->stack_bits);
}
