/*
 * A process's heap: the program break of brk(2), mapped on demand.
 *
 * The heap starts at the first page above the program's image. PROC_BRK
 * moves the break; no page is made then. A page fault on a page below the
 * break that is not mapped yet maps a fresh zeroed page, charged to the
 * process's pool, as the stack's pages are (stack.h): a process pays for the
 * heap pages it touches, not for what its allocator reserved. glibc's
 * malloc asks for its arena with sbrk and, without a break that moves, fell
 * back to a 1 MiB mmap that the runtime maps eagerly (an idle BusyBox paid
 * 256 frames for it).
 *
 * The frames sit in a CNode of the process's pool that only proc-server
 * names (slot i holding the i-th page above the start), grown by doubling
 * as the heap deepens; the process cannot unmap them. Lowering the break
 * frees the pages above it. When the pool cannot pay for a touched page,
 * the process is killed by SIGKILL (Linux's out-of-memory killer), inside
 * its container only.
 */
#ifndef PROC_SERVER_HEAP_H
#define PROC_SERVER_HEAP_H

#include <stdbool.h>
#include <stdint.h>

#include "brk_rule.h"
#include "task.h"

/* The heap of a new image: empty, starting at the page `start`. */
void heap_init(task_t *t, uint64_t start);

/* brk(2): moves the break to `addr` when brk_rule allows it (`room`: the
 * bytes the process's pools could still pay for) and frees the pages a
 * lower break leaves out. Returns the break, moved or not. */
uint64_t heap_brk(task_t *t, uint64_t addr, uint64_t room);

/* Whether `addr` lies below the break, in the heap. */
bool heap_contains(const task_t *t, uint64_t addr);

/* A page fault at `addr` on a page not present: maps the page if it lies
 * in the heap. False if it does not, or memory ran out. */
bool heap_fault(task_t *t, uint64_t addr);

/* Gives `child` the parent's break and a copy of every heap page `parent`
 * has mapped. */
int heap_clone(task_t *child, const task_t *parent);

#endif
