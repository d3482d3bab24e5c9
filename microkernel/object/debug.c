/*
 * The Debug capability: the kernel log (write, read, and who prints it on
 * COM1) and powering the machine off. Only the root task receives it; it
 * hands it on as it sees fit. Reading the log and the object views of
 * debug_stats.c need the Read right, every other operation the Write right.
 */
#include "object/debug.h"

#include "arch/machine.h"
#include "kernel/invocation.h"
#include "kernel/log.h"
#include "object/debug_stats.h"

/* Reply words of Debug_ReadLog before the bytes: first position, count, end. */
#define READ_LOG_HEADER_WORDS 3

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
    klog_notify_reader();
    return KERR_OK;
}

/* Debug_ReadLog: argument 0 is a position (at most the log's end). The
 * reply packs as many bytes as the caller's message registers hold. */
static kerr_t decode_read_log(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    uint64_t pos = inv_arg(inv, 0);
    if (pos > klog_end()) {
        return inv_fail(inv, 0, KERR_RANGE);
    }
    unsigned words = inv->ipc != NULL ? MSG_MAX_REGISTERS : MSG_REGISTERS_IN_CPU;
    char buf[(MSG_MAX_REGISTERS - READ_LOG_HEADER_WORDS) * 8];
    uint64_t first;
    size_t n = klog_read(pos, buf, (words - READ_LOG_HEADER_WORDS) * 8, &first);
    inv_reply(inv, 0, first);
    inv_reply(inv, 1, n);
    inv_reply(inv, 2, klog_end());
    for (size_t w = 0; w * 8 < n; w++) {
        uint64_t word = 0;
        for (size_t b = 0; b < 8 && w * 8 + b < n; b++) {
            word |= (uint64_t)(uint8_t)buf[w * 8 + b] << (8 * b);
        }
        inv_reply(inv, READ_LOG_HEADER_WORDS + (unsigned)w, word);
    }
    return KERR_OK;
}

/* Debug_ReleaseConsole: argument 0 is a notification capability (0: none)
 * to signal when Debug_Write adds to the log. Replies with the log's end at
 * the handover: the kernel printed everything before it. */
static kerr_t decode_release_console(invocation_t *inv)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    cte_t *n = NULL;
    if (inv_arg(inv, 0) != 0 &&
        (err = inv_lookup_arg(inv, 0, OBJ_NOTIFICATION, RIGHT_WRITE, &n)) != KERR_OK) {
        return err;
    }
    klog_release_serial(n);
    inv_reply(inv, 0, klog_end());
    return KERR_OK;
}

/* Taking COM1 from the kernel or giving it back, resetting and powering the
 * machine off need the Grant right besides Write: a Debug capability with
 * Write alone only adds to the log, which is all most servers need. */
static bool controls_machine(uint64_t label)
{
    return label == INV_DEBUG_RELEASE_CONSOLE || label == INV_DEBUG_RECLAIM_CONSOLE ||
           label == INV_DEBUG_RESET || label == INV_DEBUG_SHUTDOWN;
}

kerr_t debug_invoke(invocation_t *inv)
{
    bool reads = inv->label == INV_DEBUG_READ_LOG || inv->label == INV_DEBUG_OBJECT_COUNTS ||
                 inv->label == INV_DEBUG_THREAD_INFO;
    unsigned need = reads                          ? RIGHT_READ
                    : controls_machine(inv->label) ? RIGHT_WRITE | RIGHT_GRANT
                                                   : RIGHT_WRITE;
    kerr_t err = inv_need_rights(inv, need);
    if (err != KERR_OK) {
        return err;
    }
    switch (inv->label) {
    case INV_DEBUG_WRITE:
        return decode_write(inv);
    case INV_DEBUG_READ_LOG:
        return decode_read_log(inv);
    case INV_DEBUG_RELEASE_CONSOLE:
        return decode_release_console(inv);
    case INV_DEBUG_OBJECT_COUNTS:
        return debug_object_counts(inv);
    case INV_DEBUG_THREAD_INFO:
        return debug_thread_info(inv);
    case INV_DEBUG_RECLAIM_CONSOLE:
        klog_reclaim_serial();
        return KERR_OK;
    case INV_DEBUG_RESET:
        machine_reset();
    case INV_DEBUG_SHUTDOWN:
        if ((err = inv_need_args(inv, 1)) != KERR_OK) {
            return err;
        }
        machine_shutdown((uint32_t)inv_arg(inv, 0));
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}
