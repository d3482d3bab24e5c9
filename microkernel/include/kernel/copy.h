/*
 * Copies between two user address spaces by software page-table walks
 * through the direct map: the kernel never dereferences a user address, and
 * a missing page is an error, never a kernel fault.
 */
#ifndef CAPSULE_KERNEL_COPY_H
#define CAPSULE_KERNEL_COPY_H

#include "object/vspace.h"

typedef struct {
    size_t done;      /* bytes copied before the copy stopped */
    bool dst_fault;   /* the destination page was missing or read-only */
    vaddr_t fault_at; /* the address that stopped it */
} copy_result_t;

/* Copies `len` bytes from `src` in `src_vs` to `dst` in `dst_vs`, page by
 * page (memmove semantics within one address space). Ranges must already be
 * checked to lie below the user limit. */
kerr_t copy_user(vspace_t *dst_vs, vaddr_t dst, vspace_t *src_vs, vaddr_t src, size_t len,
                 copy_result_t *res);

#endif
