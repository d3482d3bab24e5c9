/*
 * printf-style formatting shared by the kernel and the native user runtime.
 * Supports %d %i %u %x %X %p %s %c %% with the flags '-' and '0', a width,
 * and the length modifiers l, ll, z.
 */
#ifndef CAPSULE_KERNEL_FORMAT_H
#define CAPSULE_KERNEL_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_emit_t)(char c, void *ctx);

/* Formats through `emit`; returns the number of characters emitted. */
int format_v(format_emit_t emit, void *ctx, const char *fmt, va_list ap);

/* Formats into `buf` (always NUL-terminated when size > 0); returns the
 * length the full output would have had. */
int format_buf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
