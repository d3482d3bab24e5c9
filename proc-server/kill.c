/* kill(2) target selection and the protection of each scope's PID 1. */
#include "kill.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>

#include "scope.h"

int kill_check_signal(int sig)
{
    return sig >= 0 && sig <= KILL_SIGNAL_MAX ? 0 : -EINVAL;
}

static bool kill_reaches(const process_t *caller, const process_t *proc, int pid,
                         const pid_entry_t *group)
{
    if (!proc_can_see(caller, proc)) {
        return false;
    }
    if (pid == -1) {
        return proc != caller && proc != caller->scope->init;
    }
    return proc->pgrp == group;
}

/* Collects every visible process that kill(pid) with pid <= 0 reaches. */
static int kill_select_many(const proc_table_t *tab, const process_t *caller, int pid,
                            const pid_entry_t *group, proc_pid_list_t *out)
{
    bool found = false;
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        if (!kill_reaches(caller, proc, pid, group)) {
            continue;
        }
        found = true;
        if (proc->state != PROC_ZOMBIE && proc_pid_list_add(out, proc_global_pid(proc)) < 0) {
            proc_pid_list_free(out);
            return -ENOMEM;
        }
    }
    return found ? 0 : -ESRCH;
}

int kill_select_group(const proc_table_t *tab, int pgrp, proc_pid_list_t *out)
{
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        if (proc->state == PROC_ZOMBIE || proc->pgrp->nrs[0].nr != pgrp) {
            continue;
        }
        if (proc_pid_list_add(out, proc_global_pid(proc)) < 0) {
            proc_pid_list_free(out);
            return -ENOMEM;
        }
    }
    return out->count > 0 ? 0 : -ESRCH;
}

int kill_select(const proc_table_t *tab, const process_t *caller, int pid, proc_pid_list_t *out)
{
    *out = (proc_pid_list_t){0};
    if (pid == INT_MIN) {
        return -ESRCH;
    }
    if (pid > 0) {
        const process_t *proc = proc_find(tab, caller->scope, pid);
        if (proc == NULL) {
            return -ESRCH;
        }
        return proc->state == PROC_ZOMBIE ? 0 : proc_pid_list_add(out, proc_global_pid(proc));
    }
    const pid_entry_t *group = NULL;
    if (pid == 0) {
        group = caller->pgrp;
    } else if (pid < -1) {
        group = pid_entry_find(&tab->pids, caller->scope, -pid);
        if (group == NULL) {
            return -ESRCH;
        }
    }
    return kill_select_many(tab, caller, pid, group, out);
}

/* Whether sender (NULL: proc-server) sits strictly above target's scope. */
static bool kill_from_ancestor(const process_t *sender, const process_t *target)
{
    if (sender == NULL) {
        return true;
    }
    return sender->scope != target->scope && scope_contains(sender->scope, target->scope);
}

kill_verdict_t kill_verdict(int sig, const process_t *sender, const process_t *target,
                            bool target_handles)
{
    if (sig == 0 || !proc_is_scope_init(target)) {
        return KILL_DELIVER;
    }
    bool unblockable = sig == SIGKILL || sig == SIGSTOP;
    if (target_handles && !unblockable) {
        return KILL_DELIVER;
    }
    if (target->scope->parent == NULL) {
        return KILL_DROP;
    }
    return unblockable && kill_from_ancestor(sender, target) ? KILL_DELIVER : KILL_DROP;
}
