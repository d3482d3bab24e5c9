/* VSpace: a PML4 and its user-half page tables. */
#ifndef CAPSULE_OBJECT_VSPACE_H
#define CAPSULE_OBJECT_VSPACE_H

#include "kernel/object.h"

typedef struct vspace {
    kobject_t obj;
    paddr_t pml4;
    size_t table_pages; /* page tables charged to the pool, PML4 excluded */
    cte_t *mapped;      /* Frame capabilities mapped here, via cte_t.map */
} vspace_t;

/* A VSpace owns its PML4 and the three tables that map the info page. */
#define VSPACE_DATA_PAGES 4

size_t vspace_size(unsigned size_bits);
kerr_t vspace_init(kobject_t *obj, unsigned size_bits);
bool vspace_finalize(kobject_t *obj);

/* Maps the Frame capability `frame_cap` at `vaddr` with MAP_* `rights`,
 * after every check VSpace_Map makes; the error names nothing (the caller
 * knows its arguments). Used by the decoder and by the boot code. */
kerr_t vspace_map_frame(vspace_t *vs, cte_t *frame_cap, vaddr_t vaddr, unsigned rights,
                        unsigned *bad_arg);

#endif
