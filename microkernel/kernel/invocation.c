/*
 * The invocation layer: argument access for decoders and the dispatch from a
 * capability's object type to its decoder.
 */
#include "kernel/invocation.h"

#include "object/cnode.h"
#include "object/tcb.h"

uint64_t inv_arg(const invocation_t *inv, unsigned i)
{
    const trap_frame_t *f = &inv->caller->ctx;
    switch (i) {
    case 0:
        return f->rdx;
    case 1:
        return f->r8;
    case 2:
        return f->r9;
    case 3:
        return f->r10;
    default:
        return inv->ipc != NULL && i < MSG_MAX_REGISTERS ? inv->ipc->mr[i] : 0;
    }
}

void inv_reply(invocation_t *inv, unsigned i, uint64_t value)
{
    trap_frame_t *f = &inv->caller->ctx;
    switch (i) {
    case 0:
        f->rdx = value;
        break;
    case 1:
        f->r8 = value;
        break;
    case 2:
        f->r9 = value;
        break;
    case 3:
        f->r10 = value;
        break;
    default:
        if (inv->ipc == NULL || i >= MSG_MAX_REGISTERS) {
            return;
        }
        inv->ipc->mr[i] = value;
        break;
    }
    if (i + 1 > inv->reply_length) {
        inv->reply_length = i + 1;
    }
}

kerr_t inv_fail(invocation_t *inv, uint64_t arg, kerr_t err)
{
    inv->bad_arg = arg;
    return err;
}

kerr_t inv_need_args(invocation_t *inv, unsigned count)
{
    if (inv->length < count) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_TRUNCATED_MESSAGE);
    }
    return KERR_OK;
}

kerr_t inv_need_rights(invocation_t *inv, unsigned rights)
{
    if ((inv->slot->cap.rights & rights) != rights) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_NO_RIGHTS);
    }
    return KERR_OK;
}

kerr_t inv_lookup_arg(invocation_t *inv, unsigned arg, obj_type_t type, unsigned rights,
                      cte_t **out)
{
    cnode_t *cspace = tcb_cspace(inv->caller);
    cte_t *slot = cspace != NULL ? cnode_slot(cspace, inv_arg(inv, arg)) : NULL;
    if (slot == NULL || slot->cap.obj == NULL) {
        return inv_fail(inv, arg, KERR_INVALID_CAP);
    }
    if (type != OBJ_NULL && slot->cap.type != type) {
        return inv_fail(inv, arg, KERR_WRONG_TYPE);
    }
    if ((slot->cap.rights & rights) != rights) {
        return inv_fail(inv, arg, KERR_NO_RIGHTS);
    }
    *out = slot;
    return KERR_OK;
}

kerr_t inv_empty_slot(invocation_t *inv, kobject_t *cnode, unsigned slot_arg, cte_t **out)
{
    cte_t *slot = cnode_slot((cnode_t *)cnode, inv_arg(inv, slot_arg));
    if (slot == NULL) {
        return inv_fail(inv, slot_arg, KERR_SLOT_RANGE);
    }
    if (slot->cap.obj != NULL) {
        return inv_fail(inv, slot_arg, KERR_SLOT_OCCUPIED);
    }
    *out = slot;
    return KERR_OK;
}

typedef kerr_t (*invoke_fn_t)(invocation_t *inv);

static const invoke_fn_t invoke_table[OBJ_COUNT] = {
    [OBJ_POOL] = pool_invoke,
    [OBJ_CNODE] = cnode_invoke,
    [OBJ_TCB] = tcb_invoke,
    [OBJ_VSPACE] = vspace_invoke,
    [OBJ_FRAME] = frame_invoke,
    [OBJ_DEBUG] = debug_invoke,
    [OBJ_REPLY] = reply_invoke,
    [OBJ_IRQ_CONTROL] = irq_control_invoke,
    [OBJ_IRQ_HANDLER] = irq_handler_invoke,
    [OBJ_IO_PORT] = io_port_invoke,
};

kerr_t invoke(invocation_t *inv)
{
    inv->bad_arg = KERR_ARG_NONE;
    uint8_t type = inv->slot->cap.type;
    if (type >= OBJ_COUNT || invoke_table[type] == NULL) {
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
    return invoke_table[type](inv);
}
