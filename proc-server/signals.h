/*
 * Signals: kill and the default actions, which proc-server carries out
 * itself (terminate, stop, continue, ignore). Handled signals need the
 * signal page shared with the personality, which does not exist yet: until
 * then no process has a handler, and rt_sigaction is -ENOSYS.
 */
#ifndef PROC_SERVER_SIGNALS_H
#define PROC_SERVER_SIGNALS_H

#include "process.h"
#include "requests.h"

/* kill(2) from `caller` (NULL: proc-server itself). */
int64_t signals_kill(process_t *caller, int pid, int sig);

/* Sends `sig` to one live process from `sender` (NULL: proc-server
 * itself, e.g. a terminal's ^C), as kill does for each of its targets. */
void signals_send(process_t *sender, process_t *target, int sig);

/* Carries out `sig`'s default action on `target`. */
void signals_default_action(process_t *target, int sig);

#endif
