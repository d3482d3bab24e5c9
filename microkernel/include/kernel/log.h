/* The kernel log, on COM1: boot messages, faults and panics. */
#ifndef CAPSULE_KERNEL_LOG_H
#define CAPSULE_KERNEL_LOG_H

#include <stdarg.h>

__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
void klog_write(const char *s, unsigned long len);

#endif
