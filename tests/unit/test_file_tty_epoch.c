/* Terminal descriptions across a restart of console-server (docs/restart.md):
 * a description opened before VFS_CONSOLE_RESTARTED is stale — never
 * forwarded, its last close not told to the new instance, whose pty slot
 * it may name — and one opened after is not; other files never are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "device.h"
#include "file.h"

static unsigned closes;

static void count_close(const device_ops_t *ops)
{
    (void)ops;
    closes++;
}

static const device_ops_t tty = {.name = "pts", .is_tty = true, .close = count_close};
static const device_ops_t null_dev = {.name = "null", .close = count_close};

static file_t *open_on(const device_ops_t *dev)
{
    vfs_path_t none = {0};
    file_t *f = file_new(&none, 2 /* O_RDWR */, dev);
    assert_non_null(f);
    return f;
}

static void test_stale_after_restart(void **state)
{
    (void)state;
    closes = 0;
    file_t *before = open_on(&tty), *device = open_on(&null_dev);
    assert_false(file_tty_stale(before));
    file_tty_epoch_advance();
    file_t *after = open_on(&tty);
    assert_true(file_tty_stale(before));
    assert_false(file_tty_stale(after));
    assert_false(file_tty_stale(device)); /* not a terminal: nothing died with it */
    file_put(before);
    assert_int_equal(closes, 0); /* the old pair's slot is not the new instance's to close */
    file_put(after);
    assert_int_equal(closes, 1);
    file_put(device);
    assert_int_equal(closes, 2);
}

static void test_every_restart_counts(void **state)
{
    (void)state;
    file_t *f = open_on(&tty);
    file_tty_epoch_advance();
    file_t *g = open_on(&tty);
    file_tty_epoch_advance();
    assert_true(file_tty_stale(f));
    assert_true(file_tty_stale(g));
    file_put(f);
    file_put(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stale_after_restart),
        cmocka_unit_test(test_every_restart_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
