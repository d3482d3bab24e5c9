/* The POSIX runtime's waitid siginfo, from each kind of wait status. */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "wait_info.h"

static void test_nothing_reported(void **state)
{
    (void)state;
    wait_info_t info = wait_info_from_status(0, 0x1234);
    assert_int_equal(info.signo, 0);
    assert_int_equal(info.code, 0);
    assert_int_equal(info.pid, 0);
    assert_int_equal(info.status, 0);
}

static void test_each_status(void **state)
{
    (void)state;
    wait_info_t info = wait_info_from_status(7, 42 << 8);
    assert_int_equal(info.signo, SIGCHLD);
    assert_int_equal(info.errno_, 0);
    assert_int_equal(info.pid, 7);
    assert_int_equal(info.uid, 0);
    assert_int_equal(info.code, CLD_EXITED);
    assert_int_equal(info.status, 42);
    info = wait_info_from_status(7, SIGTERM);
    assert_int_equal(info.code, CLD_KILLED);
    assert_int_equal(info.status, SIGTERM);
    info = wait_info_from_status(7, SIGSEGV | 0x80);
    assert_int_equal(info.code, CLD_DUMPED);
    assert_int_equal(info.status, SIGSEGV);
    info = wait_info_from_status(7, (SIGTSTP << 8) | 0x7f);
    assert_int_equal(info.code, CLD_STOPPED);
    assert_int_equal(info.status, SIGTSTP);
    info = wait_info_from_status(7, 0xffff);
    assert_int_equal(info.code, CLD_CONTINUED);
    assert_int_equal(info.status, SIGCONT);
}

/* The layout Linux's siginfo_t has for SIGCHLD on x86_64. */
static void test_layout(void **state)
{
    (void)state;
    assert_int_equal(offsetof(siginfo_t, si_signo), 0);
    assert_int_equal(offsetof(siginfo_t, si_code), 8);
    assert_int_equal(offsetof(siginfo_t, si_pid), 16);
    assert_int_equal(offsetof(siginfo_t, si_uid), 20);
    assert_int_equal(offsetof(siginfo_t, si_status), 24);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_reported),
        cmocka_unit_test(test_each_status),
        cmocka_unit_test(test_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
