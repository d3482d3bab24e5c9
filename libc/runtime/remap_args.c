/* mremap(2)'s argument checks (capsule/remap_args.h), in Linux's order. */
#include "capsule/remap_args.h"

#include <errno.h>

#define REMAP_PAGE 4096ull

static uint64_t round_up(uint64_t len)
{
    return (len + REMAP_PAGE - 1) & ~(REMAP_PAGE - 1);
}

int64_t remap_check_args(uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t flags,
                         uint64_t new_addr, uint64_t limit, remap_lengths_t *out)
{
    if (flags & ~(uint64_t)(REMAP_MAYMOVE | REMAP_FIXED | REMAP_DONTUNMAP)) {
        return -EINVAL;
    }
    if ((flags & (REMAP_FIXED | REMAP_DONTUNMAP)) && !(flags & REMAP_MAYMOVE)) {
        return -EINVAL;
    }
    if ((flags & REMAP_DONTUNMAP) && old_len != new_len) {
        return -EINVAL;
    }
    if (addr % REMAP_PAGE != 0) {
        return -EINVAL;
    }
    /* rounded as Linux's PAGE_ALIGN: a length near 2^64 wraps to 0 */
    uint64_t old_pages = round_up(old_len), new_pages = round_up(new_len);
    if (new_pages == 0) {
        return -EINVAL;
    }
    if (flags & REMAP_FIXED) {
        if (new_addr % REMAP_PAGE != 0 || new_pages > limit || new_addr > limit - new_pages) {
            return -EINVAL;
        }
        /* the two ranges may not overlap */
        if (addr + old_pages > new_addr && new_addr + new_pages > addr) {
            return -EINVAL;
        }
    } else if (new_pages > limit) {
        return -ENOMEM; /* no room for it anywhere */
    }
    out->old_len = old_pages;
    out->new_len = new_pages;
    return 0;
}
