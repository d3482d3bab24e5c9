/*
 * Helpers shared by the tests of proc-server's process model: building
 * processes and scopes in one line, failing the test on any error.
 */
#ifndef PROC_FIXTURE_H
#define PROC_FIXTURE_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "exit.h"
#include "hostname.h"
#include "process.h"
#include "scope.h"
#include "wait4.h"

static inline proc_table_t *fx_table(void)
{
    proc_table_t *tab = proc_table_create(0);
    assert_non_null(tab);
    return tab;
}

/* Spawns exe as a child of parent (NULL: proc-server's own) into scope (NULL: parent's). */
static inline process_t *fx_spawn(proc_table_t *tab, process_t *parent, scope_t *scope,
                                  const char *exe)
{
    const char *argv[] = {exe, NULL};
    proc_spawn_args_t args = {.parent = parent, .scope = scope, .exe = exe, .argv = argv};
    process_t *proc = NULL;
    assert_int_equal(proc_spawn(tab, &args, &proc), 0);
    return proc;
}

static inline process_t *fx_fork(proc_table_t *tab, process_t *parent)
{
    process_t *child = NULL;
    assert_int_equal(proc_fork(tab, parent, 0, NULL, &child), 0);
    return child;
}

/* A sub-scope of parent (NULL: creator's) created by creator; the test keeps the reference. */
static inline scope_t *fx_scope(proc_table_t *tab, process_t *creator, scope_t *parent)
{
    scope_t *scope = NULL;
    assert_int_equal(scope_create(tab, creator, parent, 0, &scope), 0);
    return scope;
}

/* Exits proc with code; returns what proc_exit reported. */
static inline proc_exit_ret_t fx_exit(proc_table_t *tab, process_t *proc, int code)
{
    proc_exit_ret_t ret;
    proc_exit(tab, proc, proc_wstatus_exited(code), false, &ret);
    return ret;
}

/* Kills every doomed process, as the IPC layer does after kill_needed; returns how many. */
static inline size_t fx_kill_doomed(proc_table_t *tab)
{
    proc_pid_list_t doomed;
    assert_int_equal(proc_collect_doomed(tab, &doomed), 0);
    for (size_t i = 0; i < doomed.count; i++) {
        process_t *proc = proc_find_global(tab, doomed.pids[i]);
        assert_non_null(proc);
        proc_exit_ret_t ret;
        proc_exit(tab, proc, proc_wstatus_signaled(SIGKILL, false), false, &ret);
    }
    size_t count = doomed.count;
    proc_pid_list_free(&doomed);
    return count;
}

/* Reaps child for parent with wait4(pid of child); returns its wait status. */
static inline int fx_reap(proc_table_t *tab, process_t *parent, process_t *child)
{
    int pid = proc_pid_in(child, parent->scope);
    proc_wait_ret_t ret;
    assert_int_equal(proc_wait(tab, parent, pid, WNOHANG, &ret), pid);
    assert_true(ret.reaped);
    return ret.wstatus;
}

#endif
