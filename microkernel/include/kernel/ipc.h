/*
 * Synchronous IPC through endpoints, seL4-style: a message (label, message
 * registers, up to three capabilities) passes from a sender to a receiver
 * when both are there; whoever comes first waits in the endpoint's queue.
 * A Call leaves a one-shot reply capability in the receiver's TCB.
 */
#ifndef CAPSULE_KERNEL_IPC_H
#define CAPSULE_KERNEL_IPC_H

#include "object/endpoint.h"
#include "object/tcb.h"

/* Send through the endpoint capability `cap`; `flags` says whether it is a
 * Call (IPC_CALL) and whether the message is `t`'s fault (IPC_FAULT). The
 * caller's rax is left alone: the system call layer sets it. */
void ipc_send(tcb_t *t, const cte_t *cap, bool blocking, unsigned flags);

/* Recv on the endpoint capability `cap`. */
void ipc_recv(tcb_t *t, const cte_t *cap, bool blocking);

/* Answers the call whose reply capability is in `slot` with `t`'s message
 * and consumes the capability. KERR_NO_CALLER if the caller is gone. */
kerr_t ipc_reply(tcb_t *t, cte_t *slot);

/* Blocks `t` in `state` on `on`, with the timeout its IPC buffer asks for. */
void ipc_block(tcb_t *t, uint8_t state, kobject_t *on);

/* Ends `t`'s blocked call with `result` in rax and makes it runnable. */
void ipc_wake(tcb_t *t, kerr_t result);

/* Takes `t` out of whatever call it is blocked in (it is left runnable,
 * with `why` as the call's result; a thread blocked in its fault message
 * is left FAULTED, its registers untouched). Does nothing if `t` is not
 * blocked. */
void ipc_cancel(tcb_t *t, kerr_t why);

/* A reply capability naming `caller` was deleted unanswered. */
void ipc_reply_cap_deleted(tcb_t *caller);

/* Delivers `t`'s fault to its fault endpoint; false if it has none. */
bool ipc_send_fault(tcb_t *t);

/* Sets the receiver's registers for a notification delivered to Recv. */
void ipc_deliver_notification(tcb_t *t, uint64_t word);

#endif
