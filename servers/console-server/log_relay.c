/*
 * The kernel log on the console. At start-up console-server takes COM1 over
 * from the kernel (Debug_ReleaseConsole) and from then on prints the
 * kernel's ring itself, from the position the kernel had printed up to, so
 * no line is lost or shown twice. Debug_Write signals the notification it
 * handed over; the kernel's own messages are picked up by a periodic poll.
 */
#include <stdio.h>

#include "console.h"

#define LOG_CHUNK 1024

static uint64_t log_pos; /* the next byte of the kernel log to print */

int log_relay_start(cptr_t notification)
{
    kerr_t err = debug_release_console(CAP_INIT_DEBUG, notification, &log_pos);
    if (err != KERR_OK) {
        fprintf(stderr, "console-server: the kernel keeps COM1: %s\n", kerr_name(err));
        return -1;
    }
    return 0;
}

void log_relay_drain(console_t *c)
{
    char buf[LOG_CHUNK];
    for (;;) {
        debug_log_chunk_t chunk;
        if (debug_read_log(CAP_INIT_DEBUG, log_pos, buf, sizeof(buf), &chunk) != KERR_OK) {
            return;
        }
        if (chunk.first > log_pos) {
            char note[80];
            int n = snprintf(note, sizeof(note), "[%lu bytes of the kernel log lost]\n",
                             chunk.first - log_pos);
            console_print_raw(c, note, (size_t)n);
        }
        console_print_raw(c, buf, chunk.count);
        log_pos = chunk.first + chunk.count;
        if (chunk.count == 0 || log_pos >= chunk.end) {
            return;
        }
    }
}
