/* Process groups and sessions: the setpgid/setsid rules of Linux. */
#include "pgrp.h"

#include <errno.h>

/* Whether some process (zombies too) is in group, and in session unless it is NULL. */
static bool pgrp_has_member(const proc_table_t *tab, const pid_entry_t *group,
                            const pid_entry_t *session)
{
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        if (proc->pgrp == group && (session == NULL || proc->session == session)) {
            return true;
        }
    }
    return false;
}

/* The target of setpgid(pid) for caller, or NULL with *err set. */
static process_t *pgrp_setpgid_target(const proc_table_t *tab, process_t *caller, int pid, int *err)
{
    process_t *target = pid == 0 ? caller : proc_find(tab, caller->scope, pid);
    if (target == NULL) {
        *err = -ESRCH;
        return NULL;
    }
    if (target->parent == caller) {
        if (target->session != caller->session) {
            *err = -EPERM;
            return NULL;
        }
        if (target->execed) {
            *err = -EACCES;
            return NULL;
        }
    } else if (target != caller) {
        *err = -ESRCH;
        return NULL;
    }
    if (target->session == target->pid) {
        *err = -EPERM;
        return NULL;
    }
    return target;
}

int pgrp_setpgid(proc_table_t *tab, process_t *caller, int pid, int pgid)
{
    if (pgid < 0) {
        return -EINVAL;
    }
    int err = 0;
    process_t *target = pgrp_setpgid_target(tab, caller, pid, &err);
    if (target == NULL) {
        return err;
    }
    int target_pid = proc_pid_in(target, caller->scope);
    pid_entry_t *group = target->pid;
    if (pgid != 0 && pgid != target_pid) {
        group = pid_entry_find(&tab->pids, caller->scope, pgid);
        if (group == NULL || !pgrp_has_member(tab, group, caller->session)) {
            return -EPERM;
        }
    }
    pid_entry_get(group);
    pid_entry_put(&tab->pids, target->pgrp);
    target->pgrp = group;
    proc_changed(target);
    return 0;
}

static const process_t *pgrp_lookup(const proc_table_t *tab, const process_t *caller, int pid)
{
    return pid == 0 ? caller : proc_find(tab, caller->scope, pid);
}

int pgrp_getpgid(const proc_table_t *tab, const process_t *caller, int pid)
{
    const process_t *proc = pgrp_lookup(tab, caller, pid);
    return proc != NULL ? pid_entry_nr_in(proc->pgrp, caller->scope) : -ESRCH;
}

int pgrp_getsid(const proc_table_t *tab, const process_t *caller, int pid)
{
    const process_t *proc = pgrp_lookup(tab, caller, pid);
    return proc != NULL ? pid_entry_nr_in(proc->session, caller->scope) : -ESRCH;
}

int pgrp_setsid(proc_table_t *tab, process_t *caller)
{
    if (caller->pgrp == caller->pid || pgrp_has_member(tab, caller->pid, NULL)) {
        return -EPERM;
    }
    pid_entry_get(caller->pid);
    pid_entry_get(caller->pid);
    pid_entry_put(&tab->pids, caller->pgrp);
    pid_entry_put(&tab->pids, caller->session);
    caller->pgrp = caller->pid;
    caller->session = caller->pid;
    proc_changed(caller);
    return proc_getpid(caller);
}
