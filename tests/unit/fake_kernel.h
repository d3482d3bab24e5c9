/*
 * Host stand-ins for the kernel objects the capability tests do not link
 * (tcb.c, vspace.c and the machine layer), and a small kernel environment:
 * fake RAM with the frame allocator, a root pool, a child pool made with
 * Pool_Split, and a calling thread whose CSpace names them, so tests can
 * drive invoke() the way the system call path does.
 *
 * The fake TCB is the real tcb_t: it owns copies of capabilities in its
 * cspace, vspace and ipc_buffer slots, which is enough to build the
 * CNode <-> TCB cycles Pool_Destroy exists for. The fake VSpace keeps the
 * list of mapped Frame capabilities exactly as vspace.c does, without page
 * tables.
 */
#ifndef CAPSULE_TESTS_FAKE_KERNEL_H
#define CAPSULE_TESTS_FAKE_KERNEL_H

#include "kernel/cap.h"
#include "kernel/invocation.h"
#include "object/cnode.h"
#include "object/pool.h"
#include "object/tcb.h"
#include "object/vspace.h"

#define FK_RAM_BYTES (64ull << 20)
#define FK_GARBAGE_BYTES (16ull << 20) /* fake RAM filled with garbage at setup */
#define FK_POOL_BUDGET (1ull << 20)
#define FK_CSPACE_BITS 6

/* The caller's CSpace layout; tests use slots from FK_SLOT_FREE on. */
enum {
    FK_SLOT_NULL = 0,
    FK_SLOT_CSPACE = 1, /* the CSpace itself */
    FK_SLOT_ROOT = 2,   /* the root pool */
    FK_SLOT_POOL = 3,   /* a child pool of FK_POOL_BUDGET bytes */
    FK_SLOT_FREE = 4,
};

typedef struct {
    pool_t *root;
    pool_t *pool;
    tcb_t *caller;
    cnode_t *cspace;
    ipc_buffer_t ipc; /* the caller's IPC buffer: message registers 4 and up */
    uint64_t bad_arg; /* of the last fk_call */
} fk_env_t;

extern fk_env_t fk;

/* Fresh fake RAM, frame allocator, root pool, child pool and caller. */
void fk_setup(void);

/* Destroys everything and checks every frame came back. */
void fk_teardown(void);

/* cmocka wrappers around fk_setup and fk_teardown. */
int fk_setup_test(void **state);
int fk_teardown_test(void **state);

/* Invokes the capability at `cptr` in the caller's CSpace with `length`
 * arguments, then reaps zombies, as the Call system call does. */
kerr_t fk_call(uint64_t cptr, uint64_t label, unsigned length, const uint64_t *args);

#define FK_NARGS(...) (unsigned)(sizeof((uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t))
#define FK_CALL(cptr, label, ...)                                                                  \
    fk_call(cptr, label, FK_NARGS(__VA_ARGS__), (uint64_t[]){__VA_ARGS__})
#define FK_CALL0(cptr, label) fk_call(cptr, label, 0, NULL)

/* Reply register `i` of the last call. */
uint64_t fk_reply(unsigned i);

/* The slot `index` of the caller's CSpace. */
cte_t *fk_slot(uint64_t index);

/* Creates an object of `type` in `pool` and puts a capability to it in
 * `slot` (which must be empty); fails the test if creation fails. */
kobject_t *fk_create(pool_t *pool, obj_type_t type, unsigned size_bits, cte_t *slot);

/* Records the mapping of the Frame capability `slot` in `vs`. */
void fk_vspace_map(vspace_t *vs, cte_t *slot, vaddr_t vaddr);

/* Frame capabilities unmapped through vspace_unmap_cap since setup. */
unsigned fk_unmap_count(void);

/* The lowest and highest stack addresses seen in tcb_finalize since
 * fk_stack_reset, to show destruction does not recurse. */
void fk_stack_reset(void);
uintptr_t fk_stack_span(void);

/* What Debug_Write wrote to the kernel log since setup. */
const char *fk_log(void);

/* Frames the allocator has handed out since setup began. */
size_t fk_frames_used(void);

#endif
