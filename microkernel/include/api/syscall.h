/* The native system call dispatcher. */
#ifndef CAPSULE_API_SYSCALL_H
#define CAPSULE_API_SYSCALL_H

#include "object/tcb.h"

#include "uapi/fault.h"

/* Serves the system call whose registers are saved in `t`. */
void syscall_dispatch(tcb_t *t);

#endif
