/* proc-server's debug listings over the process model: rows, columns,
 * containers, JSON, and -ESRCH for a process that is not there. */
#include <errno.h>
#include <string.h>

#include "debug_proc.h"
#include "proc_fixture.h"

static char buf[8192];

static debug_text_t start(bool json)
{
    debug_text_t t;
    dt_init(&t, buf, sizeof(buf), json);
    return t;
}

static void test_list_and_tree(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    process_t *sh = fx_spawn(tab, init, NULL, "/bin/sh");
    scope_t *web = fx_scope(tab, sh, NULL);
    assert_int_equal(scope_register(web, "web", "/b/web"), 0);
    fx_spawn(tab, sh, web, "/bin/httpd");
    proc_jail(sh);
    debug_text_t t = start(false);
    debug_proc_list(tab, &t);
    assert_true(dt_fits(&t));
    assert_non_null(strstr(buf, "   PID   PPID  PIDS         CONTAINER"));
    assert_non_null(strstr(buf, "     1      0  1            (host)       running  no   init"));
    assert_non_null(strstr(buf, "     2      1  2            (host)       running  yes  sh"));
    assert_non_null(strstr(buf, "     3      2  3/1          web          running  no   httpd"));
    t = start(false);
    debug_proc_tree(tab, &t);
    assert_non_null(strstr(buf, "yes    sh "));      /* one level in */
    assert_non_null(strstr(buf, "no       httpd ")); /* two levels in */
    t = start(true);
    debug_proc_list(tab, &t);
    assert_non_null(strstr(buf, "{\"pid\":3,\"ppid\":2,\"pids\":\"3/1\",\"scope\":1,"
                                "\"container\":\"web\",\"state\":\"running\",\"jailed\":false,"
                                "\"comm\":\"httpd\",\"cmdline\":[\"/bin/httpd\"]}]\n"));
    scope_put(web);
    proc_table_destroy(tab);
}

static void test_scopes(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    process_t *init = fx_spawn(tab, NULL, NULL, "/sbin/init");
    scope_t *web = fx_scope(tab, init, NULL);
    assert_int_equal(scope_register(web, "web", "/b/web"), 0);
    scope_set_limit(web, 5);
    fx_spawn(tab, init, web, "/bin/httpd");
    debug_text_t t = start(false);
    debug_proc_scopes(tab, &t);
    assert_non_null(strstr(buf, "SCOPE      CONTAINER        STATE      LIMIT  COUNT   PID1"));
    assert_non_null(strstr(buf, "0          (host)           running        -      2      1"));
    assert_non_null(strstr(buf, "  1        web              created        5      1      2"));
    t = start(true);
    debug_proc_scopes(tab, &t);
    assert_non_null(strstr(buf,
                           "{\"id\":1,\"parent\":0,\"container\":\"web\",\"bundle\":\"/b/web\","
                           "\"state\":\"created\",\"limit\":5,\"count\":1,\"pid1\":2,"));
    scope_put(web);
    proc_table_destroy(tab);
}

static void test_show(void **state)
{
    (void)state;
    proc_table_t *tab = fx_table();
    fx_spawn(tab, NULL, NULL, "/sbin/init");
    debug_text_t t = start(false);
    assert_int_equal(debug_proc_show(tab, 1, &t), 0);
    assert_non_null(strstr(buf, "pid:          1 (1 from the root scope down)\n"));
    assert_non_null(strstr(buf, "comm:         init\n"));
    t = start(false);
    assert_int_equal(debug_proc_show(tab, 2, &t), -ESRCH);
    assert_int_equal(t.len, 0);
    proc_table_destroy(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_and_tree),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_show),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
