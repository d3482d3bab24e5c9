/*
 * The server's free CNode slots: a bitmap over the range the boot-info page
 * names, searched from where the last allocation ended. When every slot is
 * taken the CNode grows (CNode_Grow doubles it, every capability keeping its
 * index), so a CNode can start small and cost what it holds: the new upper
 * half is free, the slots below the range (CAP_INIT_*) and above it (the
 * program's own, CAP_PROGRAM_SLOTS) stay out of the allocator.
 */
#include "capsule/slots.h"
#include "runtime.h"

#define MAX_SLOTS (1u << CNODE_MAX_SIZE_BITS)

static uint64_t used[MAX_SLOTS / 64];
static uint64_t first_slot, slot_count, next_hint;
static uint64_t initial_size, size_bits; /* the CNode's size at start, and now */

void slots_init(const bootinfo_t *bi)
{
    first_slot = bi->free_slots.first;
    slot_count = bi->free_slots.count;
    size_bits = bi->cnode_size_bits <= CNODE_MAX_SIZE_BITS ? bi->cnode_size_bits : 0;
    initial_size = 1ull << size_bits;
    if (first_slot > initial_size) {
        first_slot = initial_size;
    }
    if (slot_count > initial_size - first_slot) {
        slot_count = initial_size - first_slot;
    }
}

/* Whether `slot` is the allocator's to hand out: the boot-time range, or
 * what growing added. */
static bool allocatable(uint64_t slot)
{
    return (slot >= first_slot && slot - first_slot < slot_count) ||
           (slot >= initial_size && slot < (1ull << size_bits));
}

static bool is_used(uint64_t i)
{
    return (used[i / 64] >> (i % 64)) & 1;
}

static cptr_t take_free(void)
{
    uint64_t size = 1ull << size_bits;
    for (uint64_t n = 0; n < size; n++) {
        uint64_t i = (next_hint + n) % size;
        if (allocatable(i) && !is_used(i)) {
            used[i / 64] |= 1ull << (i % 64);
            next_hint = i + 1;
            return i;
        }
    }
    return CAP_NULL;
}

/* Doubles the CNode (charged to our pool); false at the largest size or
 * when the pool cannot pay. */
static bool grow(void)
{
    if (size_bits >= CNODE_MAX_SIZE_BITS || cnode_grow(CAP_INIT_CNODE, size_bits + 1) != KERR_OK) {
        return false;
    }
    next_hint = 1ull << size_bits; /* the new half is free */
    size_bits++;
    return true;
}

cptr_t slot_alloc(void)
{
    cptr_t slot = take_free();
    if (slot == CAP_NULL && grow()) {
        slot = take_free();
    }
    return slot;
}

void slot_free(cptr_t slot)
{
    if (allocatable(slot)) {
        used[slot / 64] &= ~(1ull << (slot % 64));
    }
}
