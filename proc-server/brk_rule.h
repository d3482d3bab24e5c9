/*
 * Where brk(2) may move the program break (no IPC, no kernel objects:
 * unit-tested on the host).
 */
#ifndef PROC_SERVER_BRK_RULE_H
#define PROC_SERVER_BRK_RULE_H

#include <stdint.h>

/* The heap's largest size: one slot of its CNode a page, at the kernel's
 * largest CNode (2^16 slots). malloc goes on with mmap beyond it. */
#define BRK_MAX_BYTES (1ull << (16 + 12))

/*
 * The break after brk(addr) for a heap starting at the page `start` whose
 * break is `now`: `addr` below the start (brk(0) asks for the break) leaves
 * it; so does a heap larger than BRK_MAX_BYTES, or growth by more than
 * `room` bytes, the memory the process's pools could still pay for (pages
 * are made on first touch, so the check is what keeps an allocation the
 * container cannot hold from succeeding: Linux's heuristic overcommit
 * refuses such a request too). A lower break is always allowed.
 */
uint64_t brk_rule(uint64_t start, uint64_t now, uint64_t addr, uint64_t room);

/* The page above the last byte below `brk`: pages [start, brk_pages_end)
 * are the heap's. */
uint64_t brk_pages_end(uint64_t brk);

#endif
