/* The POSIX runtime's signal rules: masks, rt_sigaction's checks, which
 * calls SA_RESTART restarts, and where a signal frame goes. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "signal_logic.h"

static void test_masks(void **state)
{
    (void)state;
    assert_int_equal(signal_mask_sanitize(~0ull),
                     ~0ull & ~(SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP)));
    uint64_t out = 0;
    uint64_t usr1 = SIGNAL_BIT(SIGUSR1), usr2 = SIGNAL_BIT(SIGUSR2);
    assert_int_equal(signal_apply_how(SIG_BLOCK, usr1, usr2, &out), 0);
    assert_int_equal(out, usr1 | usr2);
    assert_int_equal(signal_apply_how(SIG_UNBLOCK, usr1 | usr2, usr1, &out), 0);
    assert_int_equal(out, usr2);
    assert_int_equal(signal_apply_how(SIG_SETMASK, usr1, SIGNAL_BIT(SIGKILL) | usr2, &out), 0);
    assert_int_equal(out, usr2);
    out = 42;
    assert_int_equal(signal_apply_how(7, usr1, usr2, &out), -EINVAL);
    assert_int_equal(out, 42);
}

static void test_lowest(void **state)
{
    (void)state;
    assert_int_equal(signal_lowest(0), 0);
    assert_int_equal(signal_lowest(SIGNAL_BIT(SIGHUP)), SIGHUP);
    assert_int_equal(signal_lowest(SIGNAL_BIT(SIGCHLD) | SIGNAL_BIT(SIGUSR2)), SIGUSR2);
    assert_int_equal(signal_lowest(SIGNAL_BIT(64)), 64);
}

static void test_check_action(void **state)
{
    (void)state;
    assert_int_equal(signal_check_action(SIGUSR1, true, 8), 0);
    assert_int_equal(signal_check_action(SIGKILL, false, 8), 0); /* reading is fine */
    assert_int_equal(signal_check_action(SIGKILL, true, 8), -EINVAL);
    assert_int_equal(signal_check_action(SIGSTOP, true, 8), -EINVAL);
    assert_int_equal(signal_check_action(0, false, 8), -EINVAL);
    assert_int_equal(signal_check_action(65, false, 8), -EINVAL);
    assert_int_equal(signal_check_action(SIGUSR1, true, 4), -EINVAL);
}

static void test_ignored(void **state)
{
    (void)state;
    signal_action_t dfl = {SIGNAL_HANDLER_DEFAULT, 0, 0, 0};
    signal_action_t ign = {SIGNAL_HANDLER_IGNORE, 0, 0, 0};
    signal_action_t handler = {0x401000, 0, 0, 0};
    assert_true(signal_is_ignored(&dfl, SIGCHLD));
    assert_true(signal_is_ignored(&dfl, SIGWINCH));
    assert_false(signal_is_ignored(&dfl, SIGTERM));
    assert_true(signal_is_ignored(&ign, SIGTERM));
    assert_false(signal_is_ignored(&handler, SIGCHLD));
}

static void test_restarts(void **state)
{
    (void)state;
    assert_true(signal_call_restarts(SYS_read));
    assert_true(signal_call_restarts(SYS_write));
    assert_true(signal_call_restarts(SYS_wait4));
    assert_true(signal_call_restarts(SYS_ioctl));
    assert_false(signal_call_restarts(SYS_nanosleep));
    assert_false(signal_call_restarts(SYS_clock_nanosleep));
    assert_false(signal_call_restarts(SYS_rt_sigsuspend));
    assert_false(signal_call_restarts(SYS_pause));
    assert_false(signal_call_restarts(SYS_poll));
    assert_false(signal_call_restarts(SYS_select));
    assert_false(signal_call_restarts(SYS_rt_sigtimedwait));
}

static void test_frame_below_red_zone(void **state)
{
    (void)state;
    uint64_t rsp = 0x7fff0000f008;
    signal_placement_t p = signal_place_frame(rsp, false, 0, 0, 440, 512);
    assert_true(p.fpstate + 512 <= rsp - 128);
    assert_int_equal(p.fpstate % 64, 0);
    assert_true(p.frame + 440 <= p.fpstate);
    assert_int_equal((p.frame + 8) % 16, 0);
}

static void test_frame_on_altstack(void **state)
{
    (void)state;
    uint64_t alt = 0x600000, size = 0x10000, rsp = 0x7fff0000f000;
    signal_placement_t p = signal_place_frame(rsp, true, alt, size, 440, 512);
    assert_true(p.frame >= alt && p.fpstate + 512 <= alt + size);
    /* already on it (a nested signal): below its rsp, on the same stack */
    uint64_t inner = alt + 0x8000;
    assert_true(signal_on_altstack(inner, alt, size));
    p = signal_place_frame(inner, true, alt, size, 440, 512);
    assert_true(p.fpstate + 512 <= inner - 128 && p.frame >= alt);
    /* without SA_ONSTACK, or with no alternate stack, the thread's own */
    p = signal_place_frame(rsp, false, alt, size, 440, 512);
    assert_true(p.fpstate < rsp && p.frame > alt + size);
    p = signal_place_frame(rsp, true, 0, 0, 440, 512);
    assert_true(p.fpstate < rsp && p.frame > alt + size);
    assert_false(signal_on_altstack(alt, alt, size)); /* rsp == base: nothing below */
    assert_true(signal_on_altstack(alt + size, alt, size));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_lowest),
        cmocka_unit_test(test_check_action),
        cmocka_unit_test(test_ignored),
        cmocka_unit_test(test_restarts),
        cmocka_unit_test(test_frame_below_red_zone),
        cmocka_unit_test(test_frame_on_altstack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
