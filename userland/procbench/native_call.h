/*
 * The cheapest native system call, made from a POSIX process: the reference
 * a Linux system call through the personality is compared with.
 */
#ifndef PROCBENCH_NATIVE_CALL_H
#define PROCBENCH_NATIVE_CALL_H

#include <stdint.h>

/* `Call` on the null capability (slot 0, empty in every CSpace): kernel
 * entry, CSpace lookup, an error reply. Returns the kernel's error code. */
int64_t native_null_call(void);

#endif
