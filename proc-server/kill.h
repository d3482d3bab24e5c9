/*
 * kill(2): which processes a kill reaches, in the caller's numbering, and
 * whether a signal may reach a scope's PID 1. Delivering it (default actions,
 * the signal page, SIGCHLD on stop/continue) is the IPC layer's.
 *
 * A caller reaches only what it sees: processes of its scope and below; any
 * other PID or group is ESRCH, never EPERM, so nothing outside leaks. There
 * are no users, so no permission check beyond that.
 *
 * The kill goes in two steps: kill_select() lists the targets, then for each
 * the IPC layer asks kill_verdict() — which needs to know whether the target
 * handles the signal, something only its signal page says — and drops the
 * signal silently (kill still succeeds) when told so.
 */
#ifndef PROC_KILL_H
#define PROC_KILL_H

#include <stdbool.h>

#include "process.h"

#define KILL_SIGNAL_MAX 64

/* 0 for a signal number kill accepts (0 tests existence, up to 64), else -EINVAL. */
int kill_check_signal(int sig);

/*
 * The targets of kill(pid) sent by caller: pid > 0 that process; 0 caller's
 * process group; -1 every process caller sees except itself and its scope's
 * PID 1; < -1 process group -pid. Only visible processes, zombies left out
 * (signalling one succeeds and does nothing). Returns 0 with the global PIDs
 * in *out (possibly empty when only zombies matched), -ESRCH when nothing
 * matched (and for pid == INT_MIN), -ENOMEM. The caller frees *out.
 */
int kill_select(const proc_table_t *tab, const process_t *caller, int pid, proc_pid_list_t *out);

/*
 * The live members of the process group whose leader's global PID is
 * pgrp, for a signal from proc-server itself (a terminal's ^C): -ESRCH
 * when the group has none, -ENOMEM. The caller frees *out.
 */
int kill_select_group(const proc_table_t *tab, int pgrp, proc_pid_list_t *out);

typedef enum kill_verdict {
    KILL_DELIVER,
    KILL_DROP,
} kill_verdict_t;

/*
 * Whether sig from sender (NULL: proc-server itself, e.g. a container kill
 * through a scope capability, or a terminal's ^C) may reach target. Only a
 * scope's PID 1 is protected: it gets signals it handles (target_handles: a
 * handler is installed, or the signal is blocked and so waits in its pending
 * set, as Linux queues it); signals it does not handle are dropped, except
 * SIGKILL and SIGSTOP from an ancestor scope or proc-server; the root scope's
 * PID 1 gets only signals it handles, so it never dies by a signal. Signal 0
 * is always KILL_DELIVER (an existence test). Synchronous faults are not
 * signals sent: the fault handler kills a faulting process without asking.
 */
kill_verdict_t kill_verdict(int sig, const process_t *sender, const process_t *target,
                            bool target_handles);

#endif
