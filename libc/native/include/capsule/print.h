/* Formatted output of native programs, through the Debug capability. */
#ifndef CAPSULE_NATIVE_PRINT_H
#define CAPSULE_NATIVE_PRINT_H

#include "capsule/syscall.h"

/* Where print() writes: a Debug capability. */
void print_set_debug(cptr_t debug);

__attribute__((format(printf, 1, 2))) void print(const char *fmt, ...);

#endif
