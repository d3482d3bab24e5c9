/* mremap's argument checks: Linux's EINVAL and ENOMEM before any mapping is looked at. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "capsule/remap_args.h"

#define PG 4096ull
#define LIMIT 0x7ffffffff000ull
#define A 0x100000000000ull

static int64_t check(uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t flags,
                     uint64_t new_addr, remap_lengths_t *out)
{
    return remap_check_args(addr, old_len, new_len, flags, new_addr, LIMIT, out);
}

static void test_flags(void **state)
{
    (void)state;
    remap_lengths_t l;
    assert_int_equal(check(A, PG, PG, 8, 0, &l), -EINVAL);
    assert_int_equal(check(A, PG, PG, REMAP_FIXED, A + 8 * PG, &l), -EINVAL);
    assert_int_equal(check(A, PG, PG, REMAP_DONTUNMAP, 0, &l), -EINVAL);
    assert_int_equal(check(A, PG, 2 * PG, REMAP_MAYMOVE | REMAP_DONTUNMAP, 0, &l), -EINVAL);
    assert_int_equal(check(A, PG, PG, REMAP_MAYMOVE | REMAP_DONTUNMAP, 0, &l), 0);
}

static void test_lengths(void **state)
{
    (void)state;
    remap_lengths_t l = {0, 0};
    assert_int_equal(check(A + 1, PG, PG, 0, 0, &l), -EINVAL);
    assert_int_equal(check(A, PG, 0, 0, 0, &l), -EINVAL);
    assert_int_equal(check(A, PG, UINT64_MAX, REMAP_MAYMOVE, 0, &l), -EINVAL); /* wraps to 0 */
    assert_int_equal(check(A, PG, LIMIT + PG, REMAP_MAYMOVE, 0, &l), -ENOMEM);
    assert_int_equal(check(A, 1, PG + 1, 0, 0, &l), 0);
    assert_int_equal(l.old_len, PG);
    assert_int_equal(l.new_len, 2 * PG);
    assert_int_equal(check(A, 0, PG, REMAP_MAYMOVE, 0, &l), 0); /* old_len 0: the caller's */
    assert_int_equal(l.old_len, 0);
}

static void test_fixed(void **state)
{
    (void)state;
    remap_lengths_t l;
    uint64_t f = REMAP_MAYMOVE | REMAP_FIXED;
    assert_int_equal(check(A, PG, PG, f, A + 8 * PG + 1, &l), -EINVAL);
    assert_int_equal(check(A, 2 * PG, PG, f, A + PG, &l), -EINVAL);     /* inside the old */
    assert_int_equal(check(A + PG, PG, 2 * PG, f, A, &l), -EINVAL);     /* the new covers it */
    assert_int_equal(check(A, PG, 2 * PG, f, LIMIT - PG, &l), -EINVAL); /* past the end */
    assert_int_equal(check(A, 2 * PG, PG, f, A + 2 * PG, &l), 0);       /* adjacent is fine */
    assert_int_equal(check(A + PG, PG, PG, f, A, &l), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_fixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
