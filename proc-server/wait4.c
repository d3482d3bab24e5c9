/* wait4: selecting a child in the caller's numbering, reporting and reaping it. */
#include "wait4.h"

#include <errno.h>
#include <limits.h>
#include <sys/wait.h>

#include "exit.h"

#define PROC_WAIT_THREAD_OPTIONS (PROC_WAIT_WNOTHREAD | PROC_WAIT_WALL | PROC_WAIT_WCLONE)
#define PROC_WAIT4_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | PROC_WAIT_THREAD_OPTIONS)
#define PROC_WAITID_OPTIONS                                                                        \
    (WNOHANG | WUNTRACED | WCONTINUED | PROC_WEXITED | PROC_WNOWAIT | PROC_WAIT_THREAD_OPTIONS)
/* What proc_wait accepts: wait4's options, or waitid's with its marks. */
#define PROC_WAIT_KNOWN_OPTIONS (PROC_WAITID_OPTIONS | PROC_WAIT_ID | PROC_WAIT_PGID)

bool proc_wait4_options_ok(int options)
{
    return (options & ~PROC_WAIT4_OPTIONS) == 0;
}

int proc_waitid_selector(int idtype, int id, int options, int *pid, int *wait_options)
{
    if ((options & ~PROC_WAITID_OPTIONS) != 0 ||
        (options & (PROC_WEXITED | WUNTRACED | WCONTINUED)) == 0) {
        return -EINVAL;
    }
    *wait_options = options | PROC_WAIT_ID;
    switch (idtype) {
    case PROC_P_ALL:
        *pid = -1;
        return 0;
    case PROC_P_PID:
        if (id <= 0) {
            return -EINVAL;
        }
        *pid = id;
        return 0;
    case PROC_P_PGID:
        if (id < 0) {
            return -EINVAL;
        }
        /* 0: the caller's group, as wait4's 0; otherwise exactly group id */
        *pid = -id;
        *wait_options |= id > 0 ? PROC_WAIT_PGID : 0;
        return 0;
    case PROC_P_PIDFD:
        return -EBADF;
    default:
        return -EINVAL;
    }
}

static bool wait_selects(const process_t *caller, const process_t *child, int pid, int options)
{
    if (options & PROC_WAIT_PGID) {
        return pid_entry_nr_in(child->pgrp, caller->scope) == -pid;
    }
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
        /* wait4 always reports exits; waitid only when asked to */
        *wstatus = child->exit_status;
        return !(options & PROC_WAIT_ID) || (options & PROC_WEXITED);
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

/* Reports child to the caller: reaps a zombie, or consumes a stop or continue
 * report; under waitid's WNOWAIT the child stays as it was, still waitable. */
static int wait_report(proc_table_t *tab, process_t *caller, process_t *child, int wstatus,
                       int options, proc_wait_ret_t *ret)
{
    bool consume = !(options & PROC_WNOWAIT);
    ret->pid = proc_pid_in(child, caller->scope);
    ret->wstatus = wstatus;
    ret->reaped = consume && child->state == PROC_ZOMBIE;
    ret->user_ns = ret->sys_ns = 0;
    if (!consume) {
        return ret->pid;
    }
    if (ret->reaped) {
        /* as Linux: only a child waited for adds to its parent's times */
        ret->user_ns = child->user_ns + child->child_user_ns;
        ret->sys_ns = child->sys_ns + child->child_sys_ns;
        caller->child_user_ns += ret->user_ns;
        caller->child_sys_ns += ret->sys_ns;
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
    bool waitid = (options & PROC_WAIT_ID) != 0;
    if (waitid ? (options & ~PROC_WAIT_KNOWN_OPTIONS) != 0 : !proc_wait4_options_ok(options)) {
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
        if (!wait_selects(caller, child, pid, options)) {
            continue;
        }
        matched = true;
        int wstatus;
        if (wait_ready(child, options, &wstatus)) {
            return wait_report(tab, caller, child, wstatus, options, ret);
        }
    }
    return matched ? 0 : -ECHILD;
}
