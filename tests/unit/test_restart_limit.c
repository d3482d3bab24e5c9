/* proc-server's restart limit: five restarts in ten seconds, then a server
 * that faults again stays stopped; restarts spread out never stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "restart_limit.h"

#define SECOND 1000000000ull

static void test_five_then_stopped(void **state)
{
    (void)state;
    restart_limit_t l = {0};
    for (unsigned i = 0; i < RESTART_LIMIT_COUNT; i++) {
        assert_true(restart_limit_allow(&l, 100 * SECOND + i * SECOND));
    }
    /* the sixth fault, 9 s after the first restart */
    assert_false(restart_limit_allow(&l, 109 * SECOND));
    assert_false(restart_limit_allow(&l, 109 * SECOND + SECOND / 2));
}

static void test_window_slides(void **state)
{
    (void)state;
    restart_limit_t l = {0};
    for (unsigned i = 0; i < RESTART_LIMIT_COUNT; i++) {
        assert_true(restart_limit_allow(&l, i * SECOND));
    }
    /* 10 s after the first of the five: it no longer counts */
    assert_true(restart_limit_allow(&l, 10 * SECOND));
    /* the five before now are 1, 2, 3, 4, 10 s: 11 s is within 10 s of 1 */
    assert_false(restart_limit_allow(&l, 10 * SECOND + 1));
}

static void test_spread_out_never_stops(void **state)
{
    (void)state;
    restart_limit_t l = {0};
    for (uint64_t i = 0; i < 100; i++) {
        assert_true(restart_limit_allow(&l, i * 3 * SECOND));
    }
}

static void test_first_restarts_at_time_zero(void **state)
{
    (void)state;
    restart_limit_t l = {0}; /* an empty ring's zeros are no restarts */
    for (unsigned i = 0; i < RESTART_LIMIT_COUNT; i++) {
        assert_true(restart_limit_allow(&l, 0));
    }
    assert_false(restart_limit_allow(&l, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_five_then_stopped),
        cmocka_unit_test(test_window_slides),
        cmocka_unit_test(test_spread_out_never_stops),
        cmocka_unit_test(test_first_restarts_at_time_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
