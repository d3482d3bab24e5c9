#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "exit.h"
#include "kill.h"
#include "lifecycle.h"
#include "signal_rules.h"

typedef enum { ACTION_TERMINATE, ACTION_IGNORE, ACTION_STOP, ACTION_CONTINUE } action_t;

static int requester;

void signals_set_requester(int global_pid)
{
    requester = global_pid;
}

/* signal(7)'s default dispositions ("core" terminates: no core files). */
static action_t default_action(int sig)
{
    switch (sig) {
    case SIGCHLD:
    case SIGURG:
    case SIGWINCH:
        return ACTION_IGNORE;
    case SIGSTOP:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
        return ACTION_STOP;
    case SIGCONT:
        return ACTION_CONTINUE;
    default:
        return ACTION_TERMINATE;
    }
}

static const signal_page_t *page_of(const process_t *proc)
{
    const process_os_t *os = proc->server_data;
    return os != NULL && proc->state != PROC_ZOMBIE ? os->signals.view : NULL;
}

static bool requester_stops;

bool signals_requester_stops(void)
{
    bool stops = requester_stops;
    requester_stops = false;
    return stops;
}

/* A blocked wait4 of `os` has just been cancelled (TCB_Interrupt or
 * TCB_Suspend deleted its reply capability): forget it. */
static void forget_wait(process_os_t *os)
{
    if (os->wait_reply != CAP_NULL) {
        cnode_delete(CAP_INIT_CNODE, os->wait_reply);
        slot_free(os->wait_reply);
        os->wait_reply = CAP_NULL;
    }
}

/* Suspending a thread cancels the call it is blocked in (it starts again
 * when the thread resumes, as Linux restarts a call a stop interrupted);
 * the requester's own call is answered first (signals_requester_stops). */
static void stop(process_t *target, int sig)
{
    process_os_t *os = target->server_data;
    if (target->state == PROC_RUNNING) {
        if (proc_global_pid(target) == requester) {
            requester_stops = true;
        } else {
            tcb_suspend(os->task.tcb);
            forget_wait(os);
        }
        proc_stop(target, sig);
        if (target->parent != NULL) {
            lifecycle_retry_wait(target->parent);
        }
        signals_notify_parent(target, proc_wstatus_stopped(sig));
    }
}

static void resume(process_t *target)
{
    process_os_t *os = target->server_data;
    if (target->state == PROC_STOPPED) {
        proc_continue(target);
        requester_stops = requester_stops && proc_global_pid(target) != requester;
        if (!os->held) { /* a held thread was never started: its start does that */
            tcb_resume(os->task.tcb);
        }
        if (target->parent != NULL) {
            lifecycle_retry_wait(target->parent);
        }
        signals_notify_parent(target, PROC_WSTATUS_CONTINUED);
    }
}

void signals_default_action(process_t *target, int sig)
{
    switch (default_action(sig)) {
    case ACTION_TERMINATE:
        lifecycle_terminate(target, proc_wstatus_signaled(sig, false));
        break;
    case ACTION_STOP:
        stop(target, sig);
        break;
    case ACTION_CONTINUE:
        resume(target);
        break;
    case ACTION_IGNORE:
        break;
    }
}

/* A signal is pending for target: wake whatever it waits on for signals,
 * and interrupt it when the signal can be delivered now. */
static void wake(process_t *target, bool deliver)
{
    process_os_t *os = target->server_data;
    if (os->task.pool == CAP_NULL) {
        return;
    }
    sys_signal(os->signals.notify);
    if (deliver && proc_global_pid(target) != requester && tcb_interrupt(os->task.tcb) == KERR_OK) {
        forget_wait(os);
    }
}

void signals_send_info(process_t *target, int sig, const signal_info_t *info,
                       const process_t *sender)
{
    if (target->state == PROC_ZOMBIE || sig <= 0 || sig > SIGNAL_COUNT) {
        return;
    }
    process_os_t *os = target->server_data;
    signal_page_t *page = os->task.pool != CAP_NULL ? os->signals.view : NULL;
    if (kill_verdict(sig, sender, target, signal_handles(page, sig)) == KILL_DROP) {
        return;
    }
    if (sig == SIGCONT) {
        resume(target); /* whatever its disposition, as Linux */
    }
    switch (signal_route(page, sig)) {
    case SIGNAL_DROP:
        break;
    case SIGNAL_ACT_DEFAULT:
        if (sig != SIGCONT) {
            signals_default_action(target, sig);
        }
        break;
    case SIGNAL_MAKE_PENDING:
        signal_mark_pending(page, sig, info);
        wake(target, false);
        break;
    case SIGNAL_DELIVER:
        signal_mark_pending(page, sig, info);
        wake(target, true);
        break;
    }
}

/* si_pid of a signal from sender (NULL: proc-server, 0) as target sees it. */
static signal_info_t info_from(const process_t *sender, const process_t *target, int code)
{
    signal_info_t info = {.code = code};
    if (sender != NULL) {
        info.pid = proc_pid_in(sender, target->scope);
    }
    return info;
}

void signals_send(process_t *sender, process_t *target, int sig)
{
    signal_info_t info = info_from(sender, target, sender != NULL ? SI_USER : SI_KERNEL);
    signals_send_info(target, sig, &info, sender);
}

int64_t signals_kill(process_t *caller, int pid, int sig)
{
    int err = kill_check_signal(sig);
    if (err != 0) {
        return err;
    }
    proc_pid_list_t targets = {0};
    if ((err = kill_select(lifecycle_table(), caller, pid, &targets)) != 0) {
        return err;
    }
    /* without the kill right, only its own process group may be signalled:
     * the others are skipped, and EPERM if none is left (as Linux) */
    size_t allowed = 0, denied = 0;
    for (size_t i = 0; i < targets.count; i++) {
        process_t *t = proc_find_global(lifecycle_table(), targets.pids[i]);
        if (t == NULL) {
            continue;
        }
        if ((caller->dropped & PROC_DROP_KILL) && t->pgrp != caller->pgrp) {
            denied++;
            continue;
        }
        allowed++;
        if (sig != 0) {
            signals_send(caller, t, sig);
        }
    }
    proc_pid_list_free(&targets);
    return allowed == 0 && denied > 0 ? -EPERM : 0;
}

bool signals_parent_autoreaps(const process_t *parent)
{
    return parent != NULL && signal_parent_autoreaps(page_of(parent));
}

/* SIGCHLD's si_code and si_status for a child's wait status. */
static void chld_info(int wstatus, signal_info_t *info)
{
    if (wstatus == PROC_WSTATUS_CONTINUED) {
        info->code = CLD_CONTINUED, info->status = SIGCONT;
    } else if (WIFEXITED(wstatus)) {
        info->code = CLD_EXITED, info->status = WEXITSTATUS(wstatus);
    } else if (WIFSTOPPED(wstatus)) {
        info->code = CLD_STOPPED, info->status = WSTOPSIG(wstatus);
    } else {
        info->code = WCOREDUMP(wstatus) ? CLD_DUMPED : CLD_KILLED;
        info->status = WTERMSIG(wstatus);
    }
}

void signals_chld_info(const process_t *child, int wstatus, signal_info_t *info)
{
    *info = (signal_info_t){0};
    if (child->parent != NULL) {
        info->pid = proc_pid_in(child, child->parent->scope);
    }
    chld_info(wstatus, info);
}

void signals_child_exited(process_t *parent, const signal_info_t *info)
{
    if (parent->state != PROC_ZOMBIE && signal_chld_on_exit(page_of(parent))) {
        signals_send_info(parent, SIGCHLD, info, NULL);
    }
}

void signals_notify_parent(process_t *child, int wstatus)
{
    process_t *parent = child->parent;
    if (parent == NULL || parent->state == PROC_ZOMBIE || !signal_chld_on_stop(page_of(parent))) {
        return;
    }
    signal_info_t info;
    signals_chld_info(child, wstatus, &info);
    signals_send_info(parent, SIGCHLD, &info, NULL);
}
