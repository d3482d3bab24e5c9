/*
 * Host unit tests for where brk(2) may move the program break
 * (proc-server/brk_rule.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "brk_rule.h"

#define START 0x5ed000ull
#define MIB (1ull << 20)

static void test_below_start_only_asks(void **state)
{
    (void)state;
    assert_int_equal(brk_rule(START, START + 100, 0, MIB), START + 100);
    assert_int_equal(brk_rule(START, START + 100, START - 1, MIB), START + 100);
}

static void test_grows_and_shrinks_to_the_byte(void **state)
{
    (void)state;
    assert_int_equal(brk_rule(START, START, START + 135000, MIB), START + 135000);
    assert_int_equal(brk_rule(START, START + 135000, START + 7, MIB), START + 7);
    assert_int_equal(brk_rule(START, START + 7, START, 0), START); /* back to empty */
}

static void test_growth_within_the_page_costs_nothing(void **state)
{
    (void)state;
    /* the page holding the break is the heap's already: no room needed */
    assert_int_equal(brk_rule(START, START + 1, START + 4096, 0), START + 4096);
    assert_int_equal(brk_rule(START, START + 4096, START + 4097, 0), START + 4096);
}

static void test_growth_beyond_room_is_refused(void **state)
{
    (void)state;
    assert_int_equal(brk_rule(START, START, START + 2 * 4096, 4096), START);
    assert_int_equal(brk_rule(START, START, START + 2 * 4096, 2 * 4096), START + 2 * 4096);
    /* a lower break needs no room */
    assert_int_equal(brk_rule(START, START + MIB, START + 4096, 0), START + 4096);
}

static void test_heap_limit(void **state)
{
    (void)state;
    assert_int_equal(brk_rule(START, START, START + BRK_MAX_BYTES, UINT64_MAX),
                     START + BRK_MAX_BYTES);
    assert_int_equal(brk_rule(START, START, START + BRK_MAX_BYTES + 1, UINT64_MAX), START);
    /* an address whose distance from the start would wrap */
    assert_int_equal(brk_rule(START, START, UINT64_MAX, UINT64_MAX), START);
}

static void test_pages_end(void **state)
{
    (void)state;
    assert_int_equal(brk_pages_end(START), START);
    assert_int_equal(brk_pages_end(START + 1), START + 4096);
    assert_int_equal(brk_pages_end(START + 4096), START + 4096);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_below_start_only_asks),
        cmocka_unit_test(test_grows_and_shrinks_to_the_byte),
        cmocka_unit_test(test_growth_within_the_page_costs_nothing),
        cmocka_unit_test(test_growth_beyond_room_is_refused),
        cmocka_unit_test(test_heap_limit),
        cmocka_unit_test(test_pages_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
