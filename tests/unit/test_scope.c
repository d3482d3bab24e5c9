/* proc-server's scope tree: PID numbering and translation, visibility, limits, registry, end. */
#include <errno.h>
#include <string.h>

#include "proc_fixture.h"

/* A host with init (global 1) and runc (global 2), runc's scope S holding c1 (its PID 1). */
typedef struct host {
    proc_table_t *tab;
    process_t *init;
    process_t *runc;
    scope_t *s;
    process_t *c1;
} host_t;

static host_t host_with_container(void)
{
    host_t h;
    h.tab = fx_table();
    h.init = fx_spawn(h.tab, NULL, NULL, "/sbin/init");
    h.runc = fx_spawn(h.tab, h.init, NULL, "/bin/runc");
    h.s = fx_scope(h.tab, h.runc, NULL);
    h.c1 = fx_spawn(h.tab, h.runc, h.s, "/bin/sh");
    return h;
}

static void host_free(host_t *h)
{
    proc_table_destroy(h->tab);
}

static void test_root_init(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    assert_int_equal(proc_global_pid(init), 1);
    assert_int_equal(proc_getpid(init), 1);
    assert_int_equal(proc_getppid(init), 0);
    assert_ptr_equal(tab->root_scope->init, init);
    assert_true(proc_is_scope_init(init));
    process_t *child = fx_fork(tab, init);
    assert_int_equal(proc_getpid(child), 2);
    assert_int_equal(proc_getppid(child), 1);
    assert_false(proc_is_scope_init(child));
    proc_table_destroy(tab);
}

static void test_per_scope_numbering(void **state)
{
    (void)state;
    host_t h = host_with_container();
    assert_int_equal(proc_global_pid(h.c1), 3);
    assert_int_equal(proc_getpid(h.c1), 1);
    assert_int_equal(proc_pid_in(h.c1, h.tab->root_scope), 3);
    assert_int_equal(proc_pid_in(h.c1, h.s), 1);
    assert_ptr_equal(h.s->init, h.c1);
    assert_int_equal(proc_getppid(h.c1), 0); /* runc is outside S */

    process_t *c2 = fx_fork(h.tab, h.c1);
    assert_int_equal(proc_getpid(c2), 2);
    assert_int_equal(proc_global_pid(c2), 4);
    assert_int_equal(proc_getppid(c2), 1);

    /* A process spawned into a running scope by an outsider: not PID 1, PPID 0. */
    process_t *c3 = fx_spawn(h.tab, h.runc, h.s, "/bin/ps");
    assert_int_equal(proc_getpid(c3), 3);
    assert_int_equal(proc_getppid(c3), 0);
    assert_ptr_equal(h.s->init, h.c1);

    /* Two levels down: one number per level. */
    scope_t *t = fx_scope(h.tab, c2, NULL);
    assert_int_equal(t->level, 2);
    process_t *d1 = fx_spawn(h.tab, c2, t, "/bin/sh");
    assert_int_equal(proc_pid_in(d1, h.tab->root_scope), 6);
    assert_int_equal(proc_pid_in(d1, h.s), 4);
    assert_int_equal(proc_pid_in(d1, t), 1);
    assert_int_equal(proc_getppid(d1), 0);
    scope_put(t);
    scope_put(h.s);
    host_free(&h);
}

static void test_translation_both_ways(void **state)
{
    (void)state;
    host_t h = host_with_container();
    process_t *c2 = fx_fork(h.tab, h.c1);
    /* number → process, in each scope's own numbering */
    assert_ptr_equal(proc_find(h.tab, h.s, 1), h.c1);
    assert_ptr_equal(proc_find(h.tab, h.s, 2), c2);
    assert_ptr_equal(proc_find(h.tab, h.tab->root_scope, 3), h.c1);
    assert_ptr_equal(proc_find(h.tab, h.tab->root_scope, 4), c2);
    assert_ptr_equal(proc_find_global(h.tab, 1), h.init);
    /* numbers S does not have, and numbers that are not PIDs */
    assert_null(proc_find(h.tab, h.s, 3));
    assert_null(proc_find(h.tab, h.s, 4));
    assert_null(proc_find(h.tab, h.s, 0));
    assert_null(proc_find(h.tab, h.s, -1));
    /* process → number: 0 where it is not visible */
    assert_int_equal(proc_pid_in(h.init, h.s), 0);
    assert_int_equal(proc_pid_in(h.runc, h.s), 0);
    assert_int_equal(proc_pid_in(c2, h.s), 2);
    scope_put(h.s);
    host_free(&h);
}

static void test_visibility_both_ways(void **state)
{
    (void)state;
    host_t h = host_with_container();
    scope_t *sibling = fx_scope(h.tab, h.runc, NULL);
    process_t *other = fx_spawn(h.tab, h.runc, sibling, "/bin/sh");
    /* down: the host sees into both containers */
    assert_true(proc_can_see(h.init, h.c1));
    assert_true(proc_can_see(h.runc, other));
    /* up and sideways: a container sees neither the host nor its sibling */
    assert_false(proc_can_see(h.c1, h.init));
    assert_false(proc_can_see(h.c1, h.runc));
    assert_false(proc_can_see(h.c1, other));
    assert_false(proc_can_see(other, h.c1));
    assert_true(proc_can_see(h.c1, h.c1));
    assert_true(scope_contains(h.tab->root_scope, h.s));
    assert_false(scope_contains(h.s, h.tab->root_scope));
    assert_false(scope_contains(h.s, sibling));
    scope_put(sibling);
    scope_put(h.s);
    host_free(&h);
}

static void test_scope_create_errors(void **state)
{
    (void)state;
    host_t h = host_with_container();
    scope_t *out = NULL;
    /* a container cannot create a scope outside itself */
    assert_int_equal(scope_create(h.tab, h.c1, h.tab->root_scope, 0, &out), -EPERM);
    /* jailed: -EPERM before the (invisible) parent is even considered */
    process_t *jailed = fx_fork(h.tab, h.c1);
    proc_jail(jailed);
    assert_int_equal(scope_create(h.tab, jailed, NULL, 0, &out), -EPERM);
    assert_int_equal(proc_check_unjailed(jailed), -EPERM);
    assert_int_equal(proc_check_unjailed(h.c1), 0);
    /* depth: 32 levels, root included */
    scope_t *chain[SCOPE_LEVELS_MAX];
    chain[0] = h.tab->root_scope;
    for (unsigned i = 1; i < SCOPE_LEVELS_MAX; i++) {
        chain[i] = fx_scope(h.tab, NULL, chain[i - 1]);
    }
    assert_int_equal(scope_create(h.tab, NULL, chain[SCOPE_LEVELS_MAX - 1], 0, &out), -ENOSPC);
    for (unsigned i = SCOPE_LEVELS_MAX - 1; i >= 1; i--) {
        scope_put(chain[i]);
    }
    assert_int_equal(scope_create(h.tab, h.runc, h.s, 42, &out), 0);
    assert_int_equal(out->created_time, 42);
    assert_int_equal(out->state, SCOPE_CREATING);
    assert_ptr_equal(out->owner, h.runc);
    assert_int_equal(h.runc->owned_scopes, 2);
    scope_put(out); /* freed while still CREATING: runc owns it no more */
    assert_int_equal(h.runc->owned_scopes, 1);
    scope_put(h.s);
    host_free(&h);
}

static void test_limit_counts_and_refuses(void **state)
{
    (void)state;
    host_t h = host_with_container();
    scope_set_limit(h.s, 3);
    process_t *c2 = fx_fork(h.tab, h.c1);
    fx_fork(h.tab, c2);
    assert_int_equal(h.s->count, 3);
    unsigned root_count = h.tab->root_scope->count;
    assert_int_equal(root_count, 5);
    int next_nr = h.s->next_nr;

    process_t *out = NULL;
    assert_int_equal(proc_fork(h.tab, h.c1, 0, NULL, &out), -EAGAIN);
    const char *argv[] = {"x", NULL};
    proc_spawn_args_t args = {.parent = h.runc, .scope = h.s, .exe = "/x", .argv = argv};
    assert_int_equal(proc_spawn(h.tab, &args, &out), -EAGAIN);
    /* nothing changed */
    assert_int_equal(h.s->count, 3);
    assert_int_equal(h.tab->root_scope->count, root_count);
    assert_int_equal(h.s->next_nr, next_nr);
    assert_null(proc_find(h.tab, h.s, 4));
    /* the host is not limited by its container */
    fx_fork(h.tab, h.init);
    scope_put(h.s);
    host_free(&h);
}

static void test_fork_bomb_in_scope_of_32(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *runc = fx_fork(tab, init);
    scope_t *s = fx_scope(tab, runc, NULL);
    scope_set_limit(s, 32);
    process_t *procs[64];
    size_t live = 0;
    int succeeded = 0, refused = 0;
    const char *argv[] = {"bomb", NULL};
    proc_spawn_args_t args = {.parent = runc, .scope = s, .exe = "/bomb", .argv = argv};
    assert_int_equal(proc_spawn(tab, &args, &procs[live++]), 0);
    succeeded++;
    /* every process forks, over and over */
    for (int round = 0; round < 200; round++) {
        process_t *child = NULL;
        int err = proc_fork(tab, procs[(size_t)round % live], 0, NULL, &child);
        if (err == 0) {
            procs[live++] = child;
            succeeded++;
        } else {
            assert_int_equal(err, -EAGAIN);
            refused++;
        }
    }
    assert_int_equal(succeeded, 32);
    assert_int_equal(refused, 200 - 31);
    assert_int_equal(s->count, 32);
    /* the parent scope is unaffected: it can still fork and spawn */
    assert_int_equal(tab->root_scope->count, 34);
    process_t *more = fx_fork(tab, init);
    assert_int_equal(proc_getpid(more), 35);
    scope_put(s);
    proc_table_destroy(tab);
}

static void test_limit_of_ancestor_applies(void **state)
{
    (void)state;
    host_t h = host_with_container();
    scope_set_limit(h.s, 3);
    scope_t *t = fx_scope(h.tab, h.c1, NULL); /* no limit of its own */
    process_t *d1 = fx_spawn(h.tab, h.c1, t, "/bin/sh");
    fx_fork(h.tab, d1);
    assert_int_equal(h.s->count, 3);
    assert_int_equal(t->count, 2);
    process_t *out = NULL;
    assert_int_equal(proc_fork(h.tab, d1, 0, NULL, &out), -EAGAIN);
    assert_int_equal(t->count, 2);
    scope_put(t);
    scope_put(h.s);
    host_free(&h);
}

static void test_zombies_count_until_reaped(void **state)
{
    (void)state;
    host_t h = host_with_container();
    scope_set_limit(h.s, 2);
    process_t *c2 = fx_fork(h.tab, h.c1);
    fx_exit(h.tab, c2, 0);
    assert_int_equal(c2->state, PROC_ZOMBIE);
    assert_int_equal(h.s->count, 2);
    process_t *out = NULL;
    assert_int_equal(proc_fork(h.tab, h.c1, 0, NULL, &out), -EAGAIN);
    assert_int_equal(fx_reap(h.tab, h.c1, c2), 0);
    assert_int_equal(h.s->count, 1);
    assert_int_equal(proc_fork(h.tab, h.c1, 0, NULL, &out), 0);
    scope_put(h.s);
    host_free(&h);
}

static void test_registry(void **state)
{
    (void)state;
    host_t h = host_with_container();
    scope_t *s2 = fx_scope(h.tab, h.runc, NULL);
    char long_name[SCOPE_NAME_MAX + 2];
    memset(long_name, 'a', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    assert_int_equal(scope_register(h.s, "", "/b"), -EINVAL);
    assert_int_equal(scope_register(h.s, "a/b", "/b"), -EINVAL);
    assert_int_equal(scope_register(h.s, "web", NULL), -EINVAL);
    assert_int_equal(scope_register(h.s, long_name, "/b"), -EINVAL);
    assert_int_equal(scope_register(h.tab->root_scope, "root", "/b"), -EINVAL);
    assert_int_equal(h.s->state, SCOPE_CREATING);
    long_name[SCOPE_NAME_MAX] = '\0';
    assert_true(scope_name_valid(long_name));
    assert_true(scope_name_valid("A-z_0.9+"));

    assert_int_equal(scope_register(h.s, "web", "/bundles/web"), 0);
    assert_int_equal(h.s->state, SCOPE_CREATED);
    assert_null(h.s->owner);
    assert_string_equal(h.s->bundle, "/bundles/web");
    assert_int_equal(scope_register(h.s, "web2", "/b"), -EINVAL); /* not CREATING any more */
    assert_int_equal(scope_register(s2, "web", "/b"), -EEXIST);
    assert_int_equal(s2->state, SCOPE_CREATING);
    assert_ptr_equal(scope_find_child(h.tab->root_scope, "web"), h.s);
    assert_null(scope_find_child(h.tab->root_scope, "db"));

    /* IDs are per parent: the same name inside the container is another container */
    scope_t *inner = fx_scope(h.tab, h.c1, NULL);
    assert_int_equal(scope_register(inner, "web", "/b"), 0);
    assert_ptr_equal(scope_find_child(h.s, "web"), inner);

    assert_int_equal(scope_start(h.s), 0);
    assert_int_equal(h.s->state, SCOPE_RUNNING);
    assert_int_equal(scope_start(h.s), -EINVAL);
    assert_int_equal(scope_unregister(h.s), -EBUSY);
    assert_int_equal(scope_unregister(s2), -EINVAL);
    scope_put(inner);
    scope_put(s2);
    scope_put(h.s);
    host_free(&h);
}

/* The whole life of a container: PID 1 exits, the scope is killed, stays a record, is deleted. */
static void test_init_exit_ends_scope(void **state)
{
    (void)state;
    host_t h = host_with_container();
    assert_int_equal(scope_register(h.s, "web", "/b"), 0);
    assert_int_equal(scope_start(h.s), 0);
    process_t *c2 = fx_fork(h.tab, h.c1);
    process_t *c3 = fx_fork(h.tab, c2);
    scope_t *t = fx_scope(h.tab, c2, NULL);
    process_t *d1 = fx_spawn(h.tab, c2, t, "/bin/sh");
    assert_int_equal(h.s->count, 4);

    proc_exit_ret_t ret = fx_exit(h.tab, h.c1, 7);
    assert_true(ret.kill_needed);
    assert_false(ret.reaped);
    assert_ptr_equal(ret.notify_parent, h.runc);
    assert_int_equal(h.s->state, SCOPE_STOPPED);
    assert_int_equal(h.s->exit_status, proc_wstatus_exited(7));
    assert_true(scope_is_dying(t));

    /* nothing new enters the dying scopes */
    process_t *out = NULL;
    assert_int_equal(proc_fork(h.tab, c2, 0, NULL, &out), -EINVAL);
    const char *argv[] = {"x", NULL};
    proc_spawn_args_t args = {.parent = h.runc, .scope = h.s, .exe = "/x", .argv = argv};
    assert_int_equal(proc_spawn(h.tab, &args, &out), -EINVAL);

    /* everything in S and below is doomed, the host is not */
    proc_pid_list_t doomed;
    assert_int_equal(proc_collect_doomed(h.tab, &doomed), 0);
    assert_int_equal(doomed.count, 3);
    assert_int_equal(doomed.pids[0], proc_global_pid(c2));
    assert_int_equal(doomed.pids[1], proc_global_pid(c3));
    assert_int_equal(doomed.pids[2], proc_global_pid(d1));
    proc_pid_list_free(&doomed);
    assert_int_equal(fx_kill_doomed(h.tab), 3);
    assert_int_equal(t->state, SCOPE_STOPPED);
    /* orphans of a dead scope are reaped as they die; PID 1 waits for runc */
    assert_int_equal(h.s->count, 1);
    assert_int_equal(fx_reap(h.tab, h.runc, h.c1), proc_wstatus_exited(7));
    assert_int_equal(h.s->count, 0);
    assert_null(h.s->init);

    /* the record stays until deleted */
    assert_ptr_equal(scope_find_child(h.tab->root_scope, "web"), h.s);
    assert_int_equal(h.s->state, SCOPE_STOPPED);
    assert_int_equal(scope_unregister(h.s), 0);
    assert_null(scope_find_child(h.tab->root_scope, "web"));
    assert_int_equal(h.tab->root_scope->count, 2);
    scope_put(t);
    scope_put(h.s);
    /* every record is gone: only the root remains */
    assert_true(list_empty(&h.tab->root_scope->children));
    host_free(&h);
}

static void test_unregistered_scope_dies_with_owner(void **state)
{
    (void)state;
    host_t h = host_with_container();
    scope_t *kept = fx_scope(h.tab, h.runc, NULL);
    process_t *k1 = fx_spawn(h.tab, h.runc, kept, "/bin/sh");
    assert_int_equal(scope_register(kept, "kept", "/b"), 0);
    assert_int_equal(h.runc->owned_scopes, 1); /* S only: kept is the registry's now */

    proc_exit_ret_t ret = fx_exit(h.tab, h.runc, 1);
    assert_true(ret.kill_needed);
    assert_int_equal(h.s->state, SCOPE_STOPPED);
    assert_int_equal(h.s->exit_status, proc_wstatus_signaled(SIGKILL, false));
    assert_int_equal(kept->state, SCOPE_CREATED);
    /* the orphaned PID 1s went to the host's init */
    assert_ptr_equal(h.c1->parent, h.init);
    assert_ptr_equal(k1->parent, h.init);
    assert_int_equal(fx_kill_doomed(h.tab), 1);
    assert_int_equal(h.c1->state, PROC_ZOMBIE);
    assert_int_equal(k1->state, PROC_RUNNING);
    scope_put(kept);
    scope_put(h.s);
    host_free(&h);
}

static void test_scope_freed_with_last_reference(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *s = fx_scope(tab, init, NULL);
    process_t *c1 = fx_spawn(tab, init, s, "/bin/sh");
    scope_put(s); /* the process still holds it */
    assert_false(list_empty(&tab->root_scope->children));
    fx_exit(tab, c1, 0);
    fx_reap(tab, init, c1);
    assert_true(list_empty(&tab->root_scope->children));
    assert_int_equal(tab->root_scope->refs, 2); /* its own and init's PID */
    proc_table_destroy(tab);
}

/* What the release hook saw (scope_memory.c frees a scope's pool there). */
static struct {
    int calls;
    uint64_t id;
    unsigned count;
} released;

static void record_release(scope_t *scope)
{
    released.calls++;
    released.id = scope->id;
    released.count = scope->count;
}

static void test_release_hook_after_last_process(void **state)
{
    (void)state;
    released.calls = 0;
    scope_set_release(record_release);
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *s = fx_scope(tab, init, NULL);
    uint64_t id = s->id;
    process_t *c1 = fx_spawn(tab, init, s, "/bin/sh");
    scope_put(s);
    fx_exit(tab, c1, 0);
    assert_int_equal(released.calls, 0); /* a zombie still holds it */
    fx_reap(tab, init, c1);
    assert_int_equal(released.calls, 1);
    assert_int_equal(released.id, id);
    assert_int_equal(released.count, 0);
    proc_table_destroy(tab);
    scope_set_release(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_init),
        cmocka_unit_test(test_per_scope_numbering),
        cmocka_unit_test(test_translation_both_ways),
        cmocka_unit_test(test_visibility_both_ways),
        cmocka_unit_test(test_scope_create_errors),
        cmocka_unit_test(test_limit_counts_and_refuses),
        cmocka_unit_test(test_fork_bomb_in_scope_of_32),
        cmocka_unit_test(test_limit_of_ancestor_applies),
        cmocka_unit_test(test_zombies_count_until_reaped),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_init_exit_ends_scope),
        cmocka_unit_test(test_unregistered_scope_dies_with_owner),
        cmocka_unit_test(test_scope_freed_with_last_reference),
        cmocka_unit_test(test_release_hook_after_last_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
