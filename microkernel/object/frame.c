/* Frames: 4 KiB pages of memory, zeroed when created. */
#include "object/frame.h"

#include "kernel/frame_alloc.h"
#include "kernel/invocation.h"

size_t frame_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(frame_t);
}

kerr_t frame_init(kobject_t *obj, unsigned size_bits)
{
    (void)size_bits;
    paddr_t pa = frame_alloc(1);
    if (pa == 0) {
        return KERR_NO_MEMORY;
    }
    ((frame_t *)obj)->paddr = pa;
    return KERR_OK;
}

bool frame_finalize(kobject_t *obj)
{
    frame_t *frame = (frame_t *)obj;
    /* Boot-module pages were never the allocator's; they stay reserved. */
    if (!frame->boot_module) {
        frame_free(frame->paddr, 1);
    }
    return true;
}

kerr_t frame_invoke(invocation_t *inv)
{
    return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
}
