/*
 * mremap(2)'s argument checks, pure so that they are unit-tested on the host
 * (tests/unit/test_remap_args.c): what Linux refuses with EINVAL before it
 * looks at any mapping, and the page-rounded lengths it works with.
 */
#ifndef CAPSULE_REMAP_ARGS_H
#define CAPSULE_REMAP_ARGS_H

#include <stdint.h>

/* Linux's mremap flags (uapi linux/mman.h). */
#define REMAP_MAYMOVE 1u
#define REMAP_FIXED 2u
#define REMAP_DONTUNMAP 4u

typedef struct {
    uint64_t old_len; /* rounded up to whole pages */
    uint64_t new_len;
} remap_lengths_t;

/*
 * 0, with the rounded lengths in *out, or -EINVAL as Linux: unknown flags,
 * FIXED or DONTUNMAP without MAYMOVE, DONTUNMAP with lengths that differ, an
 * unaligned addr, new_len 0 after rounding (a length near 2^64 wraps), and
 * under FIXED an unaligned new_addr, a new range past `limit` (the end of
 * user space) or one overlapping the old. Without FIXED a new_len past
 * `limit` is -ENOMEM. old_len 0 is left to the caller: Linux says EFAULT
 * when nothing is mapped at addr and EINVAL for a private mapping.
 */
int64_t remap_check_args(uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t flags,
                         uint64_t new_addr, uint64_t limit, remap_lengths_t *out);

#endif
