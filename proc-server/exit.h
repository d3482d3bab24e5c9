/*
 * Process exit, in the order notes/posix.md gives ("Process lifecycle"): the
 * IPC layer first stops the threads, cancels pending server requests and has
 * vfs-server close the descriptors; then proc_exit re-parents the children and
 * publishes the zombie; then the IPC layer sends SIGCHLD and wakes wait4,
 * which this module tells it to do (proc_exit_ret_t).
 *
 * Orphans go to the PID 1 of the exiting process's scope. When there is none
 * to take them — the exiting process is that PID 1, or its scope is stopped —
 * they are left without a parent, their zombies are reaped at once, and the
 * live ones will be when they exit (they are doomed anyway, see below).
 *
 * A scope's PID 1 exiting stops its scope (scope_stop with PID 1's status),
 * and a process exiting stops every scope it created and never registered
 * (a half-made container dies with its creator). Every live process of a
 * stopped scope or of a scope below one is doomed: when proc_exit says
 * kill_needed, the IPC layer kills each process of proc_collect_doomed() with
 * SIGKILL and calls proc_exit for each with proc_wstatus_signaled(SIGKILL).
 */
#ifndef PROC_EXIT_H
#define PROC_EXIT_H

#include <stdbool.h>

#include "process.h"

/* Wait statuses, as wait4 reports them. */
int proc_wstatus_exited(int code);
int proc_wstatus_signaled(int sig, bool core_dumped);
int proc_wstatus_stopped(int sig);
#define PROC_WSTATUS_CONTINUED 0xffff

typedef struct proc_exit_ret {
    process_t *notify_parent; /* send SIGCHLD (unless ignored) and retry its wait4; or NULL */
    process_t *notify_reaper; /* got zombie children: SIGCHLD and retry its wait4; or NULL */
    bool reaped;              /* the process was reaped (released) already: forget it */
    bool kill_needed;         /* a scope stopped: kill everything proc_collect_doomed lists */
} proc_exit_ret_t;

/*
 * Makes a live process a zombie with wait status wstatus; cannot fail. It
 * drops its hostname context, re-parents its children, stops its scope if it
 * is PID 1 and the scopes it owns, and is reaped at once when it has no parent
 * or parent_autoreaps (the parent set SIGCHLD to SIG_IGN or SA_NOCLDWAIT).
 */
void proc_exit(proc_table_t *tab, process_t *proc, int wstatus, bool parent_autoreaps,
               proc_exit_ret_t *ret);

/*
 * Forgets a process that never ran (its spawn failed after the model made
 * it): reaped at once, nobody told. Unlike an exit, a scope whose PID 1 it
 * was is not stopped: it is left as it was, so the next spawn into it
 * becomes its PID 1 (a runtime may try several paths).
 */
void proc_discard(proc_table_t *tab, process_t *proc);

/* The global PIDs of every live process of a stopped scope or below one; 0 or -ENOMEM. */
int proc_collect_doomed(const proc_table_t *tab, proc_pid_list_t *out);

#endif
