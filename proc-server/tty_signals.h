/*
 * Terminal signals: console-server's ^C, ^\ and ^Z, and the job-control
 * signals of its tty ioctls, reach proc-server through the ring page of
 * protocol/tty_signal.h and the notification bound to proc-server's thread
 * (wake.h).
 */
#ifndef PROC_SERVER_TTY_SIGNALS_H
#define PROC_SERVER_TTY_SIGNALS_H

#include "capsule/server.h"
#include "task.h"

/* Creates the ring page (mapped into proc-server). 0 or -errno. */
int tty_signals_create(void);

/* A new slot with a capability that signals proc-server (CAP_NULL: none). */
cptr_t tty_signals_signal_cap(void);

/* Maps the ring read-write into task t (console-server). */
int tty_signals_share(task_t *t);

/* The notification fired: sends every waiting entry's signal to its group. */
void tty_signals_drain(void);

#endif
