/*
 * The notification bound to proc-server's main thread: a Signal on it ends
 * the thread's Recv (label MSG_LABEL_NOTIFICATION) or makes its next Recv
 * return at once. console-server signals it for terminal signals
 * (tty_signals.h), the watcher for a server's fault (server_watch.h); the
 * main thread then looks at both.
 */
#ifndef PROC_SERVER_WAKE_H
#define PROC_SERVER_WAKE_H

#include "capsule/server.h"

/* Creates the notification and binds it to proc-server's thread. 0 or
 * -errno. */
int wake_create(void);

/* A new slot with a capability that signals it (Write; CAP_NULL: none). */
cptr_t wake_signal_cap(void);

#endif
