/*
 * Process groups and sessions: setpgid, getpgid, setsid, getsid, with the
 * checks and errno values of Linux (setpgid(2), setsid(2)). Every PID in and
 * out is in the caller's numbering; a group or session whose leader's PID the
 * caller cannot see reads as 0, as on Linux across PID namespaces.
 *
 * A group or session is named by the PID entry of the process that created it
 * (process_t.pgrp, .session) and lives as long as a member does, zombies
 * included: no PID can be reused while it still names one.
 */
#ifndef PROC_PGRP_H
#define PROC_PGRP_H

#include "process.h"

/*
 * setpgid(pid, pgid): pid 0 is the caller, pgid 0 means pgid = pid.
 * -EINVAL pgid < 0; -ESRCH pid is neither the caller nor one of its children
 * (or not visible); -EPERM the child is in another session, the target leads
 * its session, or pgid names no group of the caller's session; -EACCES the
 * child has called exec. Returns 0.
 */
int pgrp_setpgid(proc_table_t *tab, process_t *caller, int pid, int pgid);

/* getpgid(pid) and getsid(pid), pid 0 the caller: the ID, 0 if not visible, or -ESRCH. */
int pgrp_getpgid(const proc_table_t *tab, const process_t *caller, int pid);
int pgrp_getsid(const proc_table_t *tab, const process_t *caller, int pid);

/*
 * setsid(): the caller leads a new session and group. -EPERM when it already
 * leads a group, or a group with its PID still exists. Returns the new session
 * ID (the caller's PID). Detaching the controlling terminal is console-server's.
 */
int pgrp_setsid(proc_table_t *tab, process_t *caller);

#endif
