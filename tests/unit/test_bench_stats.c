/* userland/bench's pure parts: median and spread of a row's samples, the
 * cost per iteration, and which system a native call's answer names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"
#include "system.h"

/* system.c's bench_detect_system calls it; only the pure part is tested */
int64_t native_null_call(void)
{
    return -ENOSYS;
}

static void test_odd_count(void **state)
{
    (void)state;
    uint64_t s[] = {50, 10, 40, 20, 30};
    bench_stats_t r = bench_stats(s, 5);
    assert_int_equal(r.median, 30);
    assert_int_equal(r.min, 10);
    assert_int_equal(r.max, 50);
    assert_int_equal(s[0], 10); /* sorted in place */
    assert_int_equal(s[4], 50);
}

static void test_even_count_averages_the_middle(void **state)
{
    (void)state;
    uint64_t s[] = {4, 1, 3, 2};
    bench_stats_t r = bench_stats(s, 4);
    assert_int_equal(r.median, 2); /* (2 + 3) / 2, rounded down */
    uint64_t big[] = {UINT64_MAX, UINT64_MAX - 2};
    assert_true(bench_stats(big, 2).median == UINT64_MAX - 1); /* no overflow */
}

static void test_one_and_none(void **state)
{
    (void)state;
    uint64_t one[] = {7};
    bench_stats_t r = bench_stats(one, 1);
    assert_int_equal(r.median, 7);
    assert_int_equal(r.min, 7);
    assert_int_equal(r.max, 7);
    r = bench_stats(NULL, 0);
    assert_int_equal(r.median, 0);
    assert_int_equal(r.max, 0);
}

static void test_per_iteration_rounds(void **state)
{
    (void)state;
    assert_int_equal(bench_per_iteration(1000, 3), 333);
    assert_int_equal(bench_per_iteration(1001, 2), 501); /* 500.5 to the nearest */
    assert_int_equal(bench_per_iteration(5, 0), 0);
}

static void test_system_from_answer(void **state)
{
    (void)state;
    assert_int_equal(bench_system_from_answer(-ENOSYS), SYSTEM_LINUX);
    assert_int_equal(bench_system_from_answer(1), SYSTEM_CAPSULE); /* KERR_INVALID_CAP */
    assert_int_equal(bench_system_from_answer(0), SYSTEM_UNKNOWN);
    assert_int_equal(bench_system_from_answer(-EPERM), SYSTEM_UNKNOWN);
    assert_int_equal(bench_system_from_answer(100000), SYSTEM_UNKNOWN);
    int64_t answer = 0;
    assert_int_equal(bench_detect_system(&answer), SYSTEM_LINUX);
    assert_int_equal(answer, -ENOSYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_odd_count),
        cmocka_unit_test(test_even_count_averages_the_middle),
        cmocka_unit_test(test_one_and_none),
        cmocka_unit_test(test_per_iteration_rounds),
        cmocka_unit_test(test_system_from_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
