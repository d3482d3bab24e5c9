/*
 * The Debug capability: writing to the kernel log and powering the machine
 * off. Only the root task receives it; it hands it on as it sees fit.
 */
#include "object/debug.h"

#include "arch/machine.h"
#include "kernel/invocation.h"
#include "kernel/log.h"

size_t debug_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(debug_t);
}

bool debug_finalize(kobject_t *obj)
{
    (void)obj;
    return true;
}

/* Debug_Write: argument 0 is the length, the bytes follow packed in the
 * next message registers, little-endian. */
static kerr_t decode_write(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t len = inv_arg(inv, 0);
    if (len > (inv->length - 1) * 8) {
        return inv_fail(inv, 0, KERR_TRUNCATED_MESSAGE);
    }
    char buf[(MSG_MAX_REGISTERS - 1) * 8];
    for (uint64_t i = 0; i < len; i++) {
        buf[i] = (char)(inv_arg(inv, 1 + i / 8) >> (8 * (i % 8)));
    }
    klog_write(buf, len);
    return KERR_OK;
}

kerr_t debug_invoke(invocation_t *inv)
{
    kerr_t err = inv_need_rights(inv, RIGHT_WRITE);
    if (err != KERR_OK) {
        return err;
    }
    switch (inv->label) {
    case INV_DEBUG_WRITE:
        return decode_write(inv);
    case INV_DEBUG_SHUTDOWN:
        if ((err = inv_need_args(inv, 1)) != KERR_OK) {
            return err;
        }
        machine_shutdown((uint32_t)inv_arg(inv, 0));
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}
