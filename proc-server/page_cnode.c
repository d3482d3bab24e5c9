#include "page_cnode.h"

#include <errno.h>

#include "task.h"

int page_cnode_make_room(cptr_t pool, cptr_t *cnode, unsigned *bits, unsigned min_bits,
                         uint64_t slot)
{
    if (*cnode == CAP_NULL) {
        cptr_t made = slot_alloc();
        if (made == CAP_NULL) {
            return -ENOMEM;
        }
        kerr_t err = pool_create(pool, OBJ_CNODE, min_bits, CAP_INIT_CNODE, made);
        if (err != KERR_OK) {
            slot_free(made);
            return errno_from_kerr(err);
        }
        *cnode = made;
        *bits = min_bits;
    }
    unsigned want = *bits;
    while (slot >= (1ull << want)) {
        want++;
    }
    if (want != *bits) {
        kerr_t err = cnode_grow(*cnode, want);
        if (err != KERR_OK) {
            return errno_from_kerr(err);
        }
        *bits = want;
    }
    return 0;
}
