/*
 * The kernel log: boot messages, faults, panics and what Debug_Write
 * sends. Every byte goes into a 64 KiB ring that Debug_ReadLog reads; the
 * kernel also prints it on COM1 until a user-mode console takes the UART
 * over (Debug_ReleaseConsole), and again after a panic or a reclaim.
 */
#ifndef CAPSULE_KERNEL_LOG_H
#define CAPSULE_KERNEL_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/object.h"

#define KLOG_RING_BYTES 65536

__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
void klog_write(const char *s, unsigned long len);

/* Bytes logged since boot: the position the next byte will have. */
uint64_t klog_end(void);

/* Copies up to `max` bytes starting at position `pos` (<= klog_end()).
 * Bytes the ring no longer holds are skipped: `*first` is the position of
 * the first byte copied. Returns how many were copied. */
size_t klog_read(uint64_t pos, char *dst, size_t max, uint64_t *first);

/* The kernel stops writing COM1; `reader` (a notification capability, or
 * NULL) is signalled when Debug_Write adds to the log. Replaces an earlier
 * reader. */
void klog_release_serial(cte_t *reader);

/* The kernel writes COM1 again and forgets the reader. */
void klog_reclaim_serial(void);

/* Signals the reader, if the console was released to one. */
void klog_notify_reader(void);

/* For panics: back on COM1 at once, whatever user mode does with the UART. */
void klog_panic_mode(void);

#endif
