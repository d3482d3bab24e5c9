/*
 * Where a process's stack lives and how far it may grow. proc-server maps the
 * stack on demand (proc-server/stack.h): a page below those touched so far is
 * mapped by the fault the first touch takes. A server copying into a lent
 * buffer (bulk copy) takes no fault, it fails with EFAULT, so whoever lends a
 * buffer that may lie in the stack touches its pages first.
 */
#ifndef CAPSULE_PROTOCOL_POSIX_STACK_H
#define CAPSULE_PROTOCOL_POSIX_STACK_H

#include <stdint.h>

#define POSIX_STACK_TOP 0x7ffe00000000ull
#define POSIX_STACK_LIMIT (8ull << 20) /* RLIMIT_STACK, as Linux's default */

/* Touches every page of [addr, addr + len) that lies in the stack's range,
 * so that each is mapped before a server copies to or from it. */
static inline void posix_stack_touch(uint64_t addr, uint64_t len)
{
    const uint64_t lo = POSIX_STACK_TOP - POSIX_STACK_LIMIT;
    uint64_t end = addr + len;
    if (len == 0 || end < addr || addr >= POSIX_STACK_TOP || end <= lo) {
        return;
    }
    uint64_t from = addr > lo ? addr : lo, to = end < POSIX_STACK_TOP ? end : POSIX_STACK_TOP;
    for (uint64_t page = from & ~0xfffull; page < to; page += 0x1000) {
        (void)*(volatile const uint8_t *)page;
    }
}

#endif
