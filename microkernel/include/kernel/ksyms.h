/* The kernel's own symbol table, embedded by a second link for backtraces. */
#ifndef CAPSULE_KERNEL_KSYMS_H
#define CAPSULE_KERNEL_KSYMS_H

#include "kernel/types.h"

/* The function containing `addr` and the offset into it; NULL if unknown. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

#endif
