/*
 * Threads for the benchmarks: in the root task's own address space, or in a
 * new one that maps copies of the root task's image frames read-only (so
 * such a thread must not write globals) plus its own stack.
 */
#ifndef KBENCH_SPAWN_H
#define KBENCH_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

#include "capsule/kernel.h"
#include "uapi/bootinfo.h"

#define SPAWN_STACK_TOP 0x50000000ull
#define SPAWN_STACK_PAGES 4
#define SPAWN_IPC_BUFFER 0x50100000ull
#define SPAWN_DATA 0x60000000ull /* 16 writable pages for the thread's own use */
#define SPAWN_DATA_PAGES 16

typedef struct {
    uint64_t tcb;
    uint64_t vspace;   /* 0: the root task's */
    ipc_buffer_t *ipc; /* its IPC buffer, where it sees it */
} spawned_t;

void spawn_init(const bootinfo_t *bi);
uint64_t spawn_slot(void);
uint64_t spawn_object(obj_type_t type);

/* Starts `entry(arg0, arg1)` at `priority` with TCB_FLAG_NO_FPU (the
 * benchmark servers are built not to touch the FPU), in a new address space if
 * `own_vspace`. The thread gets an IPC buffer at SPAWN_IPC_BUFFER and, in
 * its own space, SPAWN_DATA_PAGES writable pages at SPAWN_DATA. */
spawned_t spawn(void (*entry)(uint64_t, uint64_t), uint64_t arg0, uint64_t arg1, unsigned priority,
                bool own_vspace);

void spawn_stop(spawned_t *s);

#endif
