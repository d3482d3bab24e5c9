/* proc-server's signal routing, read from a signal page alone. */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "signal_rules.h"

#define HANDLER 0x401000ull

static signal_page_t page_with(int sig, uint64_t handler, uint64_t flags)
{
    signal_page_t page;
    signal_page_init(&page);
    page.actions[sig - 1].handler = handler;
    page.actions[sig - 1].flags = flags;
    return page;
}

static void test_route_by_disposition(void **state)
{
    (void)state;
    signal_page_t page = page_with(SIGUSR1, HANDLER, 0);
    page.actions[SIGUSR2 - 1].handler = SIGNAL_HANDLER_IGNORE;
    assert_int_equal(signal_route(&page, SIGUSR1), SIGNAL_DELIVER);
    assert_int_equal(signal_route(&page, SIGUSR2), SIGNAL_DROP);
    assert_int_equal(signal_route(&page, SIGTERM), SIGNAL_ACT_DEFAULT);
    assert_int_equal(signal_route(NULL, SIGUSR1), SIGNAL_ACT_DEFAULT);
}

static void test_blocked_is_pending_even_if_ignored(void **state)
{
    (void)state;
    signal_page_t page = page_with(SIGUSR2, SIGNAL_HANDLER_IGNORE, 0);
    page.blocked = SIGNAL_BIT(SIGUSR1) | SIGNAL_BIT(SIGUSR2) | SIGNAL_BIT(SIGTERM);
    assert_int_equal(signal_route(&page, SIGUSR1), SIGNAL_MAKE_PENDING);
    assert_int_equal(signal_route(&page, SIGUSR2), SIGNAL_MAKE_PENDING);
    assert_int_equal(signal_route(&page, SIGTERM), SIGNAL_MAKE_PENDING);
}

static void test_kill_and_stop_always_default(void **state)
{
    (void)state;
    signal_page_t page = page_with(SIGKILL, HANDLER, 0);
    page.actions[SIGSTOP - 1].handler = SIGNAL_HANDLER_IGNORE;
    page.blocked = ~0ull; /* a page the runtime never writes: proc-server still refuses */
    assert_int_equal(signal_route(&page, SIGKILL), SIGNAL_ACT_DEFAULT);
    assert_int_equal(signal_route(&page, SIGSTOP), SIGNAL_ACT_DEFAULT);
    assert_false(signal_has_handler(&page, SIGKILL));
    assert_false(signal_handles(&page, SIGSTOP));
}

static void test_handles_for_init(void **state)
{
    (void)state;
    signal_page_t page = page_with(SIGUSR1, HANDLER, 0);
    page.blocked = SIGNAL_BIT(SIGUSR2);
    assert_true(signal_handles(&page, SIGUSR1));
    assert_true(signal_handles(&page, SIGUSR2)); /* blocked: queued, as Linux's init */
    assert_false(signal_handles(&page, SIGTERM));
    assert_false(signal_handles(NULL, SIGUSR1));
}

static void test_sigchld_flags(void **state)
{
    (void)state;
    signal_page_t dfl = page_with(SIGCHLD, SIGNAL_HANDLER_DEFAULT, 0);
    signal_page_t ign = page_with(SIGCHLD, SIGNAL_HANDLER_IGNORE, 0);
    signal_page_t nocldwait = page_with(SIGCHLD, HANDLER, SA_NOCLDWAIT);
    signal_page_t nocldstop = page_with(SIGCHLD, HANDLER, SA_NOCLDSTOP);
    assert_false(signal_parent_autoreaps(&dfl));
    assert_true(signal_parent_autoreaps(&ign));
    assert_true(signal_parent_autoreaps(&nocldwait));
    assert_true(signal_chld_on_exit(&dfl));
    assert_false(signal_chld_on_exit(&ign));
    assert_true(signal_chld_on_exit(&nocldwait));
    assert_true(signal_chld_on_stop(&dfl));
    assert_false(signal_chld_on_stop(&nocldstop));
}

static void test_standard_signals_do_not_queue(void **state)
{
    (void)state;
    signal_page_t page;
    signal_page_init(&page);
    signal_info_t first = {.code = 0, .pid = 7}, second = {.code = 0, .pid = 9};
    assert_true(signal_mark_pending(&page, SIGUSR1, &first));
    assert_false(signal_mark_pending(&page, SIGUSR1, &second));
    assert_int_equal(page.info[SIGUSR1 - 1].pid, 7);
    assert_int_equal(page.pending, SIGNAL_BIT(SIGUSR1));
    assert_false(signal_mark_pending(&page, 0, &first));
    assert_false(signal_mark_pending(&page, 65, &first));
}

static void test_fork_and_exec(void **state)
{
    (void)state;
    signal_page_t parent = page_with(SIGUSR1, HANDLER, SA_RESTART);
    parent.actions[SIGTERM - 1].handler = SIGNAL_HANDLER_IGNORE;
    parent.blocked = SIGNAL_BIT(SIGHUP);
    signal_info_t info = {.pid = 3};
    signal_mark_pending(&parent, SIGHUP, &info);
    signal_page_t child, execed;
    signal_page_for_fork(&child, &parent);
    assert_int_equal(child.actions[SIGUSR1 - 1].handler, HANDLER);
    assert_int_equal(child.blocked, SIGNAL_BIT(SIGHUP));
    assert_int_equal(child.pending, 0);
    signal_page_for_exec(&execed, &parent);
    assert_int_equal(execed.actions[SIGUSR1 - 1].handler, SIGNAL_HANDLER_DEFAULT);
    assert_int_equal(execed.actions[SIGUSR1 - 1].flags, 0);
    assert_int_equal(execed.actions[SIGTERM - 1].handler, SIGNAL_HANDLER_IGNORE);
    assert_int_equal(execed.blocked, SIGNAL_BIT(SIGHUP));
    assert_int_equal(execed.pending, SIGNAL_BIT(SIGHUP));
    assert_int_equal(execed.info[SIGHUP - 1].pid, 3);
    assert_int_equal(execed.magic, SIGNAL_PAGE_MAGIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_by_disposition),
        cmocka_unit_test(test_blocked_is_pending_even_if_ignored),
        cmocka_unit_test(test_kill_and_stop_always_default),
        cmocka_unit_test(test_handles_for_init),
        cmocka_unit_test(test_sigchld_flags),
        cmocka_unit_test(test_standard_signals_do_not_queue),
        cmocka_unit_test(test_fork_and_exec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
