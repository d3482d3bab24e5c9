/* proc-server's kill: targets in the caller's numbering, and the rules protecting PID 1s. */
#include <errno.h>
#include <limits.h>

#include "kill.h"
#include "pgrp.h"
#include "proc_fixture.h"

/* Host: init 1, sh 2, job 3 (own group); container S: c1 (2... global 4), c2 5; T below S: d1 6. */
typedef struct world {
    proc_table_t *tab;
    process_t *init, *sh, *job, *c1, *c2, *d1;
    scope_t *s, *t;
} world_t;

static world_t world_new(void)
{
    world_t w;
    w.tab = fx_table();
    w.init = fx_spawn(w.tab, NULL, NULL, "/sbin/init");
    w.sh = fx_fork(w.tab, w.init);
    w.job = fx_fork(w.tab, w.sh);
    assert_int_equal(pgrp_setpgid(w.tab, w.sh, 3, 3), 0);
    w.s = fx_scope(w.tab, w.sh, NULL);
    w.c1 = fx_spawn(w.tab, w.sh, w.s, "/bin/sh");
    w.c2 = fx_fork(w.tab, w.c1);
    w.t = fx_scope(w.tab, w.c1, NULL);
    w.d1 = fx_spawn(w.tab, w.c2, w.t, "/bin/sh");
    return w;
}

static void world_free(world_t *w)
{
    scope_put(w->t);
    scope_put(w->s);
    proc_table_destroy(w->tab);
}

/* Whether list holds exactly the global PIDs given, in table order. */
static void assert_targets(const proc_pid_list_t *list, size_t count, const int *expected)
{
    assert_int_equal(list->count, count);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(list->pids[i], expected[i]);
    }
}

static void test_kill_one(void **state)
{
    (void)state;
    world_t w = world_new();
    proc_pid_list_t out;
    assert_int_equal(kill_select(w.tab, w.c1, 2, &out), 0); /* c2, as S numbers it */
    assert_targets(&out, 1, (int[]){5});
    proc_pid_list_free(&out);
    assert_int_equal(kill_select(w.tab, w.sh, 5, &out), 0); /* the same, from the host */
    assert_targets(&out, 1, (int[]){5});
    proc_pid_list_free(&out);
    /* outside the caller's scope: ESRCH, never EPERM */
    assert_int_equal(kill_select(w.tab, w.c1, 6, &out), -ESRCH); /* S has no PID 6 */
    assert_int_equal(kill_select(w.tab, w.d1, 2, &out), -ESRCH);
    assert_int_equal(kill_select(w.tab, w.c1, INT_MIN, &out), -ESRCH);
    /* a zombie: found, nothing to do */
    fx_exit(w.tab, w.job, 0);
    assert_int_equal(kill_select(w.tab, w.sh, 3, &out), 0);
    assert_int_equal(out.count, 0);
    assert_int_equal(kill_check_signal(0), 0);
    assert_int_equal(kill_check_signal(64), 0);
    assert_int_equal(kill_check_signal(65), -EINVAL);
    assert_int_equal(kill_check_signal(-1), -EINVAL);
    world_free(&w);
}

static void test_kill_groups(void **state)
{
    (void)state;
    world_t w = world_new();
    proc_pid_list_t out;
    /* kill(0): init's group holds init and sh; a process spawned into
     * another scope leads a group of its own, so none of S's or T's */
    assert_int_equal(kill_select(w.tab, w.init, 0, &out), 0);
    assert_targets(&out, 2, (int[]){1, 2});
    proc_pid_list_free(&out);
    /* inside S: c1's group, c1 and its fork c2, but not T's PID 1 */
    assert_int_equal(kill_select(w.tab, w.c2, 0, &out), 0);
    assert_targets(&out, 2, (int[]){4, 5});
    proc_pid_list_free(&out);
    /* kill(-pgid) */
    assert_int_equal(kill_select(w.tab, w.sh, -3, &out), 0);
    assert_targets(&out, 1, (int[]){3});
    proc_pid_list_free(&out);
    assert_int_equal(kill_select(w.tab, w.sh, -42, &out), -ESRCH);
    /* in S, 3 is d1, the leader of its own group in T; 2 is c2, in c1's group */
    assert_int_equal(kill_select(w.tab, w.c1, -3, &out), 0);
    assert_targets(&out, 1, (int[]){6});
    proc_pid_list_free(&out);
    assert_int_equal(kill_select(w.tab, w.c1, -2, &out), -ESRCH);
    world_free(&w);
}

static void test_kill_everyone(void **state)
{
    (void)state;
    world_t w = world_new();
    proc_pid_list_t out;
    /* from the host: everything but the caller and init */
    assert_int_equal(kill_select(w.tab, w.sh, -1, &out), 0);
    assert_targets(&out, 4, (int[]){3, 4, 5, 6});
    proc_pid_list_free(&out);
    /* from inside S: S and below, but neither the caller nor S's PID 1 */
    assert_int_equal(kill_select(w.tab, w.c2, -1, &out), 0);
    assert_targets(&out, 1, (int[]){6});
    proc_pid_list_free(&out);
    /* T's PID 1 alone in T: nothing to reach */
    assert_int_equal(kill_select(w.tab, w.d1, -1, &out), -ESRCH);
    world_free(&w);
}

static void test_pid1_rules(void **state)
{
    (void)state;
    world_t w = world_new();
    /* an ordinary process gets everything */
    assert_int_equal(kill_verdict(SIGTERM, w.c1, w.c2, false), KILL_DELIVER);
    /* a scope's PID 1 from inside: only what it handles */
    assert_int_equal(kill_verdict(SIGTERM, w.c2, w.c1, false), KILL_DROP);
    assert_int_equal(kill_verdict(SIGTERM, w.c2, w.c1, true), KILL_DELIVER);
    assert_int_equal(kill_verdict(SIGKILL, w.c2, w.c1, false), KILL_DROP);
    assert_int_equal(kill_verdict(SIGSTOP, w.c2, w.c1, false), KILL_DROP);
    assert_int_equal(kill_verdict(SIGKILL, w.c1, w.c1, false), KILL_DROP);
    assert_int_equal(kill_verdict(0, w.c2, w.c1, false), KILL_DELIVER);
    /* from an ancestor scope, or proc-server itself: also SIGKILL and SIGSTOP */
    assert_int_equal(kill_verdict(SIGKILL, w.sh, w.c1, false), KILL_DELIVER);
    assert_int_equal(kill_verdict(SIGSTOP, w.sh, w.c1, false), KILL_DELIVER);
    assert_int_equal(kill_verdict(SIGKILL, w.c1, w.d1, false), KILL_DELIVER);
    assert_int_equal(kill_verdict(SIGKILL, NULL, w.d1, false), KILL_DELIVER);
    assert_int_equal(kill_verdict(SIGTERM, w.sh, w.c1, false), KILL_DROP);
    assert_int_equal(kill_verdict(SIGTERM, w.sh, w.c1, true), KILL_DELIVER);
    /* SIGKILL cannot be handled: a claim that it is changes nothing */
    assert_int_equal(kill_verdict(SIGKILL, w.c2, w.c1, true), KILL_DROP);
    /* the root's PID 1 never dies by a signal */
    assert_int_equal(kill_verdict(SIGKILL, w.sh, w.init, false), KILL_DROP);
    assert_int_equal(kill_verdict(SIGKILL, NULL, w.init, false), KILL_DROP);
    assert_int_equal(kill_verdict(SIGTERM, w.sh, w.init, false), KILL_DROP);
    assert_int_equal(kill_verdict(SIGHUP, w.sh, w.init, true), KILL_DELIVER);
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_one),
        cmocka_unit_test(test_kill_groups),
        cmocka_unit_test(test_kill_everyone),
        cmocka_unit_test(test_pid1_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
