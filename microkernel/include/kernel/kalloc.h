/*
 * Kernel object memory: small sizes from slabs carved out of frames, larger
 * ones as whole contiguous frames. Memory comes back zeroed.
 */
#ifndef CAPSULE_KERNEL_KALLOC_H
#define CAPSULE_KERNEL_KALLOC_H

#include "kernel/types.h"

#define KALLOC_SLAB_MAX 2048

/* Bytes an allocation of `size` really takes (what a pool is charged). */
size_t kalloc_charge(size_t size);

/* Zeroed memory of `size` bytes, 16-byte aligned (page aligned above
 * KALLOC_SLAB_MAX), or NULL when the machine is out of frames. */
void *kalloc(size_t size);

/* Frees memory from kalloc; `size` must be the size it was allocated with. */
void kfree(void *p, size_t size);

#endif
