/* The calendar arithmetic behind the kernel info page's wall-clock time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "kernel/civil_time.h"

static void test_known_dates(void **state)
{
    (void)state;
    assert_int_equal(civil_days_since_epoch(1970, 1, 1), 0);
    assert_int_equal(civil_days_since_epoch(1970, 1, 2), 1);
    assert_int_equal(civil_days_since_epoch(1969, 12, 31), -1);
    assert_int_equal(civil_days_since_epoch(2000, 3, 1), 11017);
    assert_int_equal(civil_days_since_epoch(2026, 11, 29), 20786);
}

static void test_leap_days(void **state)
{
    (void)state;
    assert_int_equal(civil_days_since_epoch(2024, 3, 1) - civil_days_since_epoch(2024, 2, 28), 2);
    assert_int_equal(civil_days_since_epoch(2100, 3, 1) - civil_days_since_epoch(2100, 2, 28), 1);
    assert_int_equal(civil_days_since_epoch(2000, 3, 1) - civil_days_since_epoch(2000, 2, 28), 2);
}

/* Every day from 1970 to 2100 against the C library's timegm(). */
static void test_against_timegm(void **state)
{
    (void)state;
    for (time_t t = 0; t < 4102444800; t += 86400) {
        struct tm tm;
        gmtime_r(&t, &tm);
        int64_t days = civil_days_since_epoch(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
                                              (unsigned)tm.tm_mday);
        assert_int_equal(days, t / 86400);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_dates),
        cmocka_unit_test(test_leap_days),
        cmocka_unit_test(test_against_timegm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
