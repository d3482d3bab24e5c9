/* wait4: selecting a child in the caller's numbering, reporting and reaping it. */
#include "wait4.h"

#include <errno.h>
#include <limits.h>
#include <sys/wait.h>

#include "exit.h"

#define PROC_WAIT_KNOWN_OPTIONS                                                                    \
    (WNOHANG | WUNTRACED | WCONTINUED | PROC_WAIT_WNOTHREAD | PROC_WAIT_WALL | PROC_WAIT_WCLONE)

static bool wait_selects(const process_t *caller, const process_t *child, int pid)
{
    if (pid > 0) {
        return proc_pid_in(child, caller->scope) == pid;
    }
    if (pid == -1) {
        return true;
    }
    if (pid == 0) {
        return child->pgrp == caller->pgrp;
    }
    return pid_entry_nr_in(child->pgrp, caller->scope) == -pid;
}

/* Whether child has something to report under options; if so, its wait status. */
static bool wait_ready(const process_t *child, int options, int *wstatus)
{
    if (child->state == PROC_ZOMBIE) {
        *wstatus = child->exit_status;
        return true;
    }
    if ((options & WUNTRACED) && child->state == PROC_STOPPED && child->stop_unreported) {
        *wstatus = proc_wstatus_stopped(child->stop_signal);
        return true;
    }
    if ((options & WCONTINUED) && child->continue_unreported) {
        *wstatus = PROC_WSTATUS_CONTINUED;
        return true;
    }
    return false;
}

/* Reports child to the caller: reaps a zombie, or consumes a stop or continue report. */
static int wait_report(proc_table_t *tab, process_t *caller, process_t *child, int wstatus,
                       proc_wait_ret_t *ret)
{
    ret->pid = proc_pid_in(child, caller->scope);
    ret->wstatus = wstatus;
    ret->reaped = child->state == PROC_ZOMBIE;
    if (ret->reaped) {
        proc_reap(tab, child);
    } else if (child->state == PROC_STOPPED) {
        child->stop_unreported = false;
    } else {
        child->continue_unreported = false;
    }
    return ret->pid;
}

int proc_wait(proc_table_t *tab, process_t *caller, int pid, int options, proc_wait_ret_t *ret)
{
    if (options & ~PROC_WAIT_KNOWN_OPTIONS) {
        return -EINVAL;
    }
    if (pid == INT_MIN) {
        return -ESRCH;
    }
    bool matched = false;
    list_node_t *pos;
    list_for_each(pos, &caller->children)
    {
        process_t *child = list_entry(pos, process_t, sibling);
        if (!wait_selects(caller, child, pid)) {
            continue;
        }
        matched = true;
        int wstatus;
        if (wait_ready(child, options, &wstatus)) {
            return wait_report(tab, caller, child, wstatus, ret);
        }
    }
    return matched ? 0 : -ECHILD;
}
