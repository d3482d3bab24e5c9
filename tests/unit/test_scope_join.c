/* Joined containers (linux.namespaces[].path of type pid): a record whose
 * processes live in another container's scope (scope.h). */
#include <errno.h>
#include <string.h>

#include "proc_fixture.h"

/* A host with init and runc; runc's container A (scope a, PID 1 a1) and a
 * record j joining it, with its first process j1. */
typedef struct {
    proc_table_t *tab;
    process_t *init, *runc, *a1;
    scope_t *a, *j;
} pod_t;

static pod_t pod(void)
{
    pod_t p;
    p.tab = fx_table();
    p.init = fx_spawn(p.tab, NULL, NULL, "/sbin/init");
    p.runc = fx_spawn(p.tab, p.init, NULL, "/bin/runc");
    p.a = fx_scope(p.tab, p.runc, NULL);
    p.a1 = fx_spawn(p.tab, p.runc, p.a, "/pause");
    assert_int_equal(scope_create_joined(p.tab, p.runc, p.a, 0, &p.j), 0);
    return p;
}

static void test_join_refusals(void **state)
{
    (void)state;
    pod_t p = pod();
    scope_t *out = NULL;
    /* runc's own scope is no container: joining it would hand over the host's */
    assert_int_equal(scope_create_joined(p.tab, p.runc, p.tab->root_scope, 0, &out), -EPERM);
    /* a process inside A cannot join its own scope, nor one it cannot see */
    assert_int_equal(scope_create_joined(p.tab, p.a1, p.a, 0, &out), -EPERM);
    scope_t *b = fx_scope(p.tab, p.runc, NULL);
    assert_int_equal(scope_create_joined(p.tab, p.a1, b, 0, &out), -EPERM);
    /* the jail first */
    process_t *jailed = fx_spawn(p.tab, p.runc, NULL, "/bin/runc");
    proc_jail(jailed);
    assert_int_equal(scope_create_joined(p.tab, jailed, p.a, 0, &out), -EPERM);
    /* a stopped host takes no one */
    assert_true(scope_stop(b, 0));
    assert_int_equal(scope_create_joined(p.tab, p.runc, b, 0, &out), -EINVAL);
    assert_null(out);
    scope_put(b);
    scope_put(p.j);
    scope_put(p.a);
    proc_table_destroy(p.tab);
}

static void test_members_live_in_the_host(void **state)
{
    (void)state;
    pod_t p = pod();
    scope_set_limit(p.a, 4);
    process_t *j1 = fx_spawn(p.tab, p.runc, p.j, "/bin/sh");
    /* in A, seen by A's processes, not its PID 1, a session of its own */
    assert_ptr_equal(j1->scope, p.a);
    assert_ptr_equal(j1->joined, p.j);
    assert_ptr_equal(p.j->init, j1);
    assert_ptr_equal(p.a->init, p.a1);
    assert_int_equal(proc_getpid(j1), 2);
    assert_false(proc_is_scope_init(j1));
    assert_true(proc_can_see(p.a1, j1) && proc_can_see(j1, p.a1));
    assert_ptr_equal(j1->session, j1->pid);
    /* counted in A (and its ancestors) and in the record alone */
    assert_int_equal(p.a->count, 2);
    assert_int_equal(p.j->count, 1);
    assert_int_equal(p.tab->root_scope->count, 4);
    process_t *j2 = fx_fork(p.tab, j1);
    assert_ptr_equal(j2->joined, p.j);
    assert_int_equal(p.j->count, 2);
    process_t *j3 = fx_spawn(p.tab, j2, NULL, "/bin/true"); /* a spawn inside stays of it */
    assert_ptr_equal(j3->joined, p.j);
    /* A's limit holds for both containers */
    process_t *out = NULL;
    assert_int_equal(proc_fork(p.tab, j1, 0, NULL, &out), -EAGAIN);
    /* the record holds its own processes only; A holds everyone */
    assert_false(scope_holds(p.j, p.a1));
    assert_true(scope_holds(p.j, j3));
    assert_true(scope_holds(p.a, j3) && scope_holds(p.a, p.a1));
    proc_table_destroy(p.tab);
}

static void test_first_process_ends_the_record(void **state)
{
    (void)state;
    pod_t p = pod();
    process_t *j1 = fx_spawn(p.tab, p.runc, p.j, "/bin/sh");
    process_t *j2 = fx_fork(p.tab, j1);
    process_t *a2 = fx_fork(p.tab, p.a1);
    proc_exit_ret_t ret = fx_exit(p.tab, j1, 3);
    assert_true(ret.kill_needed);
    assert_int_equal(p.j->state, SCOPE_STOPPED);
    assert_int_equal(p.j->exit_status, proc_wstatus_exited(3));
    assert_int_equal(p.a->state, SCOPE_CREATING); /* the host goes on */
    /* only the record's processes are doomed */
    assert_int_equal(fx_kill_doomed(p.tab), 1);
    assert_int_equal(j2->state, PROC_ZOMBIE);
    assert_int_equal(a2->state, PROC_RUNNING);
    process_t *out = NULL;
    const char *argv[] = {"x", NULL};
    proc_spawn_args_t args = {.parent = p.runc, .scope = p.j, .exe = "/x", .argv = argv};
    assert_int_equal(proc_spawn(p.tab, &args, &out), -EINVAL);
    assert_int_equal(fx_reap(p.tab, p.runc, j1), proc_wstatus_exited(3));
    assert_null(p.j->init);
    proc_table_destroy(p.tab);
}

static void test_host_end_ends_members(void **state)
{
    (void)state;
    pod_t p = pod();
    process_t *j1 = fx_spawn(p.tab, p.runc, p.j, "/bin/sh");
    int j2 = proc_global_pid(fx_fork(p.tab, j1));
    /* the host's PID 1 dies, as Linux's pid namespace init: all of it goes */
    proc_exit_ret_t ret = fx_exit(p.tab, p.a1, 0);
    assert_true(ret.kill_needed);
    assert_int_equal(fx_kill_doomed(p.tab), 2);
    assert_int_equal(j1->state, PROC_ZOMBIE);    /* runc's child */
    assert_null(proc_find_global(p.tab, j2));    /* an orphan of a dead scope: reaped */
    assert_int_equal(p.j->state, SCOPE_STOPPED); /* its first process died */
    assert_int_equal(p.j->exit_status, proc_wstatus_signaled(SIGKILL, false));
    proc_table_destroy(p.tab);
}

static void test_record_and_host_freed(void **state)
{
    (void)state;
    pod_t p = pod();
    process_t *j1 = fx_spawn(p.tab, p.runc, p.j, "/bin/sh");
    assert_int_equal(scope_register(p.a, "a", "/b"), 0);
    assert_int_equal(scope_register(p.j, "j", "/b"), 0);
    scope_put(p.j);
    scope_put(p.a);
    /* A deleted first: the record keeps it until it goes too */
    scope_stop(p.a, 0);
    fx_kill_doomed(p.tab);
    assert_int_equal(scope_unregister(p.a), 0);
    fx_reap(p.tab, p.runc, p.a1);
    assert_int_equal(p.j->state, SCOPE_STOPPED);
    fx_reap(p.tab, p.runc, j1);
    assert_false(list_empty(&p.tab->root_scope->children));
    assert_int_equal(scope_unregister(p.j), 0);
    /* every record is gone: only the root remains */
    assert_true(list_empty(&p.tab->root_scope->children));
    assert_int_equal(p.tab->root_scope->count, 2);
    proc_table_destroy(p.tab);
}

static void test_owner_death_before_register(void **state)
{
    (void)state;
    pod_t p = pod();
    process_t *j1 = fx_spawn(p.tab, p.runc, p.j, "/bin/sh");
    assert_int_equal(scope_register(p.a, "a", "/b"), 0);
    scope_put(p.a);
    scope_put(p.j);
    proc_exit_ret_t ret = fx_exit(p.tab, p.runc, 1); /* runc killed half-way */
    assert_true(ret.kill_needed);
    assert_int_equal(p.j->state, SCOPE_STOPPED);
    assert_int_equal(fx_kill_doomed(p.tab), 1);
    assert_int_equal(j1->state, PROC_ZOMBIE);
    assert_int_equal(p.a1->state, PROC_RUNNING);
    proc_table_destroy(p.tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_refusals),
        cmocka_unit_test(test_members_live_in_the_host),
        cmocka_unit_test(test_first_process_ends_the_record),
        cmocka_unit_test(test_host_end_ends_members),
        cmocka_unit_test(test_record_and_host_freed),
        cmocka_unit_test(test_owner_death_before_register),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
