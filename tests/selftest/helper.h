/*
 * What the self-tests share: slots of the root CNode, objects, spare virtual
 * addresses, the TSC, and threads that run in the root task's own CSpace and
 * VSpace (so they share its globals) on stacks of their own. Everything a
 * test allocates here is released by helper_cleanup() after the test,
 * whether it passed or not.
 */
#ifndef SELFTEST_HELPER_H
#define SELFTEST_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsule/kernel.h"
#include "uapi/bootinfo.h"
#include "uapi/vm.h"

#define ROOT_PRIORITY PRIORITY_MAX
/* Threads run at the root's priority: the root lets them run by yielding. */
#define THREAD_PRIORITY ROOT_PRIORITY
/* How long the root waits for a thread before giving up (~5 s of TSC). */
#define TIMEOUT_CYCLES 10000000000ull
/* Where tests map frames into the root VSpace. */
#define SPARE_VA_BASE 0x10000000ull

extern const bootinfo_t *selftest_bootinfo;

void helper_init(const bootinfo_t *bi);

/* Restores the root's priority, FS base, receive slot and timeout and
 * deletes every capability in the slots the test allocated (threads
 * first). */
void helper_cleanup(void);

/* A free slot of the root CNode, owned by the running test (0 if none). */
cptr_t slot_alloc(void);

/* The number of slots of the root CNode: the first CPtr beyond it. */
uint64_t root_slots(void);

/* Creates an object from `pool` into a new slot of the root CNode. */
kerr_t object_new(cptr_t pool, obj_type_t type, unsigned size_bits, cptr_t *out);

/* Copies the capability `src` with `rights` into a new slot. */
kerr_t cap_derive(cptr_t src, unsigned rights, cptr_t *out);

/* Splits a child pool of `budget` bytes off the root pool. */
kerr_t pool_new(uint64_t budget, cptr_t *out);

typedef struct {
    uint64_t budget, used, objects;
} pool_stats_t;

/* Pool_Info as a struct (all zero if the invocation fails). */
pool_stats_t pool_stats(cptr_t pool);

/* The object type a slot of the root CNode names (OBJ_NULL when empty). */
uint64_t slot_type(cptr_t slot);

/* Unused, page-aligned virtual addresses in the root VSpace. */
uint64_t va_alloc(uint64_t pages);

/* A new frame from `pool` mapped read-write at a spare address. */
kerr_t frame_new_mapped(cptr_t pool, cptr_t *frame, volatile uint64_t **addr);

static inline uint64_t tsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* A thread's code: `arg` in rdi, the CPtr of its own TCB in rsi. */
typedef void (*thread_fn_t)(uint64_t arg, cptr_t self);

/* The registers a new thread starts with: rip = entry, a fresh stack. */
user_regs_t thread_regs(uint64_t entry, uint64_t arg, cptr_t self);

/* A TCB from `pool` in the root's CSpace and VSpace, at `priority`, with
 * thread_regs() written but not resumed. */
kerr_t thread_new(cptr_t pool, uint64_t entry, uint64_t arg, unsigned priority, cptr_t *tcb);

/* thread_new() from the root pool at THREAD_PRIORITY, then resumed. */
kerr_t thread_spawn(thread_fn_t fn, uint64_t arg, cptr_t *tcb);

/* Suspends the calling thread for good (threads never return). */
__attribute__((noreturn)) void thread_exit(cptr_t self);

/* Yields until `tcb` is no longer runnable (or the timeout); returns its
 * state and leaves its registers in `regs`. */
uint64_t thread_wait(cptr_t tcb, tcb_registers_t *regs);

/* Yields until *word != from or the timeout; returns whether it changed. */
bool wait_change(volatile uint64_t *word, uint64_t from);

/* Copies `len` bytes into the start of `frame` through a temporary mapping
 * of a copy of its capability. */
kerr_t frame_write(cptr_t frame, const void *src, size_t len);

/* Spins (without yielding) for `cycles` of the TSC. */
void spin_cycles(uint64_t cycles);

#endif
