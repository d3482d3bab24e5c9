/*
 * The pages of a process image's .bss, made on first touch.
 *
 * A writable segment's pages that hold no byte of the file (its .bss past
 * the page of the last file byte) are all zeros at exec: the loader maps
 * none of them, only keeps their slots of the task's CNode (each image page
 * has its slot, in order, as the runtime's mprotect of the image expects:
 * bootinfo image_frames). The first page fault there maps a zeroed frame
 * into the page's slot, charged to the process's pool, as for the stack and
 * the heap (stack.h, heap.h). The runtime's .bss (its stack, slot bitmap,
 * select sets) and glibc's are mostly never touched by an idle process.
 *
 * A page once made is the process's like any other image page: fork copies
 * it (and the child makes its own untouched pages), the runtime's mprotect
 * touches a page not made yet before changing it. A fault on a page whose
 * slot holds a frame (a page mprotect'ed PROT_NONE) maps nothing: SIGSEGV.
 * Servers' images are loaded whole: their faults are not served this way.
 */
#ifndef PROC_SERVER_ZERO_PAGES_H
#define PROC_SERVER_ZERO_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "task.h"

/* Keeps the task's next `pages` slots for the pages from `vaddr`, to be
 * mapped with MAP_* `rights` on first touch. False when the task does not
 * make pages on demand or has no room for another range: map them now. */
bool zero_pages_reserve(task_t *t, uint64_t vaddr, uint64_t pages, unsigned rights);

/* A page fault at `addr` on a page not present: maps a zeroed page if it
 * lies in a reserved range and its slot is empty. */
bool zero_pages_fault(task_t *t, uint64_t addr);

/* A fork child's ranges: the parent's (its slots are the parent's). */
void zero_pages_clone(task_t *child, const task_t *parent);

#endif
