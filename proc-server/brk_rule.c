#include "brk_rule.h"

#define PAGE_BYTES 4096ull

uint64_t brk_pages_end(uint64_t brk)
{
    return (brk + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
}

uint64_t brk_rule(uint64_t start, uint64_t now, uint64_t addr, uint64_t room)
{
    if (addr < start || addr - start > BRK_MAX_BYTES) {
        return now;
    }
    uint64_t have = brk_pages_end(now), want = brk_pages_end(addr);
    if (want > have && want - have > room) {
        return now;
    }
    return addr;
}
