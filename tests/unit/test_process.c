/* proc-server's process table: creation, exec, comm, jail, PID allocation, debug text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "pgrp.h"
#include "proc_fixture.h"

/* Puts member into leader's process group, as leader's parent would. */
static int pgrp_setpgid_for_test(proc_table_t *tab, process_t *leader, process_t *member)
{
    int err = pgrp_setpgid(tab, leader->parent, proc_getpid(leader), 0);
    if (err == 0) {
        err = pgrp_setpgid(tab, member->parent, proc_getpid(member), proc_getpid(leader));
    }
    return err;
}

static void release_counter(process_t *proc, void *arg)
{
    (void)arg;
    int *count = proc->server_data;
    (*count)++;
}

static void test_spawn_records(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    int data;
    const char *argv[] = {"sh", "-c", "echo hi", NULL};
    proc_spawn_args_t args = {.exe = "/bin/a-very-long-program-name",
                              .argv = argv,
                              .start_time = 99,
                              .server_data = &data};
    process_t *proc = NULL;
    assert_int_equal(proc_spawn(tab, &args, &proc), 0);
    assert_string_equal(proc->exe, "/bin/a-very-long-program-name");
    assert_int_equal(proc->cmdline_len, sizeof("sh\0-c\0echo hi"));
    assert_memory_equal(proc->cmdline, "sh\0-c\0echo hi", proc->cmdline_len);
    assert_string_equal(proc->comm, "a-very-long-pro"); /* 15 bytes */
    assert_int_equal(proc->start_time, 99);
    assert_ptr_equal(proc->server_data, &data);
    assert_int_equal(proc->state, PROC_RUNNING);
    assert_ptr_equal(proc->hostname, tab->root_hostname);
    /* proc-server's own spawn leads a new group and session */
    assert_ptr_equal(proc->pgrp, proc->pid);
    assert_ptr_equal(proc->session, proc->pid);
    assert_false(proc->jailed);
    assert_false(proc->execed);

    args.exe = NULL;
    assert_int_equal(proc_spawn(tab, &args, &proc), -EINVAL);
    args.exe = "noslash";
    args.argv = NULL;
    assert_int_equal(proc_spawn(tab, &args, &proc), 0);
    assert_string_equal(proc->comm, "noslash");
    assert_int_equal(proc->cmdline_len, 0);
    proc_table_destroy(tab);
}

static void test_fork_copies_and_exec_replaces(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = NULL;
    assert_int_equal(proc_fork(tab, init, 5, NULL, &child), 0);
    assert_string_equal(child->exe, "/sbin/init");
    assert_memory_equal(child->cmdline, "/sbin/init", sizeof("/sbin/init"));
    assert_string_equal(child->comm, "init");
    assert_int_equal(child->start_time, 5);
    assert_ptr_equal(child->pgrp, init->pgrp);
    assert_ptr_equal(child->session, init->session);
    assert_ptr_equal(child->parent, init);

    const char *argv[] = {"ls", "-l", NULL};
    assert_int_equal(proc_exec(child, "/bin/ls", argv), 0);
    assert_string_equal(child->exe, "/bin/ls");
    assert_string_equal(child->comm, "ls");
    assert_memory_equal(child->cmdline, "ls\0-l", sizeof("ls\0-l"));
    assert_true(child->execed);
    assert_int_equal(proc_exec(child, NULL, argv), -EINVAL);
    assert_string_equal(child->exe, "/bin/ls");
    proc_set_comm(child, "0123456789abcdefgh");
    assert_string_equal(child->comm, "0123456789abcde");
    proc_table_destroy(tab);
}

static void test_cmdline_is_cut(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    char *big = malloc(PROC_CMDLINE_MAX + 100);
    assert_non_null(big);
    memset(big, 'x', PROC_CMDLINE_MAX + 99);
    big[PROC_CMDLINE_MAX + 99] = '\0';
    const char *argv[] = {"a", big, "b", NULL};
    proc_spawn_args_t args = {.exe = "/a", .argv = argv};
    process_t *proc = NULL;
    assert_int_equal(proc_spawn(tab, &args, &proc), 0);
    assert_int_equal(proc->cmdline_len, PROC_CMDLINE_MAX);
    assert_int_equal(proc->cmdline[PROC_CMDLINE_MAX], '\0');
    free(big);
    proc_table_destroy(tab);
}

static void test_jail_set_once_and_inherited(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *s = fx_scope(tab, init, NULL);
    process_t *free_child = fx_fork(tab, init);
    process_t *jailed = fx_fork(tab, init);
    proc_jail(jailed);
    proc_jail(jailed); /* again: still set, nothing to undo it */
    assert_true(jailed->jailed);
    assert_false(init->jailed);
    assert_false(free_child->jailed);

    process_t *forked = fx_fork(tab, jailed);
    assert_true(forked->jailed);
    process_t *spawned = fx_spawn(tab, forked, NULL, "/bin/sh");
    assert_true(spawned->jailed);
    const char *argv[] = {"x", NULL};
    assert_int_equal(proc_exec(spawned, "/bin/x", argv), 0);
    assert_true(spawned->jailed);

    /* jailed: no other scope, no other hostname context, refused with EPERM */
    process_t *out = NULL;
    proc_spawn_args_t args = {.parent = jailed, .scope = s, .exe = "/x", .argv = argv};
    assert_int_equal(proc_spawn(tab, &args, &out), -EPERM);
    hostname_ctx_t *ctx = NULL;
    assert_int_equal(hostname_create(tab, NULL, &ctx), 0);
    args = (proc_spawn_args_t){.parent = jailed, .hostname = ctx, .exe = "/x", .argv = argv};
    assert_int_equal(proc_spawn(tab, &args, &out), -EPERM);
    assert_int_equal(proc_attach_hostname(jailed, ctx), -EPERM);
    assert_int_equal(proc_check_unjailed(jailed), -EPERM);
    /* its own scope and context it may spawn into */
    args = (proc_spawn_args_t){.parent = jailed,
                               .scope = jailed->scope,
                               .hostname = jailed->hostname,
                               .exe = "/x",
                               .argv = argv};
    assert_int_equal(proc_spawn(tab, &args, &out), 0);
    assert_true(out->jailed);
    hostname_put(ctx);
    scope_put(s);
    proc_table_destroy(tab);
}

static void test_spawn_needs_visible_scope(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *s = fx_scope(tab, init, NULL);
    scope_t *other = fx_scope(tab, init, NULL);
    process_t *c1 = fx_spawn(tab, init, s, "/bin/sh");
    const char *argv[] = {"x", NULL};
    process_t *out = NULL;
    proc_spawn_args_t args = {.parent = c1, .scope = other, .exe = "/x", .argv = argv};
    assert_int_equal(proc_spawn(tab, &args, &out), -EPERM);
    args.scope = tab->root_scope;
    assert_int_equal(proc_spawn(tab, &args, &out), -EPERM);
    assert_int_equal(other->count, 0);
    scope_put(s);
    scope_put(other);
    proc_table_destroy(tab);
}

/* A PID stays taken while its process runs, is a zombie, or names a group. */
static void test_pid_not_reused(void **state)
{
    (void)state;
    proc_table_t *tab = proc_table_create(8); /* numbers 1..7 */
    assert_non_null(tab);
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *kids[6];
    for (int i = 0; i < 6; i++) {
        kids[i] = fx_fork(tab, init);
        assert_int_equal(proc_getpid(kids[i]), i + 2);
    }
    process_t *out = NULL;
    assert_int_equal(proc_fork(tab, init, 0, NULL, &out), -EAGAIN);
    fx_exit(tab, kids[0], 0); /* PID 2: a zombie still holds it */
    assert_int_equal(proc_fork(tab, init, 0, NULL, &out), -EAGAIN);
    fx_reap(tab, init, kids[0]);
    /* PID 3 leads a group in which PID 4 stays after 3 is reaped */
    assert_int_equal(pgrp_setpgid_for_test(tab, kids[1], kids[2]), 0);
    fx_exit(tab, kids[1], 0);
    fx_reap(tab, init, kids[1]);
    out = fx_fork(tab, init);
    assert_int_equal(proc_getpid(out), 2); /* wrapped; 3 is still a group ID */
    assert_int_equal(proc_fork(tab, init, 0, NULL, &out), -EAGAIN);
    proc_table_destroy(tab);
}

static void test_release_callback(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    int released = 0;
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *child = NULL;
    assert_int_equal(proc_fork(tab, init, 0, &released, &child), 0);
    proc_table_set_release(tab, release_counter, NULL);
    fx_exit(tab, child, 3);
    assert_int_equal(released, 0);
    fx_reap(tab, init, child);
    assert_int_equal(released, 1);
    proc_table_destroy(tab);
}

static void test_dump_processes(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *s = fx_scope(tab, init, NULL);
    assert_int_equal(scope_register(s, "web", "/b"), 0);
    const char *argv[] = {"sh", "-c", "true", NULL};
    proc_spawn_args_t args = {.parent = init, .scope = s, .exe = "/bin/sh", .argv = argv};
    process_t *c1 = NULL;
    assert_int_equal(proc_spawn(tab, &args, &c1), 0);
    fx_exit(tab, fx_fork(tab, c1), 0);
    char buf[512];
    size_t len = dump_processes(tab, NULL, buf, sizeof(buf));
    assert_string_equal(buf, "GPID PPID PIDS SCOPE STATE (COMM) CMDLINE\n"
                             "1 0 1 0 running (init) /sbin/init\n"
                             "2 1 2/1 1:web running (sh) sh -c true\n"
                             "3 2 3/2 1:web zombie (sh) sh -c true\n");
    assert_int_equal(len, strlen(buf));
    /* from inside: only the container */
    dump_processes(tab, s, buf, sizeof(buf));
    assert_null(strstr(buf, "/sbin/init"));
    assert_non_null(strstr(buf, "2/1"));
    /* cut: NUL-terminated, and the full length is still reported */
    char small[20];
    assert_int_equal(dump_processes(tab, NULL, small, sizeof(small)), len);
    assert_int_equal(strlen(small), sizeof(small) - 1);
    assert_int_equal(dump_processes(tab, NULL, NULL, 0), len);

    scope_set_limit(s, 32);
    dump_scopes(tab, NULL, buf, sizeof(buf));
    assert_string_equal(buf, "SCOPE STATE LIMIT COUNT HOSTNAME PID1\n"
                             "0 running - 3 0 1\n"
                             "  1:web created 32 2 0 2\n");
    dump_hostnames(tab, buf, sizeof(buf));
    assert_string_equal(buf, "CTX REFS HOSTNAME DOMAIN\n"
                             "0 3 capsule (none)\n");
    scope_put(s);
    proc_table_destroy(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spawn_records),
        cmocka_unit_test(test_fork_copies_and_exec_replaces),
        cmocka_unit_test(test_cmdline_is_cut),
        cmocka_unit_test(test_jail_set_once_and_inherited),
        cmocka_unit_test(test_spawn_needs_visible_scope),
        cmocka_unit_test(test_pid_not_reused),
        cmocka_unit_test(test_release_callback),
        cmocka_unit_test(test_dump_processes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
