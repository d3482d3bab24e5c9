/*
 * The POSIX runtime: a small image proc-server maps into every process (as
 * a vDSO is), which serves the program's Linux system calls locally or by
 * IPC to the servers.
 *
 * The image is linked at POSIX_RUNTIME_BASE; at POSIX_RUNTIME_HEADER, after
 * its ELF headers, a header tells proc-server how to install it.
 */
#ifndef CAPSULE_PROTOCOL_POSIX_RUNTIME_H
#define CAPSULE_PROTOCOL_POSIX_RUNTIME_H

#include <stdint.h>

#define POSIX_RUNTIME_BASE 0x7ff000000000ull
#define POSIX_RUNTIME_HEADER (POSIX_RUNTIME_BASE + 0x400)
#define POSIX_RUNTIME_MAGIC 0x31656d69746e7552ull /* "Runtime1" */

typedef struct {
    uint64_t magic;
    uint64_t syscall_entry; /* TCB_SetPersonality's entry */
    uint64_t upcall_entry;  /* and its upcall entry */
    uint64_t text_lo;       /* the runtime's code: [text_lo, text_hi) */
    uint64_t text_hi;
    uint64_t main_thread;       /* the GS base of the first thread */
    uint64_t user_access_lo;    /* the instructions that touch program memory: */
    uint64_t user_access_hi;    /* [lo, hi) */
    uint64_t user_access_fixup; /* where a fault there resumes (returning -EFAULT) */
    uint64_t fork_child;        /* where a forked child starts (its GS base as its parent's) */
    uint64_t fault_entry;       /* where a fault with a handler resumes (signal_page.h) */
} posix_runtime_header_t;

/* Slots of a process's CSpace after the CAP_INIT_* ones: its sessions with
 * the servers (endpoints badged for this process). */
enum {
    CAP_PROC_SESSION = 10,
    CAP_VFS_SESSION = 11,
    /* 12, 13: signal_page.h; 14: the debug capability (debug.h) */
    CAP_PROCESS_FIRST_FREE = 16,
};

/* The last CAP_PROGRAM_SLOTS slots of a process's CNode, after the range
 * the boot-info page gives the runtime (free_slots), belong to the program:
 * the client library (libc/capsule) receives the capabilities proc-server
 * hands out there. fork copies them like every slot past
 * CAP_PROCESS_FIRST_FREE; exec starts with none. */
#define CAP_PROGRAM_SLOTS 64u

#endif
