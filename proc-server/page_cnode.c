#include "page_cnode.h"

#include <errno.h>

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

int page_cnode_clone(task_t *child, cptr_t *cnode, unsigned *bits, unsigned min_bits, cptr_t from,
                     unsigned from_bits)
{
    if (from == CAP_NULL) {
        return 0;
    }
    for (uint64_t slot = 0; slot < (1ull << from_bits); slot++) {
        cnode_identity_t id;
        kerr_t kerr = cnode_identify_full(from, slot, &id);
        if (kerr != KERR_OK) {
            return errno_from_kerr(kerr);
        }
        if (id.type != OBJ_FRAME) {
            continue;
        }
        int err = page_cnode_make_room(child->pool, cnode, bits, min_bits, slot);
        if (err == 0) {
            err = task_clone_frame_to(child, *cnode, slot, from, slot, &id, false);
        }
        if (err != 0) {
            return err;
        }
    }
    return 0;
}
