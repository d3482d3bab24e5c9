/*
 * brk(2): proc-server keeps the program break and maps the heap's pages on
 * first touch (proc-server/heap.h). The runtime knows the heap's bounds too:
 * brk(0) is answered without a round trip.
 */
#ifndef POSIX_BRK_H
#define POSIX_BRK_H

#include <stdint.h>

/* The heap starts empty at `start`, the first page above the program's
 * image (proc-server finds the same page). */
void brk_init(uint64_t start);

/* brk(2): the break after moving it to `addr`, or the break unchanged. */
int64_t brk_call(uint64_t addr);

#endif
