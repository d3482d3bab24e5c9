/*
 * The server's free CNode slots: a bitmap over the range the boot-info page
 * names, searched from where the last allocation ended.
 */
#include "capsule/slots.h"
#include "runtime.h"

#define MAX_SLOTS (1u << CNODE_MAX_SIZE_BITS)

static uint64_t used[MAX_SLOTS / 64];
static uint64_t first_slot, slot_count, next_hint;

void slots_init(const bootinfo_t *bi)
{
    first_slot = bi->free_slots.first;
    slot_count = bi->free_slots.count;
    if (first_slot + slot_count > MAX_SLOTS) {
        slot_count = first_slot < MAX_SLOTS ? MAX_SLOTS - first_slot : 0;
    }
}

static bool is_used(uint64_t i)
{
    return (used[i / 64] >> (i % 64)) & 1;
}

cptr_t slot_alloc(void)
{
    for (uint64_t n = 0; n < slot_count; n++) {
        uint64_t i = (next_hint + n) % slot_count;
        if (!is_used(i)) {
            used[i / 64] |= 1ull << (i % 64);
            next_hint = i + 1;
            return first_slot + i;
        }
    }
    return CAP_NULL;
}

void slot_free(cptr_t slot)
{
    if (slot >= first_slot && slot - first_slot < slot_count) {
        uint64_t i = slot - first_slot;
        used[i / 64] &= ~(1ull << (i % 64));
    }
}
