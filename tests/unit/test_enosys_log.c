/* -ENOSYS reports: the command-line word, once per number, and proc-server's rate limit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "capsule/enosys_filter.h"
#include "log_limit.h"

static void test_cmdline_word(void **state)
{
    (void)state;
    const char *w = ENOSYS_LOG_WORD;
    assert_true(enosys_cmdline_has_word("posix.log_enosys", 64, w));
    assert_true(enosys_cmdline_has_word("quiet  posix.log_enosys nofastpath", 64, w));
    assert_false(enosys_cmdline_has_word("posix.log_enosys2", 64, w));
    assert_false(enosys_cmdline_has_word("xposix.log_enosys", 64, w));
    assert_false(enosys_cmdline_has_word("", 64, w));
    /* the word must end within the bytes given */
    assert_false(enosys_cmdline_has_word("posix.log_enosys", 10, w));
    char unterminated[16];
    for (size_t i = 0; i < sizeof(unterminated); i++) {
        unterminated[i] = "posix.log_enosys"[i];
    }
    assert_true(enosys_cmdline_has_word(unterminated, sizeof(unterminated), w));
}

static void test_once_per_number(void **state)
{
    (void)state;
    enosys_filter_t f = {{0}, false};
    assert_true(enosys_filter_first(&f, 334));
    assert_false(enosys_filter_first(&f, 334));
    assert_true(enosys_filter_first(&f, 0));
    assert_true(enosys_filter_first(&f, ENOSYS_FILTER_NUMBERS - 1));
    assert_false(enosys_filter_first(&f, ENOSYS_FILTER_NUMBERS - 1));
    /* numbers past the table share one mark */
    assert_true(enosys_filter_first(&f, ENOSYS_FILTER_NUMBERS));
    assert_false(enosys_filter_first(&f, UINT64_MAX));
}

static void test_rate_limit(void **state)
{
    (void)state;
    log_limit_t l = {0, 0, 0, false};
    uint64_t dropped = 99, t = 5000;
    for (int i = 0; i < LOG_LIMIT_BURST; i++) {
        assert_true(log_limit_take(&l, t, &dropped));
        assert_int_equal(dropped, 0);
    }
    assert_false(log_limit_take(&l, t, &dropped));
    assert_false(log_limit_take(&l, t + LOG_LIMIT_PERIOD_NS - 1, &dropped));
    assert_true(log_limit_take(&l, t + LOG_LIMIT_PERIOD_NS, &dropped));
    assert_int_equal(dropped, 2); /* the two refused before */
    assert_false(log_limit_take(&l, t + LOG_LIMIT_PERIOD_NS, &dropped));
    /* a long quiet time refills only up to the burst */
    t += 1000 * LOG_LIMIT_PERIOD_NS;
    for (int i = 0; i < LOG_LIMIT_BURST; i++) {
        assert_true(log_limit_take(&l, t, &dropped));
    }
    assert_false(log_limit_take(&l, t, &dropped));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmdline_word),
        cmocka_unit_test(test_once_per_number),
        cmocka_unit_test(test_rate_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
