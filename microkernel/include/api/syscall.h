/* The native system call dispatcher. */
#ifndef CAPSULE_API_SYSCALL_H
#define CAPSULE_API_SYSCALL_H

#include "object/tcb.h"

/* Fault vector reported for a system call no native number matches. */
#define FAULT_UNKNOWN_SYSCALL 0x100

/* Serves the system call whose registers are saved in `t`. */
void syscall_dispatch(tcb_t *t);

#endif
