/*
 * Reply capabilities. A reply capability names the thread waiting in Call;
 * it is one-shot (Reply consumes it), movable, never copied. While it is
 * held, its holder may copy from and into the buffers the call lent.
 */
#include "kernel/cap.h"
#include "kernel/copy.h"
#include "kernel/invocation.h"
#include "object/tcb.h"
#include "uapi/vm.h"

/* Reply_CopyFrom / Reply_CopyTo: descriptor, offset, local address, length. */
static kerr_t decode_copy(invocation_t *inv, tcb_t *caller, bool to_caller)
{
    kerr_t err = inv_need_args(inv, 4);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t index = inv_arg(inv, 0), offset = inv_arg(inv, 1);
    uint64_t local = inv_arg(inv, 2), len = inv_arg(inv, 3);
    if (caller->state != TCB_STATE_BLOCKED_REPLY) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_NO_CALLER);
    }
    if (index >= caller->desc_count) {
        return inv_fail(inv, 0, KERR_RANGE);
    }
    const buffer_desc_t *d = &caller->descs[index];
    if (!(d->flags & (to_caller ? DESC_WRITE : DESC_READ))) {
        return inv_fail(inv, 0, KERR_NO_RIGHTS);
    }
    if (offset > d->length || len > d->length - offset) {
        return inv_fail(inv, 1, KERR_RANGE);
    }
    if (local >= USER_LIMIT || len > USER_LIMIT - local) {
        return inv_fail(inv, 2, KERR_RANGE);
    }
    vspace_t *mine = tcb_vspace(inv->caller), *theirs = tcb_vspace(caller);
    if (mine == NULL || theirs == NULL) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_CALLER_FAULT);
    }
    copy_result_t res;
    err = to_caller ? copy_user(theirs, d->addr + offset, mine, local, len, &res)
                    : copy_user(mine, local, theirs, d->addr + offset, len, &res);
    if (err != KERR_OK) {
        bool fault_is_mine = to_caller ? !res.dst_fault : res.dst_fault;
        return inv_fail(inv, fault_is_mine ? 2 : 0, err);
    }
    inv_reply(inv, 0, res.done);
    return KERR_OK;
}

kerr_t reply_invoke(invocation_t *inv)
{
    tcb_t *caller = (tcb_t *)inv->slot->cap.obj;
    switch (inv->label) {
    case INV_REPLY_COPY_FROM:
        return decode_copy(inv, caller, false);
    case INV_REPLY_COPY_TO:
        return decode_copy(inv, caller, true);
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}
