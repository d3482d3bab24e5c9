/*
 * wait4: choosing which child to report, in the caller's numbering, and
 * reaping it. A process waits only for its own children (children are always
 * in its scope or below, so always visible to it).
 *
 * The model never blocks. proc_wait answers at once: a child reported, none
 * ready yet (the IPC layer answers 0 under WNOHANG, otherwise keeps the request
 * and calls proc_wait again when something may have changed: proc_exit names
 * the parent and the reaper to notify; after proc_stop or proc_continue it is
 * the stopped or continued process's parent), or no child matches at all.
 */
#ifndef PROC_WAIT4_H
#define PROC_WAIT4_H

#include <stdbool.h>

#include "process.h"

/* Linux's wait4 flags that need no threads and are accepted and ignored. */
#define PROC_WAIT_WNOTHREAD 0x20000000
#define PROC_WAIT_WALL 0x40000000
#define PROC_WAIT_WCLONE 0x80000000

/*
 * waitid(2) travels as a wait4 (pid, options) pair so that a deferred waitid
 * is kept and retried by the same code as a deferred wait4. Two bits above
 * Linux's own flags say so; a wait4 request never carries them
 * (proc_wait4_options_ok).
 *   PROC_WAIT_ID: waitid's options: exits are reported only under WEXITED,
 *     stops under WSTOPPED (= WUNTRACED), and WNOWAIT leaves the child
 *     waitable.
 *   PROC_WAIT_PGID: pid < 0 names exactly the group -pid (group 1 included),
 *     never "any child".
 */
#define PROC_WAIT_ID 0x00100000
#define PROC_WAIT_PGID 0x00200000

/* Linux's waitid idtypes and the options only waitid takes. */
#define PROC_P_ALL 0
#define PROC_P_PID 1
#define PROC_P_PGID 2
#define PROC_P_PIDFD 3
#define PROC_WEXITED 0x00000004
#define PROC_WNOWAIT 0x01000000

typedef struct proc_wait_ret {
    int pid;     /* the child, in the caller's numbering */
    int wstatus; /* exited, killed, stopped (WUNTRACED) or continued (WCONTINUED) */
    bool reaped; /* the child was a zombie and has been reaped */
    /* a reaped child's CPU time, its waited-for children's included (0
     * for other reports); added to the caller's children's time */
    uint64_t user_ns, sys_ns;
} proc_wait_ret_t;

/*
 * wait4(pid, options) for caller: pid > 0 that child, -1 any child, 0 any
 * child in caller's process group, < -1 any child in group -pid. Returns the
 * child's PID (> 0) with *ret filled; 0 when matching children exist but none
 * has anything to report; -ECHILD when none matches; -EINVAL for unknown
 * options; -ESRCH for pid == INT_MIN (as Linux). A reported zombie is reaped.
 */
int proc_wait(proc_table_t *tab, process_t *caller, int pid, int options, proc_wait_ret_t *ret);

/* Whether options are wait4's own (Linux: -EINVAL otherwise, WEXITED and
 * WNOWAIT included). */
bool proc_wait4_options_ok(int options);

/*
 * waitid(idtype, id, options) as proc_wait's (*pid, *wait_options), with
 * Linux's checks in Linux's order: unknown options or none of WEXITED,
 * WSTOPPED, WCONTINUED -EINVAL; P_PID with id <= 0 or P_PGID with id < 0
 * -EINVAL (P_PGID 0 is the caller's group); P_PIDFD -EBADF (no descriptor is
 * a pidfd here); any other idtype -EINVAL. Returns 0 when converted.
 */
int proc_waitid_selector(int idtype, int id, int options, int *pid, int *wait_options);

#endif
