/* Debug: the capability to the kernel log and to power off the machine. */
#ifndef CAPSULE_OBJECT_DEBUG_H
#define CAPSULE_OBJECT_DEBUG_H

#include "kernel/object.h"

typedef struct debug {
    kobject_t obj;
} debug_t;

size_t debug_size(unsigned size_bits);
bool debug_finalize(kobject_t *obj);

#endif
