/*
 * Host unit tests for the PATH search of a spawned program's name
 * (proc-server/path_search.c): the directories come from the child's own
 * environment, in order, with execvp's empty-entry rule, and a candidate
 * that would not fit is skipped, never truncated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "path_search.h"

static void test_dirs_from_environment(void **state)
{
    (void)state;
    exec_args_t args;
    const char *argv[] = {"sh", NULL};
    const char *with[] = {"HOME=/root", "PATH=/x:/y", NULL};
    const char *without[] = {"PATHX=/z", NULL};
    exec_args_from_arrays(&args, "sh", argv, with);
    assert_string_equal(path_search_dirs(&args), "/x:/y");
    exec_args_from_arrays(&args, "sh", argv, without);
    assert_string_equal(path_search_dirs(&args), PATH_SEARCH_DEFAULT);
    exec_args_from_arrays(&args, "sh", argv, NULL);
    assert_string_equal(path_search_dirs(&args), PATH_SEARCH_DEFAULT);
}

static void test_candidates_in_order(void **state)
{
    (void)state;
    const char *dirs = "/usr/bin::/bin:";
    char out[64];
    assert_true(path_search_next(&dirs, "sh", out, sizeof(out)));
    assert_string_equal(out, "/usr/bin/sh");
    assert_true(path_search_next(&dirs, "sh", out, sizeof(out)));
    assert_string_equal(out, "sh"); /* empty entry: the current directory */
    assert_true(path_search_next(&dirs, "sh", out, sizeof(out)));
    assert_string_equal(out, "/bin/sh");
    assert_false(path_search_next(&dirs, "sh", out, sizeof(out)));
}

static void test_too_long_is_skipped(void **state)
{
    (void)state;
    const char *dirs = "/a-very-long-directory-name:/b";
    char out[8];
    assert_true(path_search_next(&dirs, "sh", out, sizeof(out)));
    assert_string_equal(out, "/b/sh");
    assert_false(path_search_next(&dirs, "sh", out, sizeof(out)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dirs_from_environment),
        cmocka_unit_test(test_candidates_in_order),
        cmocka_unit_test(test_too_long_is_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
