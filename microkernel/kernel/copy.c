/* Bulk copy between address spaces (see copy.h). */
#include "kernel/copy.h"

#include "arch/paging.h"
#include "kernel/memory.h"
#include "kernel/string.h"

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

kerr_t copy_user(vspace_t *dst_vs, vaddr_t dst, vspace_t *src_vs, vaddr_t src, size_t len,
                 copy_result_t *res)
{
    *res = (copy_result_t){0};
    /* Overlapping ranges in one space: copy back to front, as memmove does. */
    bool backwards = dst_vs == src_vs && dst > src && dst < src + len;
    while (res->done < len) {
        size_t left = len - res->done;
        vaddr_t s = backwards ? src + left - 1 : src + res->done;
        vaddr_t d = backwards ? dst + left - 1 : dst + res->done;
        size_t n = backwards ? min3(left, (s & (FRAME_SIZE - 1)) + 1, (d & (FRAME_SIZE - 1)) + 1)
                             : min3(left, FRAME_SIZE - (s & (FRAME_SIZE - 1)),
                                    FRAME_SIZE - (d & (FRAME_SIZE - 1)));
        vaddr_t s_first = backwards ? s + 1 - n : s, d_first = backwards ? d + 1 - n : d;
        paddr_t sp = pml4_translate(src_vs->pml4, s_first, PTE_USER);
        paddr_t dp = pml4_translate(dst_vs->pml4, d_first, PTE_USER | PTE_WRITE);
        if (sp == 0 || dp == 0) {
            res->dst_fault = dp == 0;
            res->fault_at = dp == 0 ? d_first : s_first;
            return KERR_CALLER_FAULT;
        }
        memmove(phys_to_virt(dp), phys_to_virt(sp), n);
        res->done += n;
    }
    return KERR_OK;
}
