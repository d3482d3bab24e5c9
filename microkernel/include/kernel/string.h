/*
 * The kernel's memory and string primitives (lib/string.c). The prototypes
 * match <string.h> so host unit tests can let libc supply them instead.
 */
#ifndef CAPSULE_KERNEL_STRING_H
#define CAPSULE_KERNEL_STRING_H

#include <stddef.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *restrict dest, const void *restrict src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

#endif
