/* The free slots of the calling thread's CNode (the range its boot-info
 * page names). */
#ifndef CAPSULE_SLOTS_H
#define CAPSULE_SLOTS_H

#include "capsule/kernel.h"
#include "uapi/bootinfo.h"

/* A free slot, or CAP_NULL when none is left. */
cptr_t slot_alloc(void);

/* Returns a slot to the allocator; the slot must be empty. */
void slot_free(cptr_t slot);

#endif
