/*
 * The kernel log: COM1, polled. (A ring for Debug_ReadLog arrives when
 * console-server takes the UART over.)
 */
#include "kernel/log.h"

#include "arch/serial.h"
#include "kernel/format.h"

static void log_putc(char c, void *ctx)
{
    (void)ctx;
    serial_putc(c);
}

void kvprintf(const char *fmt, va_list ap)
{
    format_v(log_putc, NULL, fmt, ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void klog_write(const char *s, unsigned long len)
{
    for (unsigned long i = 0; i < len; i++) {
        serial_putc(s[i]);
    }
}
