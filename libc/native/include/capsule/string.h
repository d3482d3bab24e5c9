/* The few string functions native programs need (no libc underneath). */
#ifndef CAPSULE_NATIVE_STRING_H
#define CAPSULE_NATIVE_STRING_H

#include "kernel/string.h"

#endif
