/*
 * One invocation of a kernel object: its arguments (message registers of the
 * caller) and its reply. Decoders read every argument first, check it, and
 * only then change state; a rejected invocation changes nothing and names
 * the argument at fault.
 */
#ifndef CAPSULE_KERNEL_INVOCATION_H
#define CAPSULE_KERNEL_INVOCATION_H

#include "kernel/object.h"
#include "uapi/invocations.h"
#include "uapi/message.h"

struct tcb;

typedef struct invocation {
    struct tcb *caller;
    cte_t *slot; /* the invoked capability */
    uint64_t label;
    uint64_t length;   /* message registers the caller sent */
    ipc_buffer_t *ipc; /* the caller's IPC buffer, NULL if it has none */
    uint64_t reply_length;
    uint64_t bad_arg; /* set with an error: which argument was rejected */
} invocation_t;

/* Argument `i` (i < inv->length). */
uint64_t inv_arg(const invocation_t *inv, unsigned i);

/* Sets reply register `i`; the reply length grows to cover it. Registers
 * beyond the CPU's are dropped when the caller has no IPC buffer. */
void inv_reply(invocation_t *inv, unsigned i, uint64_t value);

/* Records `arg` as the rejected argument and returns `err`. */
kerr_t inv_fail(invocation_t *inv, uint64_t arg, kerr_t err);

/* Fails with KERR_TRUNCATED_MESSAGE unless `count` arguments were sent. */
kerr_t inv_need_args(invocation_t *inv, unsigned count);

/* Checks that the invoked capability has `rights`. */
kerr_t inv_need_rights(invocation_t *inv, unsigned rights);

/* Looks up the capability whose CPtr is argument `arg`: it must name an
 * object of `type` (OBJ_NULL: any) and carry `rights`. */
kerr_t inv_lookup_arg(invocation_t *inv, unsigned arg, obj_type_t type, unsigned rights,
                      cte_t **out);

/* An empty slot `slot_arg` of the CNode `cnode`, for a new capability. */
kerr_t inv_empty_slot(invocation_t *inv, kobject_t *cnode, unsigned slot_arg, cte_t **out);

/* Decoders of the personality invocations (object/tcb_personality.c). */
kerr_t tcb_decode_set_personality(invocation_t *inv, struct tcb *t);
kerr_t tcb_decode_segment_base(invocation_t *inv, struct tcb *t, bool gs);
kerr_t tcb_decode_interrupt(invocation_t *inv, struct tcb *t);

/* The per-type handlers, one per object file. */
kerr_t pool_invoke(invocation_t *inv);
kerr_t cnode_invoke(invocation_t *inv);
kerr_t tcb_invoke(invocation_t *inv);
kerr_t vspace_invoke(invocation_t *inv);
kerr_t frame_invoke(invocation_t *inv);
kerr_t debug_invoke(invocation_t *inv);
kerr_t reply_invoke(invocation_t *inv);
kerr_t irq_control_invoke(invocation_t *inv);
kerr_t irq_handler_invoke(invocation_t *inv);
kerr_t io_port_invoke(invocation_t *inv);

/* Decodes and performs the invocation; dispatches on the object type. */
kerr_t invoke(invocation_t *inv);

#endif
