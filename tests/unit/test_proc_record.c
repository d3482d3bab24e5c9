/*
 * The process-table page: proc-server's model publishing records through
 * its change callback (proc_record.c), read back by vfs-server's reader
 * (vfs-server/proc_table.c) from the same memory, as procfs will.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgrp.h"
#include "proc_fixture.h"
#include "proc_record.h"
#include "proc_table.h"
#include "proc_view.h"

static proc_record_t *page; /* the shared table: PROC_TABLE_SLOTS records */
static uint64_t clock_now;  /* the time the callback gives */

static void publish(const process_t *proc, bool gone, void *arg)
{
    (void)arg;
    proc_record_update(page, proc, gone, clock_now);
}

static proc_table_t *table_with_page(void)
{
    page = calloc(PROC_TABLE_SLOTS, sizeof(*page));
    assert_non_null(page);
    proc_table_init(page);
    proc_table_t *tab = fx_table();
    proc_table_set_change(tab, publish, NULL);
    return tab;
}

static void drop(proc_table_t *tab)
{
    proc_table_destroy(tab);
    proc_table_init(NULL);
    free(page);
    page = NULL;
}

static proc_record_t record_of(const process_t *proc)
{
    proc_record_t rec;
    assert_true(proc_table_lookup(proc_global_pid(proc), &rec));
    return rec;
}

static void test_spawn_and_fork(void **state)
{
    (void)state;
    proc_table_t *tab = table_with_page();
    const char *argv[] = {"sh", "-c", "echo hi", NULL};
    proc_spawn_args_t args = {.exe = "/bin/sh", .argv = argv, .start_time = 77};
    process_t *init = NULL;
    assert_int_equal(proc_spawn(tab, &args, &init), 0);
    proc_record_t rec = record_of(init);
    assert_int_equal(rec.pid, 1);
    assert_int_equal(rec.ppid, 0);
    assert_int_equal(rec.pgrp, 1);
    assert_int_equal(rec.sid, 1);
    assert_int_equal(rec.state, 'R');
    assert_string_equal(rec.comm, "sh");
    assert_int_equal(rec.cmdline_len, sizeof("sh\0-c\0echo hi"));
    assert_memory_equal(rec.cmdline, "sh\0-c\0echo hi", rec.cmdline_len);
    assert_int_equal(rec.flags, 0);
    assert_int_equal(rec.start_ns, 77);
    assert_int_equal(rec.exit_ns, 0);
    assert_int_equal(rec.scope_id, 0);
    assert_int_equal(rec.seq % 2, 0);

    process_t *child = fx_fork(tab, init);
    rec = record_of(child);
    assert_int_equal(rec.pid, proc_global_pid(child));
    assert_int_equal(rec.ppid, 1);
    assert_int_equal(rec.pgrp, 1);
    assert_string_equal(rec.comm, "sh");
    drop(tab);
}

/* comm follows Linux: the basename of the path given to execve, not argv[0]. */
static void test_exec_and_comm(void **state)
{
    (void)state;
    proc_table_t *tab = table_with_page();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = fx_fork(tab, init);
    const char *argv[] = {"ls", "-l", NULL};
    assert_int_equal(proc_exec(child, "/bin/ls", argv), 0);
    proc_record_t rec = record_of(child);
    assert_string_equal(rec.comm, "ls");
    assert_memory_equal(rec.cmdline, "ls\0-l", sizeof("ls\0-l"));
    const char *cat[] = {"cat", NULL};
    assert_int_equal(proc_exec(child, "/proc/self/exe", cat), 0);
    assert_string_equal(record_of(child).comm, "exe");
    proc_set_comm(child, "0123456789abcdefgh");
    assert_string_equal(record_of(child).comm, "0123456789abcde");
    drop(tab);
}

static void test_long_cmdline_is_cut(void **state)
{
    (void)state;
    proc_table_t *tab = table_with_page();
    char arg[300];
    memset(arg, 'x', sizeof(arg) - 1);
    arg[sizeof(arg) - 1] = '\0';
    const char *argv[] = {"echo", arg, NULL};
    proc_spawn_args_t args = {.exe = "/bin/echo", .argv = argv};
    process_t *proc = NULL;
    assert_int_equal(proc_spawn(tab, &args, &proc), 0);
    proc_record_t rec = record_of(proc);
    assert_int_equal(rec.cmdline_len, PROC_RECORD_CMDLINE_LEN);
    assert_true(rec.flags & PROC_RECORD_CMDLINE_CUT);
    assert_memory_equal(rec.cmdline, "echo\0xxx", 8);
    drop(tab);
}

static void test_groups_sessions_and_jail(void **state)
{
    (void)state;
    proc_table_t *tab = table_with_page();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = fx_fork(tab, init);
    int child_pid = proc_global_pid(child);
    assert_int_equal(pgrp_setpgid(tab, init, child_pid, 0), 0);
    assert_int_equal(record_of(child).pgrp, child_pid);
    assert_int_equal(record_of(child).sid, 1);
    process_t *grandchild = fx_fork(tab, child);
    assert_int_equal(pgrp_setsid(tab, grandchild), proc_global_pid(grandchild));
    proc_record_t rec = record_of(grandchild);
    assert_int_equal(rec.sid, proc_global_pid(grandchild));
    assert_int_equal(rec.pgrp, proc_global_pid(grandchild));
    assert_false(record_of(child).flags & PROC_RECORD_JAILED);
    proc_jail(child); /* PROC_JAIL: the running process's own record follows at once */
    assert_true(record_of(child).flags & PROC_RECORD_JAILED);
    process_t *jailed = fx_fork(tab, child);
    assert_true(record_of(jailed).flags & PROC_RECORD_JAILED);
    drop(tab);
}

static void test_stop_exit_reap(void **state)
{
    (void)state;
    proc_table_t *tab = table_with_page();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = fx_fork(tab, init);
    process_t *grandchild = fx_fork(tab, child);
    int child_pid = proc_global_pid(child);
    proc_stop(child, SIGTSTP);
    assert_int_equal(record_of(child).state, 'T');
    proc_continue(child);
    assert_int_equal(record_of(child).state, 'R');

    clock_now = 5000;
    fx_exit(tab, child, 3);
    proc_record_t rec = record_of(child);
    assert_int_equal(rec.state, 'Z');
    assert_int_equal(rec.exit_ns, 5000);
    /* the orphan now has init for a parent */
    assert_int_equal(record_of(grandchild).ppid, 1);
    /* a later change (reparenting of the zombie itself) keeps the exit time */
    clock_now = 9000;
    proc_changed(child);
    assert_int_equal(record_of(child).exit_ns, 5000);

    fx_reap(tab, init, child);
    proc_record_t gone;
    assert_false(proc_table_lookup(child_pid, &gone));
    assert_int_equal(page[child_pid].pid, 0);
    drop(tab);
}

static void test_iteration_in_pid_order(void **state)
{
    (void)state;
    proc_table_t *tab = table_with_page();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *a = fx_fork(tab, init);
    process_t *b = fx_fork(tab, init);
    fx_exit(tab, a, 0);
    fx_reap(tab, init, a);
    int seen[4] = {0};
    size_t n = 0;
    proc_record_t rec;
    for (int pid = 0; proc_table_next(pid, &rec); pid = rec.pid) {
        assert_true(n < 4);
        seen[n++] = rec.pid;
    }
    assert_int_equal(n, 2);
    assert_int_equal(seen[0], 1);
    assert_int_equal(seen[1], proc_global_pid(b));
    assert_false(proc_table_next(-1, &rec));
    drop(tab);
}

/* The sequence lock: an odd seq (a write under way) is never read as a record. */
static void test_seqlock(void **state)
{
    (void)state;
    proc_record_t *slots = calloc(PROC_TABLE_SLOTS, sizeof(*slots));
    assert_non_null(slots);
    proc_table_init(slots);
    proc_record_t rec = {.pid = 7, .state = 'R', .comm = "x"};
    proc_record_publish(&slots[7], &rec);
    assert_int_equal(slots[7].seq, 2);
    proc_record_t out;
    assert_true(proc_table_lookup(7, &out));
    assert_int_equal(out.pid, 7);
    slots[7].seq = 3; /* proc-server "in the middle of a write" */
    assert_false(proc_record_snapshot(&slots[7], &out, 10));
    assert_false(proc_table_lookup(7, &out));
    slots[7].seq = 4;
    assert_true(proc_table_lookup(7, &out));
    /* a record under another PID's slot, and PIDs out of range, are not found */
    assert_false(proc_table_lookup(8, &out));
    assert_false(proc_table_lookup(0, &out));
    assert_false(proc_table_lookup(PROC_TABLE_SLOTS, &out));
    assert_null(proc_table_slot(slots, -1));
    proc_table_init(NULL);
    assert_false(proc_table_lookup(7, &out));
    free(slots);
}

/* What a process of scope sees: the view of its own record. */
static proc_view_t view_of(const process_t *proc)
{
    proc_record_t rec = record_of(proc);
    return proc_view_of(&rec);
}

static int nr_in(const proc_view_t *v, const process_t *proc)
{
    proc_record_t rec = record_of(proc);
    return proc_view_nr(v, &rec);
}

/* A container: its scope's numbers, its own processes and those below,
 * nothing of the host; the host sees everything by global PIDs. */
static void test_scoped_numbers(void **state)
{
    (void)state;
    proc_table_t *tab = table_with_page();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *runc = fx_fork(tab, init);
    scope_t *box = fx_scope(tab, runc, NULL);
    process_t *cinit = fx_spawn(tab, runc, box, "/bin/sh");
    /* spawned into its own scope, it leads a new session already */
    process_t *cchild = fx_fork(tab, cinit);
    scope_t *inner = fx_scope(tab, cinit, NULL);
    process_t *iinit = fx_spawn(tab, cinit, inner, "/bin/sleep");

    proc_record_t rec = record_of(cinit);
    assert_int_equal(rec.level, 1);
    assert_int_equal(rec.own_nr, 1);
    assert_int_equal(rec.scope_at[0], box->id);
    assert_int_equal(rec.nr_at[0], 1);
    assert_int_equal(rec.sid_own, 1);
    rec = record_of(iinit);
    assert_int_equal(rec.level, 2);
    assert_int_equal(rec.own_nr, 1);
    assert_int_equal(rec.scope_at[0], box->id);
    assert_int_equal(rec.scope_at[1], inner->id);
    assert_int_equal(rec.nr_at[0], 3); /* after cinit and cchild */
    assert_int_equal(rec.nr_at[1], 1);

    proc_view_t host = view_of(runc), in_box = view_of(cchild), in_inner = view_of(iinit);
    assert_true(host.all);
    assert_int_equal(nr_in(&host, cinit), proc_global_pid(cinit));
    assert_int_equal(nr_in(&in_box, init), 0);
    assert_int_equal(nr_in(&in_box, runc), 0);
    assert_int_equal(nr_in(&in_box, cinit), 1);
    assert_int_equal(nr_in(&in_box, cchild), 2);
    assert_int_equal(nr_in(&in_box, iinit), 3);
    assert_int_equal(nr_in(&in_inner, cinit), 0);
    assert_int_equal(nr_in(&in_inner, iinit), 1);

    /* by number: PID 1 inside is the container's init */
    proc_record_t found;
    assert_true(proc_view_find(&in_box, 1, proc_table_lookup, proc_table_next, &found));
    assert_int_equal(found.pid, proc_global_pid(cinit));
    assert_false(proc_view_find(&in_box, proc_global_pid(init) == 1 ? 4 : 1000, proc_table_lookup,
                                proc_table_next, &found));
    assert_false(proc_view_find(&in_inner, 2, proc_table_lookup, proc_table_next, &found));

    /* stat's numbers: a parent outside the scope is 0 */
    proc_record_t shown;
    rec = record_of(cinit);
    proc_view_translate(&in_box, &rec, proc_table_lookup, &shown);
    assert_int_equal(shown.pid, 1);
    assert_int_equal(shown.ppid, 0);
    assert_int_equal(shown.pgrp, 1);
    assert_int_equal(shown.sid, 1);
    rec = record_of(cchild);
    proc_view_translate(&in_box, &rec, proc_table_lookup, &shown);
    assert_int_equal(shown.pid, 2);
    assert_int_equal(shown.ppid, 1);
    assert_int_equal(shown.sid, 1);
    proc_view_translate(&host, &rec, proc_table_lookup, &shown);
    assert_int_equal(shown.pid, proc_global_pid(cchild));
    assert_int_equal(shown.ppid, proc_global_pid(cinit));
    /* a group whose leader is gone keeps the name its scope gives it */
    assert_int_equal(pgrp_setpgid(tab, cchild, 0, 0), 0);
    process_t *member = fx_fork(tab, cchild);
    fx_exit(tab, cchild, 0);
    fx_reap(tab, cinit, cchild);
    rec = record_of(member);
    proc_view_translate(&in_box, &rec, proc_table_lookup, &shown);
    assert_int_equal(shown.pgrp, 2);
    assert_int_equal(shown.ppid, 1); /* reparented to the container's init */
    proc_view_translate(&host, &rec, proc_table_lookup, &shown);
    assert_int_equal(shown.pgrp, rec.pgrp);
    proc_view_translate(&in_inner, &rec, proc_table_lookup, &shown);
    assert_int_equal(shown.pid, 0);
    assert_int_equal(shown.pgrp, 0);
    scope_put(inner);
    scope_put(box);
    drop(tab);
}

/* Past PROC_RECORD_LEVELS a viewer sees its own scope, never less safe. */
static void test_deep_scopes(void **state)
{
    (void)state;
    proc_table_t *tab = table_with_page();
    process_t *proc = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *scopes[PROC_RECORD_LEVELS + 2];
    process_t *inits[PROC_RECORD_LEVELS + 2];
    for (int i = 0; i < PROC_RECORD_LEVELS + 2; i++) {
        scopes[i] = fx_scope(tab, proc, NULL);
        proc = inits[i] = fx_spawn(tab, proc, scopes[i], "/bin/sh");
    }
    process_t *deepest = inits[PROC_RECORD_LEVELS + 1];
    process_t *sibling = fx_fork(tab, deepest);
    proc_view_t deep = view_of(deepest), top = view_of(inits[0]);
    assert_int_equal(deep.level, PROC_RECORD_LEVELS + 2);
    assert_int_equal(nr_in(&deep, deepest), 1);
    assert_int_equal(nr_in(&deep, sibling), 2);
    assert_int_equal(nr_in(&deep, inits[PROC_RECORD_LEVELS]), 0);
    assert_int_equal(nr_in(&top, deepest), PROC_RECORD_LEVELS + 2);
    /* a viewer past the levels a record names cannot tell the scopes below its own */
    proc_view_t past = view_of(inits[PROC_RECORD_LEVELS]);
    assert_int_equal(nr_in(&past, inits[PROC_RECORD_LEVELS]), 1);
    assert_int_equal(nr_in(&past, deepest), 0);
    proc_view_t none = proc_view_none();
    assert_int_equal(nr_in(&none, deepest), 0);
    for (int i = PROC_RECORD_LEVELS + 1; i >= 0; i--) {
        scope_put(scopes[i]);
    }
    drop(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spawn_and_fork),
        cmocka_unit_test(test_exec_and_comm),
        cmocka_unit_test(test_long_cmdline_is_cut),
        cmocka_unit_test(test_groups_sessions_and_jail),
        cmocka_unit_test(test_stop_exit_reap),
        cmocka_unit_test(test_iteration_in_pid_order),
        cmocka_unit_test(test_seqlock),
        cmocka_unit_test(test_scoped_numbers),
        cmocka_unit_test(test_deep_scopes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
