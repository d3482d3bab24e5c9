/*
 * The kernel log: a ring of the last 64 KiB, and COM1 (polled) while the
 * kernel owns the UART. console-server takes the UART over at boot and then
 * prints the ring itself; a panic writes COM1 directly regardless.
 */
#include "kernel/log.h"

#include "arch/serial.h"
#include "kernel/cap.h"
#include "kernel/format.h"
#include "object/notification.h"

static char ring[KLOG_RING_BYTES];
static uint64_t log_end;     /* bytes logged since boot */
static bool serial_released; /* a user-mode console owns COM1 */
static cte_t reader;         /* the console's notification, while released */

static void log_putc(char c, void *ctx)
{
    (void)ctx;
    ring[log_end % KLOG_RING_BYTES] = c;
    log_end++;
    if (!serial_released) {
        serial_putc(c);
    }
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
        log_putc(s[i], NULL);
    }
}

uint64_t klog_end(void)
{
    return log_end;
}

size_t klog_read(uint64_t pos, char *dst, size_t max, uint64_t *first)
{
    uint64_t oldest = log_end > KLOG_RING_BYTES ? log_end - KLOG_RING_BYTES : 0;
    if (pos < oldest) {
        pos = oldest;
    }
    size_t n = log_end - pos < max ? (size_t)(log_end - pos) : max;
    for (size_t i = 0; i < n; i++) {
        dst[i] = ring[(pos + i) % KLOG_RING_BYTES];
    }
    *first = pos;
    return n;
}

void klog_release_serial(cte_t *notification)
{
    if (!serial_released) {
        kprintf("log: COM1 handed over; the log goes on in the ring\n");
    }
    cte_delete(&reader);
    if (notification != NULL) {
        cte_insert(&reader, notification->cap, notification);
    }
    serial_released = true;
}

void klog_reclaim_serial(void)
{
    cte_delete(&reader);
    if (serial_released) {
        serial_released = false;
        kprintf("log: COM1 taken back\n");
    }
}

void klog_notify_reader(void)
{
    if (!cte_is_empty(&reader)) {
        notification_signal((notification_t *)reader.cap.obj, reader.cap.badge);
    }
}

/* No slot operations here: a panic may come from inside them. */
void klog_panic_mode(void)
{
    serial_released = false;
}
