/*
 * Symbol lookup for backtraces. The first link has no table (the weak
 * references below stay undefined, at address 0); tools/gen_ksyms.sh turns
 * its function symbols into the table of the second link, placed after
 * everything else in .rodata so no code moves between the two links.
 */
#include "kernel/ksyms.h"

typedef struct {
    uint64_t addr;
    uint64_t name; /* offset into ksyms_names */
} ksym_t;

extern const uint64_t ksyms_count __attribute__((weak));
extern const ksym_t ksyms_table[] __attribute__((weak));
extern const char ksyms_names[] __attribute__((weak));

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
    const char *best = NULL;
    if (&ksyms_count == NULL) {
        return NULL;
    }
    /* The table is sorted by address: keep the last symbol not above addr. */
    for (uint64_t i = 0; i < ksyms_count && ksyms_table[i].addr <= addr; i++) {
        best = &ksyms_names[ksyms_table[i].name];
        *offset = addr - ksyms_table[i].addr;
    }
    return best;
}
