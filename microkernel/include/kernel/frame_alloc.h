/*
 * The physical frame allocator: one bit per 4 KiB frame below the highest
 * usable address. Frames come back zeroed.
 */
#ifndef CAPSULE_KERNEL_FRAME_ALLOC_H
#define CAPSULE_KERNEL_FRAME_ALLOC_H

#include "kernel/types.h"

typedef struct {
    paddr_t base;
    uint64_t length;
} phys_range_t;

/*
 * Takes the usable RAM ranges and the ranges that must never be handed out
 * (kernel image, modules, boot structures; the first MiB is always excluded).
 * Places its bitmap in usable, unreserved memory. Returns NULL on success or
 * a message saying why it cannot start.
 */
const char *frame_alloc_init(const phys_range_t *usable, size_t usable_count,
                             const phys_range_t *reserved, size_t reserved_count);

/* Returns `count` physically contiguous zeroed frames, or 0 when none are free. */
paddr_t frame_alloc(size_t count);

/* Returns frames taken by frame_alloc. */
void frame_free(paddr_t base, size_t count);

size_t frame_alloc_free_count(void);
size_t frame_alloc_total_count(void);

#endif
