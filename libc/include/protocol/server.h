/*
 * What every server's protocol shares.
 *
 * A request is a Call on the server's endpoint: the label names the
 * operation, message registers carry its fields, buffers travel as bulk-copy
 * descriptors. The reply has label 0 and MR0 = a non-negative result or a
 * negative Linux errno. An unknown label is -ENOSYS; a malformed field is
 * -EINVAL (or the errno the operation's page names) and changes nothing.
 */
#ifndef CAPSULE_PROTOCOL_SERVER_H
#define CAPSULE_PROTOCOL_SERVER_H

/* Slots of a server's CSpace, after the CAP_INIT_* ones of uapi/bootinfo.h:
 * the endpoint it serves, then per-server capabilities. */
enum {
    CAP_SERVER_ENDPOINT = 10,
    CAP_SERVER_ARG1 = 11,
    CAP_SERVER_ARG2 = 12,
    CAP_SERVER_ARG3 = 13,
    CAP_SERVER_FIRST_FREE = 16,
};

/* Slots 8 and 9 hold the devices a driver server was given (an IRQHandler
 * and an IOPort range) instead of the root task's IRQControl and IOPort. */
enum {
    CAP_SERVER_IRQ = 8,
    CAP_SERVER_IO_PORT = 9,
};

/* Boot modules handed to a server (vfs-server's initrd) are mapped
 * read-only from here, 1 GiB apart, and listed in its boot-info page. */
#define SERVER_MODULE_BASE 0x200000000000ull
#define SERVER_MODULE_SPAN (1ull << 30)

/* Labels 0xdb0..0xdbf: the debug protocol every server answers. */
enum {
    /* MR0 = which listing (DEBUG_LIST_*); descriptor 0 = a writable buffer.
     * Reply: the number of bytes of text written (truncated to the buffer). */
    PROTO_DEBUG_TEXT = 0xdb0,
};

enum {
    DEBUG_LIST_SUMMARY = 0, /* one line: what the server holds */
};

#endif
