/*
 * A task under construction: the kernel objects of a new server or process
 * (pool, CNode, VSpace, TCB, IPC buffer, boot-info page), built by
 * proc-server and then started.
 *
 * proc-server names the objects through slots of its own CNode. Frames it
 * maps into the task move into the task's CNode, so proc-server's CSpace
 * does not grow with every page of every task.
 */
#ifndef PROC_SERVER_TASK_H
#define PROC_SERVER_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsule/server.h"

typedef struct text_use text_use_t; /* text_frames.h */

/* Image pages made on first touch (zero_pages.h): `pages` pages from
 * `vaddr`, in the task's slots from `first_slot`, mapped with `rights`. */
typedef struct {
    uint64_t vaddr, pages, first_slot;
    unsigned rights;
} zero_range_t;

#define TASK_ZERO_RANGES 4

typedef struct {
    cptr_t pool, cnode, vspace, tcb; /* proc-server's slots */
    unsigned cnode_bits;
    uint64_t next_slot;    /* the next free slot of the task's CNode */
    bootinfo_t *info;      /* the task's boot-info page, writable by proc-server until start */
    cptr_t info_frame;     /* proc-server's slot while building */
    bool info_ready;       /* the boot-info page is complete (a fork's copy) */
    unsigned reserved_top; /* slots at the CNode's top left out of free_slots */
    text_use_t *text;      /* the shared executable frames it maps, or NULL */
    cptr_t stack_cnode;    /* proc-server's slot of the stack's frames (stack.h), or CAP_NULL */
    unsigned stack_bits;   /* its size */
    uint64_t heap_start;   /* the heap (heap.h): its first page */
    uint64_t heap_break;   /* the program break */
    cptr_t heap_cnode;     /* proc-server's slot of the heap's frames, or CAP_NULL */
    unsigned heap_bits;    /* its size */
    bool zero_on_demand;   /* the loader leaves .bss pages to first touch */
    unsigned zero_count;
    zero_range_t zero[TASK_ZERO_RANGES];
} task_t;

/* Creates the objects, charged to a new pool allowed `budget` bytes (split
 * from the root pool), and puts the CAP_INIT_* capabilities in the task's
 * CNode, all but Debug (build_server gives that to servers; a process never
 * holds it). Returns 0 or -errno; on an error nothing is left behind. */
int task_create(task_t *t, uint64_t budget, unsigned cnode_bits);
/* The same with the pool split from `parent_pool` (a proc-server slot):
 * everything the task holds is charged to that pool too. */
int task_create_in(task_t *t, cptr_t parent_pool, uint64_t budget, unsigned cnode_bits);

/* Maps a copy of `frame` (a slot of proc-server's) at `vaddr` with MAP_*
 * `rights`: the same page, shared. The task's capability has the Write
 * right only if `rights` has MAP_WRITE, so a page shared read-only can
 * never be mapped writable by the task. */
int task_map_shared(task_t *t, cptr_t frame, uint64_t vaddr, unsigned rights);
/* The same with the frame in slot `slot` of `cnode` (a proc-server slot). */
int task_map_shared_from(task_t *t, cptr_t cnode, uint64_t slot, uint64_t vaddr, unsigned rights);
/* Puts a read-only copy of the frame in slot `slot` of `cnode` into the
 * task's slot `dest`, mapped at `vaddr` with `rights` (no MAP_WRITE), or
 * not mapped when vaddr is 0: a fork child's share of a page. */
int task_place_shared(task_t *t, cptr_t cnode, uint64_t slot, uint64_t dest, uint64_t vaddr,
                      unsigned rights);

/* Keeps the task's next `count` slots empty (the first in *first), the
 * CNode grown as needed. Returns 0 or -errno. */
int task_reserve_slots(task_t *t, uint64_t count, uint64_t *first);

/* Maps a new zeroed frame at `vaddr`, with `len` bytes of `data` copied to
 * `offset` within it. */
int task_map_new(task_t *t, uint64_t vaddr, unsigned rights, const void *data, size_t len,
                 size_t offset);

/* The size (bits) of the task's CNode now: a running task's runtime grows
 * its CNode itself (CNode_Grow) when it runs out of slots, so cnode_bits is
 * only the size it was built with. */
unsigned task_cnode_bits(const task_t *t);

/* The same, the frame going to slot `slot` of `cnode` (a proc-server slot
 * naming a CNode of the task's) instead of the task's CSpace. */
int task_map_new_at(task_t *t, cptr_t cnode, uint64_t slot, uint64_t vaddr, unsigned rights,
                    const void *data, size_t len, size_t offset);

/* Mints `cap` with `rights` and `badge` into the task's slot `slot`. */
int task_give(task_t *t, uint64_t slot, cptr_t cap, unsigned rights, uint64_t badge);

/* Maps `pages` of stack below BOOTINFO_STACK_TOP, the top `len` bytes
 * taken from `top` (NULL for none); len <= pages * 4096. */
int task_create_stack(task_t *t, unsigned pages, const void *top, size_t len);

/* Completes the boot-info page (the free slot range, unless info_ready) and
 * hands it to the task read-only, out of proc-server's scratch address: a
 * task built to start later must be sealed, so the next can be built.
 * task_start seals a task not sealed yet. */
int task_seal(task_t *t);

/* Starts the thread with `regs` (the kernel keeps only what a thread may
 * set) and the FPU image `fpu` (NULL: a fresh one); `fault_endpoint` (a
 * proc-server slot, or CAP_NULL) receives its faults. The boot-info page
 * gets the free slot range (unless info_ready) and becomes read-only. */
int task_start(task_t *t, const user_regs_t *regs, const uint8_t *fpu, unsigned priority,
               cptr_t fault_endpoint);

/* Makes the task's frame in slot `slot` of `src_cnode` (a proc-server slot
 * naming another task's CNode) the task's own at the same slot and
 * address: a read-only mapping shares the frame when `may_share` (the frame
 * must outlive the source task), anything else is copied. */
int task_clone_frame(task_t *t, cptr_t src_cnode, uint64_t slot, const cnode_identity_t *id,
                     bool may_share);

/* The same into slot `dst_slot` of `dst_cnode` (a proc-server slot). */
int task_clone_frame_to(task_t *t, cptr_t dst_cnode, uint64_t dst_slot, cptr_t src_cnode,
                        uint64_t slot, const cnode_identity_t *id, bool may_share);

/* Copies the boot-info page of the task whose CNode is `src_cnode`. */
int task_clone_info(task_t *t, cptr_t src_cnode);

/* Destroys every object of the task and frees proc-server's slots; its
 * use of shared executable frames ends (text_frames.h). */
void task_destroy(task_t *t);

/* The Linux errno for a kernel error. */
int errno_from_kerr(kerr_t err);

#endif
