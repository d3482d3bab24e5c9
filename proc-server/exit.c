/* Exit: re-parenting, publishing the zombie, and the end of scopes. */
#include "exit.h"

#include <assert.h>
#include <errno.h>
#include <signal.h>

#include "hostname.h"
#include "scope.h"

int proc_wstatus_exited(int code)
{
    return (code & 0xff) << 8;
}

int proc_wstatus_signaled(int sig, bool core_dumped)
{
    return (sig & 0x7f) | (core_dumped ? 0x80 : 0);
}

int proc_wstatus_stopped(int sig)
{
    return ((sig & 0xff) << 8) | 0x7f;
}

/* Who adopts the children of proc: its scope's live PID 1, or nobody. */
static process_t *proc_find_reaper(const process_t *proc)
{
    const scope_t *scope = proc->scope;
    if (scope->state == SCOPE_STOPPED || scope->init == NULL || scope->init == proc ||
        scope->init->state == PROC_ZOMBIE) {
        return NULL;
    }
    return scope->init;
}

static void proc_reparent_children(proc_table_t *tab, process_t *proc, proc_exit_ret_t *ret)
{
    process_t *reaper = proc_find_reaper(proc);
    list_node_t *pos, *tmp;
    list_for_each_safe(pos, tmp, &proc->children)
    {
        process_t *child = list_entry(pos, process_t, sibling);
        list_remove(&child->sibling);
        child->parent = reaper;
        if (reaper != NULL) {
            list_add_tail(&reaper->children, &child->sibling);
            if (child->state == PROC_ZOMBIE) {
                ret->notify_reaper = reaper;
            }
        } else if (child->state == PROC_ZOMBIE) {
            proc_reap(tab, child);
            continue;
        }
        proc_changed(child); /* a new PPID */
    }
}

/* Stops the never-registered scopes owned by owner, in the subtree of scope. */
static bool scope_stop_owned(scope_t *scope, const process_t *owner)
{
    bool stopped = false;
    list_node_t *pos;
    list_for_each(pos, &scope->children)
    {
        scope_t *child = list_entry(pos, scope_t, sibling);
        if (child->owner == owner && !child->registered) {
            stopped |= scope_stop(child, proc_wstatus_signaled(SIGKILL, false));
        }
        stopped |= scope_stop_owned(child, owner);
    }
    return stopped;
}

void proc_exit(proc_table_t *tab, process_t *proc, int wstatus, bool parent_autoreaps,
               proc_exit_ret_t *ret)
{
    assert(proc->state != PROC_ZOMBIE);
    *ret = (proc_exit_ret_t){0};
    if (proc_is_scope_init(proc)) {
        ret->kill_needed |= scope_stop(proc->scope, wstatus);
    }
    /* a joined container ends with its first process, as one ends with its
     * PID 1: the rest of its processes are doomed (scope.h) */
    if (proc->joined != NULL && proc->joined->init == proc) {
        ret->kill_needed |= scope_stop(proc->joined, wstatus);
    }
    /* A process can only have created scopes it can see: below its own. */
    if (proc->owned_scopes > 0) {
        ret->kill_needed |= scope_stop_owned(proc->scope, proc);
    }
    proc_reparent_children(tab, proc, ret);
    hostname_put(proc->hostname);
    proc->hostname = NULL;
    proc->state = PROC_ZOMBIE;
    proc->exit_status = wstatus;
    proc->stop_unreported = false;
    proc->continue_unreported = false;
    proc_changed(proc);
    ret->notify_parent = proc->parent;
    if (proc->parent == NULL || parent_autoreaps) {
        proc_reap(tab, proc);
        ret->reaped = true;
    }
}

int proc_collect_doomed(const proc_table_t *tab, proc_pid_list_t *out)
{
    *out = (proc_pid_list_t){0};
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        bool dying =
            scope_is_dying(proc->scope) || (proc->joined != NULL && scope_is_dying(proc->joined));
        if (proc->state != PROC_ZOMBIE && dying &&
            proc_pid_list_add(out, proc_global_pid(proc)) < 0) {
            proc_pid_list_free(out);
            return -ENOMEM;
        }
    }
    return 0;
}

void proc_discard(proc_table_t *tab, process_t *proc)
{
    assert(list_empty(&proc->children) && proc->state != PROC_ZOMBIE);
    scope_t *scope = proc->scope;
    scope_get(scope); /* the reap may drop what holds it */
    hostname_put(proc->hostname);
    proc->hostname = NULL;
    proc->state = PROC_ZOMBIE;
    proc->exit_status = proc_wstatus_signaled(SIGKILL, false);
    proc_reap(tab, proc);
    if (scope->count == 0) {
        scope->next_nr = 1; /* PID 1 again for the next try */
    }
    scope_put(scope);
}
