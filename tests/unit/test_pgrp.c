/* proc-server's process groups and sessions: setpgid/setsid rules and errno values. */
#include <errno.h>

#include "pgrp.h"
#include "proc_fixture.h"

static void test_setpgid_moves(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *sh = fx_fork(tab, init);
    process_t *a = fx_fork(tab, sh);
    process_t *b = fx_fork(tab, sh);
    assert_int_equal(pgrp_getpgid(tab, sh, 0), 1);
    assert_int_equal(pgrp_setpgid(tab, sh, 0, 0), 0); /* sh leads group 2 */
    assert_int_equal(pgrp_getpgid(tab, init, 2), 2);
    assert_int_equal(pgrp_setpgid(tab, sh, 3, 3), 0); /* a leads group 3 */
    assert_int_equal(pgrp_setpgid(tab, b, 0, 3), 0);  /* b joins it itself */
    assert_int_equal(pgrp_getpgid(tab, sh, 4), 3);
    assert_ptr_equal(a->pgrp, b->pgrp);
    assert_int_equal(pgrp_setpgid(tab, sh, 4, 2), 0); /* and is moved back */
    assert_int_equal(pgrp_getpgid(tab, init, 4), 2);
    assert_int_equal(pgrp_getsid(tab, a, 0), 1);
    assert_int_equal(pgrp_getpgid(tab, sh, 99), -ESRCH);
    assert_int_equal(pgrp_getsid(tab, sh, 99), -ESRCH);
    proc_table_destroy(tab);
}

static void test_setpgid_errors(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *sh = fx_fork(tab, init);
    process_t *child = fx_fork(tab, sh);
    process_t *stranger = fx_fork(tab, init);
    assert_int_equal(pgrp_setpgid(tab, sh, 0, -1), -EINVAL);
    /* neither the caller nor its child */
    assert_int_equal(pgrp_setpgid(tab, sh, proc_getpid(stranger), 0), -ESRCH);
    assert_int_equal(pgrp_setpgid(tab, sh, 1, 0), -ESRCH);
    assert_int_equal(pgrp_setpgid(tab, sh, 77, 0), -ESRCH);
    /* a session leader cannot move */
    assert_int_equal(pgrp_setpgid(tab, init, 0, 0), -EPERM);
    /* no such group in the caller's session */
    assert_int_equal(pgrp_setpgid(tab, sh, 0, 77), -EPERM);
    /* a child in another session */
    assert_int_equal(pgrp_setsid(tab, child), proc_getpid(child));
    assert_int_equal(pgrp_setpgid(tab, sh, proc_getpid(child), 0), -EPERM);
    /* a child that has called exec */
    process_t *execed = fx_fork(tab, sh);
    const char *argv[] = {"x", NULL};
    assert_int_equal(proc_exec(execed, "/bin/x", argv), 0);
    assert_int_equal(pgrp_setpgid(tab, sh, proc_getpid(execed), 0), -EACCES);
    /* a group of another session cannot be joined */
    assert_int_equal(pgrp_setpgid(tab, sh, 0, proc_getpid(child)), -EPERM);
    assert_ptr_equal(sh->pgrp, init->pid);
    proc_table_destroy(tab);
}

static void test_setsid(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *sh = fx_fork(tab, init);
    assert_int_equal(pgrp_setsid(tab, init), -EPERM); /* leads a group */
    assert_int_equal(pgrp_setsid(tab, sh), 2);
    assert_int_equal(pgrp_getsid(tab, init, 2), 2);
    assert_int_equal(pgrp_getpgid(tab, init, 2), 2);
    assert_int_equal(pgrp_setsid(tab, sh), -EPERM); /* now leads one */
    /* a process whose PID still names a group cannot start a session */
    process_t *a = fx_fork(tab, init);
    process_t *b = fx_fork(tab, init);
    assert_int_equal(pgrp_setpgid(tab, init, proc_getpid(a), 0), 0);
    assert_int_equal(pgrp_setpgid(tab, init, proc_getpid(b), proc_getpid(a)), 0);
    assert_int_equal(pgrp_setpgid(tab, a, 0, 1), 0); /* a leaves, b keeps group a */
    assert_int_equal(pgrp_setsid(tab, a), -EPERM);
    proc_table_destroy(tab);
}

/* A group or session led from outside reads as 0 inside a scope. */
static void test_ids_across_scopes(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *s = fx_scope(tab, init, NULL);
    process_t *c1 = fx_spawn(tab, init, s, "/bin/sh");
    /* spawned into another scope: it leads a group and session of its own,
     * numbered as its scope numbers it, never a group of the host's */
    assert_int_equal(pgrp_getpgid(tab, c1, 0), 1);
    assert_int_equal(pgrp_getsid(tab, c1, 0), 1);
    assert_int_equal(pgrp_getpgid(tab, c1, 1), 1);
    assert_int_equal(pgrp_getpgid(tab, init, proc_global_pid(c1)), 2); /* the host's number */
    assert_int_equal(pgrp_getsid(tab, init, 2), 2);
    assert_int_equal(pgrp_setsid(tab, c1), -EPERM); /* a group leader already */
    /* its fork stays in its group; the host's init is invisible from inside */
    process_t *c2 = fx_fork(tab, c1);
    assert_int_equal(pgrp_getpgid(tab, c2, 0), 1);
    assert_int_equal(pgrp_getpgid(tab, c1, 2), 1); /* c2, as S numbers it */
    assert_int_equal(pgrp_getpgid(tab, c1, 3), -ESRCH);
    scope_put(s);
    proc_table_destroy(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setpgid_moves),
        cmocka_unit_test(test_setpgid_errors),
        cmocka_unit_test(test_setsid),
        cmocka_unit_test(test_ids_across_scopes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
