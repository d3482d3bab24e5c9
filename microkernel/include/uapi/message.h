/*
 * The message-info word and the IPC buffer.
 *
 * Message info: bits 0..6 the number of message registers, bits 7..8 the
 * number of capabilities (up to 3), bits 9..11 the number of buffer
 * descriptors a Call carries (up to 4), bits 12..63 the label. Message
 * registers 0..3 travel in CPU registers (see syscalls.h); registers 4 and up
 * are read from and written to the thread's IPC buffer.
 */
#ifndef CAPSULE_UAPI_MESSAGE_H
#define CAPSULE_UAPI_MESSAGE_H

#include <stdint.h>

#define MSG_REGISTERS_IN_CPU 4
#define MSG_MAX_REGISTERS 120
#define MSG_MAX_CAPS 3
#define MSG_MAX_DESCRIPTORS 4

#define MSGINFO_LENGTH_MASK 0x7full
#define MSGINFO_CAPS_SHIFT 7
#define MSGINFO_CAPS_MASK 0x3ull
#define MSGINFO_DESCS_SHIFT 9
#define MSGINFO_DESCS_MASK 0x7ull
#define MSGINFO_LABEL_SHIFT 12

/* The label of what Recv returns when a bound notification fired. */
#define MSG_LABEL_NOTIFICATION ((1ull << 52) - 1)

static inline uint64_t msginfo_make(uint64_t label, uint64_t length)
{
    return (label << MSGINFO_LABEL_SHIFT) | (length & MSGINFO_LENGTH_MASK);
}

static inline uint64_t msginfo_with(uint64_t info, uint64_t caps, uint64_t descriptors)
{
    return info | ((caps & MSGINFO_CAPS_MASK) << MSGINFO_CAPS_SHIFT) |
           ((descriptors & MSGINFO_DESCS_MASK) << MSGINFO_DESCS_SHIFT);
}

static inline uint64_t msginfo_label(uint64_t info)
{
    return info >> MSGINFO_LABEL_SHIFT;
}

static inline uint64_t msginfo_length(uint64_t info)
{
    return info & MSGINFO_LENGTH_MASK;
}

static inline uint64_t msginfo_caps(uint64_t info)
{
    return (info >> MSGINFO_CAPS_SHIFT) & MSGINFO_CAPS_MASK;
}

static inline uint64_t msginfo_descriptors(uint64_t info)
{
    return (info >> MSGINFO_DESCS_SHIFT) & MSGINFO_DESCS_MASK;
}

/* A buffer descriptor: a range of the caller's memory that the server
 * holding the call's reply capability may read (DESC_READ) or write
 * (DESC_WRITE) with Reply_CopyFrom / Reply_CopyTo. */
#define DESC_READ 0x1ull
#define DESC_WRITE 0x2ull

typedef struct {
    uint64_t addr;
    uint64_t length;
    uint64_t flags;
} buffer_desc_t;

/* The IPC buffer: one 4 KiB frame bound to a thread by TCB_Configure.
 * mr[0..3] are unused (those registers travel in CPU registers). */
typedef struct {
    uint64_t mr[MSG_MAX_REGISTERS];
    uint64_t caps[MSG_MAX_CAPS]; /* CPtrs of the capabilities to send */
    uint64_t recv_slot;          /* where received capabilities land (0: nowhere) */
    uint64_t timeout_ns;         /* for Call, Recv and Wait: 0 waits for ever */
    buffer_desc_t descriptors[MSG_MAX_DESCRIPTORS]; /* what a Call lends its server */
    uint64_t reserved[4];
} ipc_buffer_t;

_Static_assert(sizeof(ipc_buffer_t) <= 2048, "IPC buffer leaves room for the upcall area");

/* The second half of the IPC buffer page: where TCB_Interrupt saves the
 * context of a thread it diverts to its personality's upcall entry, and
 * the word it sets when the thread is inside the runtime instead. */
#define UPCALL_AREA_OFFSET 2048

typedef struct {
    uint64_t pending;     /* set by TCB_Interrupt; the runtime clears it */
    uint64_t interrupted; /* 1 when `context` holds a diverted context */
    uint64_t context[20]; /* user_regs_t (uapi/registers.h) */
} upcall_area_t;

#endif
