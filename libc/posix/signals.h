/*
 * Signals in the runtime: the Linux calls that read and write the signal
 * page (protocol/signal_page.h), the waits for signals, and delivery, which
 * builds Linux's rt_sigframe on the program's stack and leaves the runtime
 * into the handler.
 *
 * Delivery happens at three points, each leaving through runtime_resume:
 * the return of a system call (signals_on_return), an upcall after
 * TCB_Interrupt diverted the program (signal_upcall), and a fault proc-server
 * handed to a handler (signal_fault_upcall).
 */
#ifndef CAPSULE_POSIX_SIGNALS_H
#define CAPSULE_POSIX_SIGNALS_H

#include <stdbool.h>
#include <stdint.h>

#include "capsule/kernel.h"
#include "protocol/console.h"
#include "runtime.h"

/* What a call returns when its IPC was cancelled by TCB_Interrupt (Linux's
 * internal ERESTARTSYS; the program never sees it): on the way out it
 * becomes -EINTR, a restart (SA_RESTART and a call signal(7) restarts), or,
 * with nothing to deliver, a quiet restart. */
#define RUNTIME_ERESTART 512
/* console-server answers a background read with it (protocol/console.h) */
_Static_assert(RUNTIME_ERESTART == CONSOLE_ERESTART, "one restart code");

/* The result of a failed IPC to a server. The runtime's own messages are
 * well formed, so KERR_INVALID_ARGUMENT on a Call can only be the kernel
 * refusing a buffer the program lent that lies outside user space (a
 * non-canonical or kernel address): Linux says EFAULT. */
static inline int64_t runtime_ipc_error(kerr_t err)
{
    if (err == KERR_CANCELLED) {
        return -RUNTIME_ERESTART;
    }
    return err == KERR_INVALID_ARGUMENT ? -14 /* EFAULT */ : -5 /* EIO */;
}

/* The signal calls (rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, pause, rt_sigtimedwait, sigaltstack, nanosleep,
 * clock_nanosleep); -ENOSYS for any other number. */
int64_t signals_dispatch(const syscall_frame_t *f);

/* rt_sigreturn: restores the context of the frame at the program's rsp. */
_Noreturn void signals_sigreturn(void);

/* Whether a call that returned `result` is to be made again at once: its
 * IPC was cancelled and no handler is ready to run. */
bool signals_restart_quietly(int64_t result);

/* Before a system call returns: acts on pending signals and, when a handler
 * is to run, leaves into it (never returning); else returns `result`. */
int64_t signals_on_return(const syscall_frame_t *f, int64_t result);

/* Sets up the runtime on its first entry, whichever entry that is. */
void runtime_ensure_init(void);

#endif
