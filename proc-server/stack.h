/*
 * A process's stack, mapped on demand. The pages holding the initial stack
 * (arguments, environment, auxiliary vector) and one more are mapped when the
 * image is built; a page fault below them, down to STACK_LIMIT under the
 * stack's top, maps a fresh zeroed page (proc-server handles every process's
 * faults). Below the limit nothing is ever mapped: a fault there is a
 * SIGSEGV, as past Linux's RLIMIT_STACK.
 *
 * The stack's frames are not in the process's CSpace (its runtime owns the
 * free slots there): they sit in a small CNode of the process's pool that
 * only proc-server names, slot i holding the i-th page below the top, grown
 * by doubling as the stack deepens. The process cannot unmap its stack.
 */
#ifndef PROC_SERVER_STACK_H
#define PROC_SERVER_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/posix_stack.h"
#include "task.h"

/* The top of a process's stack and how far it may grow (RLIMIT_STACK as
 * the runtime reports it: libc/posix/rlimits.c). */
#define STACK_TOP POSIX_STACK_TOP
#define STACK_LIMIT POSIX_STACK_LIMIT

/* Maps the pages holding the top `len` bytes (`top`: their contents) and
 * one page below them. Returns 0 or -errno. */
int stack_create(task_t *t, const void *top, size_t len);

/* A page fault at `addr` on a page not present: maps the page if it lies in
 * the stack's range. False if it does not, or memory ran out. */
bool stack_fault(task_t *t, uint64_t addr);

/* Gives `child` a copy of every stack page `parent` has mapped. */
int stack_clone(task_t *child, const task_t *parent);

#endif
