/* The POSIX runtime's decoding of program-supplied structures
 * (libc/posix/arg_decode.c); the overflow cases came from fuzz_posix_args. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arg_decode.h"

/* fuzz_posix_args: tv_sec near INT64_MAX plus the microseconds' carry
 * overflowed (signed) before the "for ever" test. */
static void test_timeval_carry_does_not_overflow(void **state)
{
    (void)state;
    int64_t ns = 0;
    int64_t tv[2] = {INT64_MAX - 248, 72057594037927935};
    assert_int_equal(arg_timeval_ns(tv, &ns), 0);
    assert_int_equal(ns, ARG_NO_TIMEOUT);
    int64_t max[2] = {INT64_MAX, 1000000};
    assert_int_equal(arg_timeval_ns(max, &ns), 0);
    assert_int_equal(ns, ARG_NO_TIMEOUT);
}

static void test_timeval_exact(void **state)
{
    (void)state;
    int64_t ns = 0;
    int64_t tv[2] = {2, 2500000}; /* 2 s + 2.5 s carried over */
    assert_int_equal(arg_timeval_ns(tv, &ns), 0);
    assert_int_equal(ns, 4500000000ll);
    int64_t neg[2] = {0, -1};
    assert_int_equal(arg_timeval_ns(neg, &ns), -EINVAL);
}

static void test_timespec(void **state)
{
    (void)state;
    int64_t ns = 0;
    int64_t ts[2] = {1, 999999999};
    assert_int_equal(arg_timespec_ns(ts, &ns), 0);
    assert_int_equal(ns, 1999999999ll);
    int64_t bad[2] = {1, 1000000000};
    assert_int_equal(arg_timespec_ns(bad, &ns), -EINVAL);
    int64_t huge[2] = {INT64_MAX, 0};
    assert_int_equal(arg_timespec_ns(huge, &ns), 0);
    assert_int_equal(ns, ARG_NO_TIMEOUT);
}

static void test_fdsets_round_trip(void **state)
{
    (void)state;
    static uint64_t bits[3][ARG_FDSET_WORDS];
    static struct pollfd fds[ARG_FDSET_MAX];
    bits[0][0] = 1u << 3;           /* read 3 */
    bits[1][15] = 1ull << 63;       /* write 1023 */
    bits[2][0] = 1u << 3 | 1u << 5; /* except 3, 5 */
    uint64_t n = arg_fdsets_to_poll(bits, ARG_FDSET_MAX, fds);
    assert_int_equal(n, 3);
    assert_int_equal(fds[0].fd, 3);
    assert_int_equal(fds[0].events, POLLIN | POLLPRI);
    assert_int_equal(fds[2].fd, 1023);
    fds[0].revents = POLLHUP; /* in the read set only */
    fds[2].revents = POLLOUT;
    assert_int_equal(arg_poll_to_fdsets(fds, n, ARG_FDSET_WORDS, bits), 2);
    assert_int_equal(bits[0][0], 1u << 3);
    assert_int_equal(bits[2][0], 0);
    assert_int_equal(bits[1][15], 1ull << 63);
    fds[1].revents = POLLNVAL;
    assert_int_equal(arg_poll_to_fdsets(fds, n, ARG_FDSET_WORDS, bits), -EBADF);
}

static void test_clone_and_altstack(void **state)
{
    (void)state;
    assert_int_equal(arg_clone_flags(SIGCHLD, 0), 0);
    assert_int_equal(arg_clone_flags(SIGCHLD | 0x100 | 0x4000, 0x1000), 0); /* vfork */
    assert_int_equal(arg_clone_flags(SIGCHLD | 0x100, 0x1000), -ENOSYS);    /* a thread */
    assert_int_equal(arg_clone_flags(SIGCHLD | 0x10000, 0), -ENOSYS);       /* CLONE_THREAD */
    assert_int_equal(arg_sigaltstack(0, 8192), 0);
    assert_int_equal(arg_sigaltstack(2, 0), 1);
    assert_int_equal(arg_sigaltstack(0, 1024), -ENOMEM);
    assert_int_equal(arg_sigaltstack(4, 8192), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeval_carry_does_not_overflow),
        cmocka_unit_test(test_timeval_exact),
        cmocka_unit_test(test_timespec),
        cmocka_unit_test(test_fdsets_round_trip),
        cmocka_unit_test(test_clone_and_altstack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
