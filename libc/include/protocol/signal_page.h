/*
 * The signal page: one frame per process, mapped read-write in the POSIX
 * runtime's range of the process (SIGNAL_PAGE_VADDR) and in proc-server.
 *
 * The runtime writes the dispositions and the blocked mask; proc-server
 * writes the pending set (and each pending signal's info) and acts only on
 * what the page says: a default action, a drop, or marking the signal
 * pending and interrupting the thread (TCB_Interrupt) to deliver it.
 *
 * Who writes what, so that no lock is needed:
 *   actions[], blocked      the runtime only (proc-server reads them; fork
 *                           and exec copy them while the process waits)
 *   info[sig-1]             proc-server, only while sig's pending bit is clear
 *   pending                 proc-server sets bits (lock or), the runtime
 *                           clears them (lock and) after reading info
 *   fault                   proc-server, while the thread is stopped in a
 *                           fault; the runtime's fault entry reads it
 *
 * Signal n is bit n-1 of a mask, as in Linux's 64-bit sigset_t.
 */
#ifndef CAPSULE_PROTOCOL_SIGNAL_PAGE_H
#define CAPSULE_PROTOCOL_SIGNAL_PAGE_H

#include <stdint.h>

#include "uapi/registers.h"

/* Inside the runtime's range [POSIX_RUNTIME_BASE, BOOTINFO_VADDR), where
 * mmap never places anything. */
#define SIGNAL_PAGE_VADDR 0x7ff0f0000000ull
#define SIGNAL_PAGE_MAGIC 0x316c616e676953ull /* "Signal1" */

/* Slots of a process's CSpace (after its sessions, see posix_runtime.h):
 * the signal page's frame and the notification proc-server signals
 * whenever it makes a signal pending (what sigsuspend, pause,
 * sigtimedwait and nanosleep wait on). */
enum {
    CAP_SIGNAL_PAGE = 12,
    CAP_SIGNAL_NOTIFY = 13,
};

#define SIGNAL_COUNT 64
#define SIGNAL_BIT(sig) (1ull << ((sig)-1))

/* handler values that are not addresses (Linux's SIG_DFL, SIG_IGN) */
#define SIGNAL_HANDLER_DEFAULT 0ull
#define SIGNAL_HANDLER_IGNORE 1ull

/* One signal's disposition: Linux's struct k_sigaction, field for field. */
typedef struct {
    uint64_t handler;
    uint64_t flags; /* SA_* */
    uint64_t restorer;
    uint64_t mask; /* sa_mask */
} signal_action_t;

/* What the siginfo of a pending signal says. */
typedef struct {
    int32_t code;   /* si_code: SI_USER, SI_TKILL, CLD_* ... */
    int32_t pid;    /* si_pid, in the receiver's numbering */
    int32_t status; /* SIGCHLD: si_status */
    int32_t reserved;
    uint64_t addr; /* faults: si_addr */
} signal_info_t;

/* A synchronous fault proc-server hands to the handler: the faulting
 * context and what Linux puts in sigcontext and siginfo. */
typedef struct {
    uint64_t valid; /* 1 from proc-server's reply until the runtime took it */
    int32_t sig;
    int32_t code;
    uint64_t addr;   /* si_addr and cr2 */
    uint64_t trapno; /* the vector */
    uint64_t error;  /* the error code */
    user_regs_t regs;
} signal_fault_t;

typedef struct {
    uint64_t magic;
    uint64_t blocked; /* the runtime's; SIGKILL and SIGSTOP never set */
    uint64_t pending; /* set by proc-server, taken by the runtime */
    uint64_t reserved;
    signal_action_t actions[SIGNAL_COUNT]; /* actions[sig - 1] */
    signal_info_t info[SIGNAL_COUNT];      /* info[sig - 1], valid while pending */
    signal_fault_t fault;
} signal_page_t;

_Static_assert(sizeof(signal_page_t) <= 4096, "the signal page is one page");

#endif
