/* The IPC fast path (kernel/fastpath.c). */
#ifndef CAPSULE_KERNEL_FASTPATH_H
#define CAPSULE_KERNEL_FASTPATH_H

#include "arch/trap.h"
#include "object/tcb.h"

/* False with `nofastpath` on the kernel command line. */
extern bool fastpath_enabled;

/* Each serves the system call of the current thread `t` completely,
 * leaving the next thread's frame in `f`, or returns false having changed
 * nothing. */
bool fastpath_call(tcb_t *t, trap_frame_t *f);
bool fastpath_reply_recv(tcb_t *t, trap_frame_t *f);

#endif
