/*
 * The signals the terminal generates (^C, ^\, ^Z, SIGTTOU for a background
 * tcsetattr, SIGWINCH, SIGHUP) go to proc-server, which console-server may
 * not Call: each is put in the ring page proc-server shares with us and
 * proc-server's notification is signalled (protocol/tty_signal.h).
 */
#include <stdio.h>

#include "console.h"
#include "protocol/tty_signal.h"

#define PROC_SERVER_SIGNAL CAP_SERVER_ARG2

static volatile tty_signal_ring_t *const ring = (volatile tty_signal_ring_t *)TTY_SIGNAL_RING_VADDR;

void console_send_signals(const tty_events_t *ev)
{
    bool sent = false;
    for (unsigned i = 0; i < ev->count; i++) {
        tty_signal_entry_t s = {ev->signals[i].pgrp, ev->signals[i].signal};
        if (tty_signal_push(ring, s)) {
            sent = true;
        } else {
            fprintf(stderr, "console-server: signal %d for process group %d lost (ring full)\n",
                    s.signal, s.pgrp);
        }
    }
    if (sent) {
        sys_signal(PROC_SERVER_SIGNAL);
    }
}
