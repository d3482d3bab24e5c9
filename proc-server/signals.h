/*
 * Signals as proc-server carries them out. Every signal goes through
 * signals_send_info, which reads the target's signal page (signal_rules.h):
 * default actions (terminate, stop, continue, ignore) proc-server performs
 * itself; a signal with a handler, or a blocked one, is marked pending in
 * the page, the target's signal notification is signalled (waking
 * sigsuspend, pause, sigtimedwait, nanosleep) and, when it can be
 * delivered now, the thread is interrupted (TCB_Interrupt): a blocked call
 * ends with KERR_CANCELLED, a thread in the program is diverted to the
 * runtime's upcall entry, which builds the handler's frame.
 */
#ifndef PROC_SERVER_SIGNALS_H
#define PROC_SERVER_SIGNALS_H

#include "process.h"
#include "protocol/signal_page.h"
#include "requests.h"

/* kill(2) from `caller`. */
int64_t signals_kill(process_t *caller, int pid, int sig);

/* Sends `sig` to one live process from `sender` (NULL: proc-server
 * itself, e.g. a terminal's ^C), as kill does for each of its targets:
 * si_code SI_USER with the sender's PID, or SI_KERNEL. */
void signals_send(process_t *sender, process_t *target, int sig);

/* Sends sig to target with `info` (si_code, si_pid in target's numbering,
 * ...), applying the rules of its signal page. `sender` (NULL: proc-server)
 * only decides whether a scope's PID 1 may receive it (kill_verdict). */
void signals_send_info(process_t *target, int sig, const signal_info_t *info,
                       const process_t *sender);

/* Carries out `sig`'s default action on `target`. */
void signals_default_action(process_t *target, int sig);

/* Whether `parent` reaps its children as they exit (SIGCHLD ignored, or
 * SA_NOCLDWAIT). */
bool signals_parent_autoreaps(const process_t *parent);

/* SIGCHLD to the parent of `child`, which has just stopped or continued
 * (wstatus), unless the parent set SA_NOCLDSTOP. */
void signals_notify_parent(process_t *child, int wstatus);

/* SIGCHLD's siginfo for `child` ending with wstatus (taken before the
 * child's record may be reaped), and its sending to `parent` once the zombie
 * is visible and wait4 answered (unless SIGCHLD is SIG_IGN). */
void signals_chld_info(const process_t *child, int wstatus, signal_info_t *info);
void signals_child_exited(process_t *parent, const signal_info_t *info);

/* The process whose request proc-server is serving (its global PID, 0: none):
 * it is never interrupted, since it is inside the runtime waiting for this
 * answer and checks its signal page before it returns to the program. */
void signals_set_requester(int global_pid);

/* Whether the request just served stopped its own sender (kill of itself or
 * its group with a stop signal): its thread is to be suspended once it has
 * its answer, since suspending it first would cancel the call. Clears the
 * flag. */
bool signals_requester_stops(void);

#endif
