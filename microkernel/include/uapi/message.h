/*
 * The message-info word and the IPC buffer.
 *
 * Message info: bits 0..6 the number of message registers, bits 12..63 the
 * label. Message registers 0..3 travel in CPU registers (see syscalls.h);
 * registers 4 and up are read from and written to the thread's IPC buffer.
 */
#ifndef CAPSULE_UAPI_MESSAGE_H
#define CAPSULE_UAPI_MESSAGE_H

#include <stdint.h>

#define MSG_REGISTERS_IN_CPU 4
#define MSG_MAX_REGISTERS 120

#define MSGINFO_LENGTH_MASK 0x7full
#define MSGINFO_LABEL_SHIFT 12

static inline uint64_t msginfo_make(uint64_t label, uint64_t length)
{
    return (label << MSGINFO_LABEL_SHIFT) | (length & MSGINFO_LENGTH_MASK);
}

static inline uint64_t msginfo_label(uint64_t info)
{
    return info >> MSGINFO_LABEL_SHIFT;
}

static inline uint64_t msginfo_length(uint64_t info)
{
    return info & MSGINFO_LENGTH_MASK;
}

/* The IPC buffer: one 4 KiB frame bound to a thread by TCB_Configure.
 * mr[0..3] are unused (those registers travel in CPU registers). */
typedef struct {
    uint64_t mr[MSG_MAX_REGISTERS];
    uint64_t reserved[8];
} ipc_buffer_t;

_Static_assert(sizeof(ipc_buffer_t) <= 4096, "IPC buffer fits in a page");

#endif
