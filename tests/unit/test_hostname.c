/* proc-server's hostname contexts: names and their limits, sharing, references, jail. */
#include <errno.h>
#include <string.h>

#include "dump.h"
#include "proc_fixture.h"

static size_t hostname_count(const proc_table_t *tab)
{
    size_t count = 0;
    const list_node_t *pos;
    list_for_each(pos, &tab->hostnames)
    {
        count++;
    }
    return count;
}

static void test_names_and_limits(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    hostname_ctx_t *root = tab->root_hostname;
    assert_string_equal(root->hostname, "capsule");
    assert_string_equal(root->domainname, "(none)");
    char name[HOSTNAME_MAX + 1];
    memset(name, 'h', sizeof(name));
    assert_int_equal(hostname_set(root, name, HOSTNAME_MAX + 1), -EINVAL);
    assert_int_equal(hostname_set_domain(root, name, HOSTNAME_MAX + 1), -EINVAL);
    assert_string_equal(root->hostname, "capsule");
    assert_int_equal(hostname_set(root, name, HOSTNAME_MAX), 0);
    assert_int_equal(strlen(root->hostname), HOSTNAME_MAX);
    assert_int_equal(hostname_set(root, "box-not-this", 3), 0); /* len bytes, no NUL needed */
    assert_string_equal(root->hostname, "box");
    assert_int_equal(hostname_set(root, "", 0), 0);
    assert_string_equal(root->hostname, "");
    assert_int_equal(hostname_set_domain(root, "example.org", 11), 0);
    assert_string_equal(root->domainname, "example.org");
    proc_table_destroy(tab);
}

static void test_shared_and_isolated(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *runc = fx_fork(tab, init);
    hostname_ctx_t *ctx = NULL;
    assert_int_equal(hostname_set(tab->root_hostname, "host", 4), 0);
    assert_int_equal(hostname_create(tab, runc, &ctx), 0);
    assert_string_equal(ctx->hostname, "host"); /* a copy of the creator's */
    assert_int_equal(hostname_set(ctx, "web", 3), 0);
    assert_string_equal(tab->root_hostname->hostname, "host");

    const char *argv[] = {"sh", NULL};
    proc_spawn_args_t args = {.parent = runc, .hostname = ctx, .exe = "/bin/sh", .argv = argv};
    process_t *c1 = NULL;
    assert_int_equal(proc_spawn(tab, &args, &c1), 0);
    process_t *c2 = fx_fork(tab, c1);
    assert_ptr_equal(c1->hostname, ctx);
    assert_ptr_equal(c2->hostname, ctx); /* fork shares it */
    assert_int_equal(ctx->refs, 3);
    assert_int_equal(hostname_set(ctx, "web2", 4), 0);
    assert_string_equal(c2->hostname->hostname, "web2");
    assert_ptr_equal(init->hostname, tab->root_hostname);

    /* attach moves one process, its reference too */
    assert_int_equal(proc_attach_hostname(runc, ctx), 0);
    assert_int_equal(ctx->refs, 4);
    assert_int_equal(proc_attach_hostname(runc, tab->root_hostname), 0);
    assert_int_equal(ctx->refs, 3);

    /* the last reference frees it: the creator's, then each attached process's */
    hostname_put(ctx);
    assert_int_equal(hostname_count(tab), 2);
    fx_exit(tab, c1, 0);
    assert_int_equal(hostname_count(tab), 2);
    fx_exit(tab, c2, 0);
    assert_int_equal(hostname_count(tab), 1);
    proc_table_destroy(tab);
}

static void test_jailed_cannot_create_or_attach(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *jailed = fx_fork(tab, init);
    proc_jail(jailed);
    hostname_ctx_t *ctx = NULL;
    assert_int_equal(hostname_create(tab, jailed, &ctx), -EPERM);
    assert_int_equal(hostname_count(tab), 1);
    assert_int_equal(hostname_create(tab, init, &ctx), 0);
    assert_int_equal(proc_attach_hostname(jailed, ctx), -EPERM);
    assert_ptr_equal(jailed->hostname, tab->root_hostname);
    assert_int_equal(ctx->refs, 1);
    /* setting the names of its own context is a capability right, not a jail matter */
    assert_int_equal(hostname_set(jailed->hostname, "x", 1), 0);
    hostname_put(ctx);
    proc_table_destroy(tab);
}

static void test_dump_hostnames(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    hostname_ctx_t *ctx = NULL;
    assert_int_equal(hostname_create(tab, NULL, &ctx), 0);
    assert_int_equal(hostname_set(ctx, "web", 3), 0);
    char buf[128];
    dump_hostnames(tab, buf, sizeof(buf));
    assert_string_equal(buf, "CTX REFS HOSTNAME DOMAIN\n"
                             "0 1 capsule (none)\n"
                             "1 1 web (none)\n");
    hostname_put(ctx);
    proc_table_destroy(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_limits),
        cmocka_unit_test(test_shared_and_isolated),
        cmocka_unit_test(test_jailed_cannot_create_or_attach),
        cmocka_unit_test(test_dump_hostnames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
