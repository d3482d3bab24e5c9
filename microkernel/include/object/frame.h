/* Frame: one 4 KiB page of memory that can be mapped into VSpaces. */
#ifndef CAPSULE_OBJECT_FRAME_H
#define CAPSULE_OBJECT_FRAME_H

#include "kernel/object.h"

typedef struct frame {
    kobject_t obj;
    paddr_t paddr;
    bool boot_module; /* memory of a boot module: not the frame allocator's */
} frame_t;

size_t frame_size(unsigned size_bits);
kerr_t frame_init(kobject_t *obj, unsigned size_bits);
bool frame_finalize(kobject_t *obj);

#endif
