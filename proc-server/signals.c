#include "signals.h"

#include <errno.h>
#include <signal.h>

#include "exit.h"
#include "kill.h"
#include "lifecycle.h"

typedef enum { ACTION_TERMINATE, ACTION_IGNORE, ACTION_STOP, ACTION_CONTINUE } action_t;

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

static void stop(process_t *target, int sig)
{
    process_os_t *os = target->server_data;
    if (target->state == PROC_RUNNING) {
        tcb_suspend(os->task.tcb);
        proc_stop(target, sig);
        if (target->parent != NULL) {
            lifecycle_retry_wait(target->parent);
        }
    }
}

static void resume(process_t *target)
{
    process_os_t *os = target->server_data;
    if (target->state == PROC_STOPPED) {
        proc_continue(target);
        tcb_resume(os->task.tcb);
        if (target->parent != NULL) {
            lifecycle_retry_wait(target->parent);
        }
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

void signals_send(process_t *sender, process_t *target, int sig)
{
    /* no process has a handler yet: see signals.h */
    if (kill_verdict(sig, sender, target, false) == KILL_DELIVER) {
        signals_default_action(target, sig);
    }
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
    for (size_t i = 0; i < targets.count; i++) {
        process_t *t = proc_find_global(lifecycle_table(), targets.pids[i]);
        if (t != NULL && t->state != PROC_ZOMBIE && sig != 0) {
            signals_send(caller, t, sig);
        }
    }
    proc_pid_list_free(&targets);
    return 0;
}
