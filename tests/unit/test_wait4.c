/* proc-server's exit and wait4: statuses, selection in the caller's numbering, re-parenting. */
#include <errno.h>
#include <limits.h>

#include "pgrp.h"
#include "proc_fixture.h"

static void test_wait_statuses(void **state)
{
    (void)state;
    assert_int_equal(proc_wstatus_exited(3), 0x300);
    assert_int_equal(proc_wstatus_exited(256 + 4), 0x400);
    assert_int_equal(proc_wstatus_signaled(SIGKILL, false), 9);
    assert_int_equal(proc_wstatus_signaled(SIGSEGV, true), 11 | 0x80);
    assert_int_equal(proc_wstatus_stopped(SIGTSTP), (SIGTSTP << 8) | 0x7f);
    /* the encodings the C library decodes */
    int status = proc_wstatus_exited(42);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 42);
    status = proc_wstatus_signaled(SIGTERM, false);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    status = proc_wstatus_stopped(SIGSTOP);
    assert_true(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
    assert_true(WIFCONTINUED(PROC_WSTATUS_CONTINUED));
}

static void test_wait_any_and_nohang(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    proc_wait_ret_t ret;
    assert_int_equal(proc_wait(tab, init, -1, 0, &ret), -ECHILD);
    process_t *a = fx_fork(tab, init);
    process_t *b = fx_fork(tab, init);
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG, &ret), 0);
    assert_int_equal(proc_wait(tab, init, -1, 0, &ret), 0); /* would block */
    proc_exit_ret_t exit_ret = fx_exit(tab, b, 5);
    assert_ptr_equal(exit_ret.notify_parent, init);
    assert_false(exit_ret.reaped);
    assert_int_equal(b->state, PROC_ZOMBIE);
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG, &ret), 3);
    assert_int_equal(ret.wstatus, proc_wstatus_exited(5));
    assert_true(ret.reaped);
    assert_null(proc_find_global(tab, 3));
    /* a given child that is not ours, or no longer exists */
    assert_int_equal(proc_wait(tab, a, -1, WNOHANG, &ret), -ECHILD);
    assert_int_equal(proc_wait(tab, init, 3, WNOHANG, &ret), -ECHILD);
    assert_int_equal(proc_wait(tab, init, 1, WNOHANG, &ret), -ECHILD);
    assert_int_equal(proc_wait(tab, init, 2, WNOHANG, &ret), 0);
    assert_int_equal(proc_wait(tab, init, -1, 0x4, &ret), -EINVAL);
    assert_int_equal(proc_wait(tab, init, INT_MIN, 0, &ret), -ESRCH);
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG | PROC_WAIT_WALL, &ret), 0);
    proc_table_destroy(tab);
}

/* A reaped child's CPU time, its own waited-for children's included, is
 * reported and added to the waiter's; a WNOWAIT peek or a child nobody
 * waits for adds nothing (as Linux). */
static void test_wait_cpu_time(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *a = fx_fork(tab, init);
    process_t *b = fx_fork(tab, a);
    b->user_ns = 30, b->sys_ns = 4;
    fx_exit(tab, b, 0);
    proc_wait_ret_t ret;
    assert_int_equal(proc_wait(tab, a, -1, WNOHANG, &ret), 3);
    assert_true(ret.user_ns == 30 && ret.sys_ns == 4);
    assert_true(a->child_user_ns == 30 && a->child_sys_ns == 4);
    a->user_ns = 200, a->sys_ns = 10;
    fx_exit(tab, a, 0);
    int options = WNOHANG | PROC_WAIT_ID | PROC_WEXITED | PROC_WNOWAIT;
    assert_int_equal(proc_wait(tab, init, -1, options, &ret), 2);
    assert_true(ret.user_ns == 0 && ret.sys_ns == 0);
    assert_true(init->child_user_ns == 0);
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG, &ret), 2);
    assert_true(ret.user_ns == 230 && ret.sys_ns == 14);
    assert_true(init->child_user_ns == 230 && init->child_sys_ns == 14);
    proc_table_destroy(tab);
}

/* Inside a scope, wait4 takes and returns the scope's numbers. */
static void test_wait_in_callers_numbering(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    fx_fork(tab, init);
    scope_t *s = fx_scope(tab, init, NULL);
    process_t *c1 = fx_spawn(tab, init, s, "/bin/sh");
    process_t *c2 = fx_fork(tab, c1);
    assert_int_equal(proc_global_pid(c2), 4);
    assert_int_equal(proc_getpid(c2), 2);
    fx_exit(tab, c2, 9);
    proc_wait_ret_t ret;
    assert_int_equal(proc_wait(tab, c1, 4, WNOHANG, &ret), -ECHILD); /* the global number */
    assert_int_equal(proc_wait(tab, c1, 2, WNOHANG, &ret), 2);
    assert_int_equal(ret.wstatus, proc_wstatus_exited(9));
    /* the host waits for the container's PID 1 under its own number */
    fx_exit(tab, c1, 1);
    assert_int_equal(proc_wait(tab, init, 1, WNOHANG, &ret), -ECHILD);
    assert_int_equal(proc_wait(tab, init, 3, WNOHANG, &ret), 3);
    scope_put(s);
    proc_table_destroy(tab);
}

static void test_wait_by_group(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *sh = fx_fork(tab, init);
    process_t *same_group = fx_fork(tab, sh);
    process_t *job = fx_fork(tab, sh);
    assert_int_equal(pgrp_setpgid(tab, sh, proc_getpid(job), 0), 0);
    fx_exit(tab, same_group, 1);
    fx_exit(tab, job, 2);
    proc_wait_ret_t ret;
    /* -pgid: only the job */
    int job_pid = proc_getpid(job);
    assert_int_equal(proc_wait(tab, sh, -job_pid, WNOHANG, &ret), job_pid);
    assert_int_equal(ret.wstatus, proc_wstatus_exited(2));
    assert_int_equal(proc_wait(tab, sh, -job_pid, WNOHANG, &ret), -ECHILD);
    /* 0: the caller's own group */
    int pid = proc_getpid(same_group);
    assert_int_equal(proc_wait(tab, sh, 0, WNOHANG, &ret), pid);
    assert_int_equal(proc_wait(tab, sh, 0, WNOHANG, &ret), -ECHILD);
    proc_table_destroy(tab);
}

static void test_wait_stopped_and_continued(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = fx_fork(tab, init);
    proc_stop(child, SIGTSTP);
    assert_int_equal(child->state, PROC_STOPPED);
    proc_wait_ret_t ret;
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG, &ret), 0); /* not without WUNTRACED */
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG | WUNTRACED, &ret), 2);
    assert_int_equal(ret.wstatus, proc_wstatus_stopped(SIGTSTP));
    assert_false(ret.reaped);
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG | WUNTRACED, &ret), 0); /* reported once */
    proc_continue(child);
    assert_int_equal(child->state, PROC_RUNNING);
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG | WUNTRACED, &ret), 0);
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG | WCONTINUED, &ret), 2);
    assert_int_equal(ret.wstatus, PROC_WSTATUS_CONTINUED);
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG | WCONTINUED, &ret), 0);
    proc_table_destroy(tab);
}

static void test_orphans_go_to_scope_init(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *s = fx_scope(tab, init, NULL);
    process_t *c1 = fx_spawn(tab, init, s, "/bin/sh");
    process_t *c2 = fx_fork(tab, c1);
    process_t *c3 = fx_fork(tab, c2);
    process_t *c4 = fx_fork(tab, c2);
    fx_exit(tab, c4, 4); /* a zombie when its parent goes */
    proc_exit_ret_t ret = fx_exit(tab, c2, 0);
    assert_ptr_equal(ret.notify_parent, c1);
    assert_ptr_equal(ret.notify_reaper, c1);
    assert_false(ret.kill_needed);
    assert_ptr_equal(c3->parent, c1);
    assert_int_equal(proc_getppid(c3), 1); /* the container's init, not the host's */
    assert_ptr_equal(c4->parent, c1);
    proc_wait_ret_t wret;
    int c4_pid = proc_getpid(c4);
    assert_int_equal(proc_wait(tab, c1, c4_pid, WNOHANG, &wret), c4_pid);
    assert_int_equal(wret.wstatus, proc_wstatus_exited(4));

    /* in the root scope, to the host's init */
    process_t *h1 = fx_fork(tab, init);
    process_t *h2 = fx_fork(tab, h1);
    ret = fx_exit(tab, h1, 0);
    assert_null(ret.notify_reaper);
    assert_ptr_equal(h2->parent, init);
    assert_int_equal(proc_getppid(h2), 1);
    scope_put(s);
    proc_table_destroy(tab);
}

static void test_autoreap_and_parentless(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = fx_fork(tab, init);
    int gpid = proc_global_pid(child);
    proc_exit_ret_t ret;
    proc_exit(tab, child, proc_wstatus_exited(0), true, &ret);
    assert_true(ret.reaped);
    assert_ptr_equal(ret.notify_parent, init);
    assert_null(proc_find_global(tab, gpid));
    proc_wait_ret_t wret;
    assert_int_equal(proc_wait(tab, init, -1, WNOHANG, &wret), -ECHILD);
    /* the root init's own exit: nobody to wait, everything doomed */
    process_t *other = fx_fork(tab, init);
    ret = fx_exit(tab, init, 0);
    assert_true(ret.reaped);
    assert_true(ret.kill_needed);
    assert_null(other->parent);
    assert_int_equal(fx_kill_doomed(tab), 1);
    assert_true(list_empty(&tab->procs));
    proc_table_destroy(tab);
}

/* waitid's selector checks, in Linux's order and with Linux's errors. */
static void test_waitid_selector(void **state)
{
    (void)state;
    int pid = 42, options = 42;
    assert_int_equal(proc_waitid_selector(PROC_P_ALL, 0, WNOHANG, &pid, &options), -EINVAL);
    assert_int_equal(proc_waitid_selector(PROC_P_ALL, 0, PROC_WEXITED | 0x10, &pid, &options),
                     -EINVAL);
    assert_int_equal(pid, 42); /* nothing written on failure */
    assert_int_equal(proc_waitid_selector(PROC_P_PID, 0, PROC_WEXITED, &pid, &options), -EINVAL);
    assert_int_equal(proc_waitid_selector(PROC_P_PID, -3, PROC_WEXITED, &pid, &options), -EINVAL);
    assert_int_equal(proc_waitid_selector(PROC_P_PGID, -1, PROC_WEXITED, &pid, &options), -EINVAL);
    assert_int_equal(proc_waitid_selector(PROC_P_PIDFD, 0, PROC_WEXITED, &pid, &options), -EBADF);
    assert_int_equal(proc_waitid_selector(7, 0, PROC_WEXITED, &pid, &options), -EINVAL);
    /* bad options before a bad idtype, as Linux checks them */
    assert_int_equal(proc_waitid_selector(7, 0, 0, &pid, &options), -EINVAL);
    assert_int_equal(proc_waitid_selector(PROC_P_ALL, 5, WUNTRACED, &pid, &options), 0);
    assert_int_equal(pid, -1);
    assert_int_equal(options, WUNTRACED | PROC_WAIT_ID);
    assert_int_equal(proc_waitid_selector(PROC_P_PID, 5, PROC_WEXITED, &pid, &options), 0);
    assert_int_equal(pid, 5);
    assert_int_equal(proc_waitid_selector(PROC_P_PGID, 0, PROC_WEXITED, &pid, &options), 0);
    assert_int_equal(pid, 0);
    assert_int_equal(options, PROC_WEXITED | PROC_WAIT_ID);
    assert_int_equal(proc_waitid_selector(PROC_P_PGID, 1, PROC_WEXITED, &pid, &options), 0);
    assert_int_equal(pid, -1);
    assert_int_equal(options, PROC_WEXITED | PROC_WAIT_ID | PROC_WAIT_PGID);
    /* wait4 takes neither waitid's options nor the internal marks */
    assert_true(proc_wait4_options_ok(WNOHANG | WUNTRACED | WCONTINUED | PROC_WAIT_WALL));
    assert_false(proc_wait4_options_ok(PROC_WEXITED));
    assert_false(proc_wait4_options_ok(PROC_WNOWAIT));
    assert_false(proc_wait4_options_ok(PROC_WAIT_ID));
}

/* waitid: exits only under WEXITED; WNOWAIT reports and leaves the child. */
static void test_waitid_exited_and_nowait(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = fx_fork(tab, init);
    fx_exit(tab, child, 6);
    int pid, options;
    proc_wait_ret_t ret;
    assert_int_equal(proc_waitid_selector(PROC_P_ALL, 0, WNOHANG | WUNTRACED, &pid, &options), 0);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 0); /* no WEXITED */
    proc_waitid_selector(PROC_P_PID, 2, WNOHANG | PROC_WEXITED | PROC_WNOWAIT, &pid, &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 2);
    assert_int_equal(ret.wstatus, proc_wstatus_exited(6));
    assert_false(ret.reaped);
    assert_int_equal(child->state, PROC_ZOMBIE);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 2); /* again: still there */
    proc_waitid_selector(PROC_P_PID, 2, PROC_WEXITED, &pid, &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 2);
    assert_true(ret.reaped);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), -ECHILD);
    proc_table_destroy(tab);
}

/* waitid: stops and continues, each reported once unless WNOWAIT. */
static void test_waitid_stopped_and_continued(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = fx_fork(tab, init);
    proc_stop(child, SIGSTOP);
    int pid, options;
    proc_wait_ret_t ret;
    proc_waitid_selector(PROC_P_ALL, 0, WNOHANG | PROC_WEXITED, &pid, &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 0);
    proc_waitid_selector(PROC_P_ALL, 0, WNOHANG | WUNTRACED | PROC_WNOWAIT, &pid, &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 2);
    assert_int_equal(ret.wstatus, proc_wstatus_stopped(SIGSTOP));
    proc_waitid_selector(PROC_P_ALL, 0, WNOHANG | WUNTRACED, &pid, &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 2); /* WNOWAIT kept it */
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 0); /* now consumed */
    proc_continue(child);
    proc_waitid_selector(PROC_P_ALL, 0, WNOHANG | WCONTINUED, &pid, &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 2);
    assert_int_equal(ret.wstatus, PROC_WSTATUS_CONTINUED);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 0);
    proc_table_destroy(tab);
}

/* P_PGID 1 is group 1 exactly, where wait4's -1 would be any child. */
static void test_waitid_by_group(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *in_group = fx_fork(tab, init);
    process_t *own_group = fx_fork(tab, init);
    assert_int_equal(pgrp_setpgid(tab, own_group, 0, 0), 0);
    fx_exit(tab, own_group, 3);
    int pid, options;
    proc_wait_ret_t ret;
    proc_waitid_selector(PROC_P_PGID, 1, WNOHANG | PROC_WEXITED, &pid, &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), 0); /* only in_group matches */
    proc_waitid_selector(PROC_P_PGID, proc_getpid(own_group), WNOHANG | PROC_WEXITED, &pid,
                         &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), proc_getpid(own_group));
    fx_exit(tab, in_group, 4);
    proc_waitid_selector(PROC_P_PGID, 0, WNOHANG | PROC_WEXITED, &pid, &options);
    assert_int_equal(proc_wait(tab, init, pid, options, &ret), proc_getpid(in_group));
    assert_int_equal(ret.wstatus, proc_wstatus_exited(4));
    proc_table_destroy(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_statuses),
        cmocka_unit_test(test_wait_any_and_nohang),
        cmocka_unit_test(test_wait_cpu_time),
        cmocka_unit_test(test_wait_in_callers_numbering),
        cmocka_unit_test(test_wait_by_group),
        cmocka_unit_test(test_wait_stopped_and_continued),
        cmocka_unit_test(test_orphans_go_to_scope_init),
        cmocka_unit_test(test_autoreap_and_parentless),
        cmocka_unit_test(test_waitid_selector),
        cmocka_unit_test(test_waitid_exited_and_nowait),
        cmocka_unit_test(test_waitid_stopped_and_continued),
        cmocka_unit_test(test_waitid_by_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
