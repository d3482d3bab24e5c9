/*
 * Invocations of kernel objects, one function per label of
 * uapi/invocations.def. Each returns the kernel's error code; on an error,
 * kernel_bad_arg() tells which argument was rejected.
 */
#ifndef CAPSULE_NATIVE_KERNEL_H
#define CAPSULE_NATIVE_KERNEL_H

#include "capsule/syscall.h"
#include "uapi/invocations.h"
#include "uapi/objects.h"
#include "uapi/registers.h"

/* The calling thread's IPC buffer (set by the start-up code). */
extern ipc_buffer_t *ipc_buffer;

/* Invokes `cap` with `label` and `count` arguments; copies up to
 * `reply_max` reply words into `reply` (which may be NULL). */
kerr_t kernel_invoke(cptr_t cap, uint64_t label, const uint64_t *args, unsigned count,
                     uint64_t *reply, unsigned reply_max);

/* The argument index the last failed invocation rejected (KERR_ARG_NONE
 * when no argument was at fault). */
uint64_t kernel_bad_arg(void);

/* The name of an error code, for messages. */
const char *kerr_name(kerr_t err);

kerr_t pool_create(cptr_t pool, obj_type_t type, unsigned size_bits, cptr_t cnode, uint64_t slot);
kerr_t pool_split(cptr_t pool, uint64_t budget, cptr_t cnode, uint64_t slot);
kerr_t pool_destroy(cptr_t pool);
kerr_t pool_info(cptr_t pool, uint64_t *budget, uint64_t *used, uint64_t *objects);

/* Debug_ObjectCounts: frames, and objects by type under a pool. */
typedef struct {
    uint64_t free_frames, total_frames;
    uint64_t objects[OBJ_COUNT]; /* indexed by obj_type_t */
} debug_object_counts_t;
kerr_t debug_object_counts(cptr_t debug, cptr_t pool, debug_object_counts_t *out);

/* Debug_ThreadInfo: a thread's scheduling and IPC state. */
typedef struct {
    uint64_t state; /* TCB_STATE_* */
    uint64_t priority, mcp;
    uint64_t blocked_on; /* obj_type_t of what it waits on (OBJ_REPLY: a Call's answer); OBJ_NULL:
                            nothing */
    uint64_t badge;      /* the badge it is queued sending through; else 0 */
} debug_thread_info_t;
kerr_t debug_thread_info(cptr_t debug, cptr_t tcb, debug_thread_info_t *out);

kerr_t cnode_copy(cptr_t cnode, uint64_t dest, cptr_t src_cnode, uint64_t src, unsigned rights);
kerr_t cnode_mint(cptr_t cnode, uint64_t dest, cptr_t src_cnode, uint64_t src, unsigned rights,
                  uint64_t badge);
kerr_t cnode_move(cptr_t cnode, uint64_t dest, cptr_t src_cnode, uint64_t src);
kerr_t cnode_delete(cptr_t cnode, uint64_t slot);
kerr_t cnode_revoke(cptr_t cnode, uint64_t slot);
kerr_t cnode_identify(cptr_t cnode, uint64_t slot, uint64_t *type, uint64_t *rights,
                      uint64_t *badge);

typedef struct {
    uint64_t type, rights, badge;
    uint64_t map_vaddr;  /* a mapped Frame capability: where (0: not mapped) */
    uint64_t map_rights; /* and with which MAP_* rights */
    uint64_t cnode_bits; /* a CNode capability: its size (2^cnode_bits slots) */
} cnode_identity_t;

kerr_t cnode_identify_full(cptr_t cnode, uint64_t slot, cnode_identity_t *out);

kerr_t cnode_save_caller(cptr_t cnode, uint64_t dest);
/* Gives the CNode 2^size_bits slots, every capability kept at its index. */
kerr_t cnode_grow(cptr_t cnode, unsigned size_bits);

kerr_t tcb_configure(cptr_t tcb, cptr_t cspace, cptr_t vspace, cptr_t ipc_frame,
                     uint64_t ipc_vaddr);
kerr_t tcb_resume(cptr_t tcb);
kerr_t tcb_suspend(cptr_t tcb);
kerr_t tcb_set_priority(cptr_t tcb, cptr_t authority, unsigned priority);
kerr_t tcb_set_mcp(cptr_t tcb, cptr_t authority, unsigned mcp);
kerr_t tcb_set_tls(cptr_t tcb, uint64_t fs_base);
kerr_t tcb_set_fault_handler(cptr_t tcb, cptr_t endpoint);
kerr_t tcb_bind_notification(cptr_t tcb, cptr_t notification);
kerr_t tcb_cancel(cptr_t tcb);
/* CPU time sampled by the timer tick: nanoseconds the thread ran, and
 * nanoseconds servers ran serving its Calls. Needs the Read right. */
kerr_t tcb_read_times(cptr_t tcb, uint64_t *run_ns, uint64_t *served_ns);
kerr_t tcb_set_flags(cptr_t tcb, unsigned flags);
kerr_t tcb_set_personality(cptr_t tcb, uint64_t entry, uint64_t upcall_entry, uint64_t runtime_lo,
                           uint64_t runtime_hi);
kerr_t tcb_set_gs_base(cptr_t tcb, uint64_t gs_base);
kerr_t tcb_interrupt(cptr_t tcb);

/* Bulk copy through a reply capability (CAP_REPLY_CURRENT: the one in the
 * caller's TCB); `*done` gets the bytes copied. */
kerr_t reply_copy_from(cptr_t reply, unsigned desc, uint64_t offset, void *local, uint64_t len,
                       uint64_t *done);
kerr_t reply_copy_to(cptr_t reply, unsigned desc, uint64_t offset, const void *local, uint64_t len,
                     uint64_t *done);

typedef struct {
    uint64_t state, fault_vector, fault_error, fault_addr;
    user_regs_t regs;
    uint8_t fpu[FPU_IMAGE_BYTES];
} tcb_registers_t;

kerr_t tcb_read_registers(cptr_t tcb, tcb_registers_t *out);
/* `fpu` may be NULL to leave the FPU image alone. */
kerr_t tcb_write_registers(cptr_t tcb, unsigned flags, const user_regs_t *regs, const uint8_t *fpu);

kerr_t vspace_map(cptr_t vspace, cptr_t frame, uint64_t vaddr, unsigned rights);
kerr_t vspace_unmap(cptr_t vspace, cptr_t frame);

kerr_t irq_control_get(cptr_t irq_control, uint64_t irq, cptr_t cnode, uint64_t slot);
/* `notification` 0 detaches the handler (and masks the line). */
kerr_t irq_handler_set_notification(cptr_t handler, cptr_t notification);
kerr_t irq_handler_ack(cptr_t handler);

/* Port I/O of `width` bytes (1, 2 or 4). */
kerr_t io_port_in(cptr_t io_port, uint64_t port, unsigned width, uint32_t *value);
kerr_t io_port_out(cptr_t io_port, uint64_t port, unsigned width, uint32_t value);
kerr_t io_port_issue(cptr_t io_port, uint64_t first, uint64_t last, cptr_t cnode, uint64_t slot);

kerr_t debug_write(cptr_t debug, const char *s, uint64_t len);
kerr_t debug_shutdown(cptr_t debug, uint32_t status);
/* Restarts the machine; returns only if the capability is refused. */
kerr_t debug_reset(cptr_t debug);

/* What Debug_ReadLog returned: `count` bytes from position `first` (later
 * than asked when the ring had dropped older bytes); `end` is the log's
 * end, so more is waiting while first + count < end. */
typedef struct {
    uint64_t first, count, end;
} debug_log_chunk_t;

/* Reads up to `max` bytes (at most 936 per call) of the kernel log from
 * position `pos` into `buf`. */
kerr_t debug_read_log(cptr_t debug, uint64_t pos, char *buf, uint64_t max, debug_log_chunk_t *out);
/* The kernel stops printing its log on COM1; `notification` (0: none) is
 * signalled when Debug_Write adds to it. `*log_end`: the position the
 * kernel printed up to. */
kerr_t debug_release_console(cptr_t debug, cptr_t notification, uint64_t *log_end);
/* The kernel prints its log on COM1 again. */
kerr_t debug_reclaim_console(cptr_t debug);

#endif
