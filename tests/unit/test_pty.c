/* console-server's pseudo-terminal pairs: numbering per devfs instance,
 * the lock, input and output through the line discipline, and Linux's
 * rules when either end closes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>

#include "pty.h"

static pty_table_t table;

static int open_pair(uint64_t instance)
{
    int slot = pty_open_master(&table, instance);
    assert_true(slot >= 0);
    pty_at(&table, slot)->locked = false;
    assert_int_equal(pty_open_slave(&table, slot), 0);
    return slot;
}

static long master_write(pty_t *p, const char *s, tty_events_t *ev, bool *readable)
{
    return pty_master_write(p, (const uint8_t *)s, strlen(s), ev, readable);
}

static void test_numbered_per_instance(void **state)
{
    (void)state;
    pty_table_init(&table);
    int a0 = pty_open_master(&table, 1), a1 = pty_open_master(&table, 1);
    int b0 = pty_open_master(&table, 2);
    assert_int_equal(pty_at(&table, a0)->index, 0);
    assert_int_equal(pty_at(&table, a1)->index, 1);
    assert_int_equal(pty_at(&table, b0)->index, 0);
    assert_int_equal(pty_lookup(&table, 1, 1), a1);
    assert_int_equal(pty_lookup(&table, 2, 0), b0);
    assert_int_equal(pty_lookup(&table, 2, 1), -ENOENT);
    tty_events_t ev = {0};
    pty_close_master(&table, a0, &ev);
    assert_int_equal(pty_lookup(&table, 1, 0), -ENOENT);
    int again = pty_open_master(&table, 1);
    assert_int_equal(pty_at(&table, again)->index, 0); /* the lowest free number */
}

static void test_table_full(void **state)
{
    (void)state;
    pty_table_init(&table);
    for (int i = 0; i < PTY_MAX; i++) {
        assert_true(pty_open_master(&table, 1) >= 0);
    }
    assert_int_equal(pty_open_master(&table, 1), -ENOSPC);
}

static void test_locked_until_unlocked(void **state)
{
    (void)state;
    pty_table_init(&table);
    int slot = pty_open_master(&table, 1);
    assert_int_equal(pty_open_slave(&table, slot), -EIO);
    pty_at(&table, slot)->locked = false;
    assert_int_equal(pty_open_slave(&table, slot), 0);
}

static void test_master_input_canonical_with_echo(void **state)
{
    (void)state;
    pty_table_init(&table);
    pty_t *p = pty_at(&table, open_pair(1));
    tty_events_t ev = {0};
    bool readable = false;
    assert_int_equal(master_write(p, "hel", &ev, &readable), 3);
    assert_false(readable);
    assert_false(pty_slave_ready(p, 100));
    assert_int_equal(master_write(p, "lo\n", &ev, &readable), 3);
    assert_true(readable);
    uint8_t buf[64];
    assert_int_equal(pty_slave_read(p, buf, sizeof(buf)), 6);
    assert_memory_equal(buf, "hello\n", 6);
    /* The echo, "\n" as "\r\n" by ONLCR, waits for the master. */
    assert_true(pty_master_ready(p));
    assert_int_equal(pty_master_read(p, buf, sizeof(buf)), 7);
    assert_memory_equal(buf, "hello\r\n", 7);
    assert_int_equal(pty_master_read(p, buf, sizeof(buf)), -EAGAIN);
}

static void test_slave_output_through_opost(void **state)
{
    (void)state;
    pty_table_init(&table);
    pty_t *p = pty_at(&table, open_pair(1));
    assert_int_equal(pty_slave_write(p, (const uint8_t *)"hi\n", 3), 3);
    uint8_t buf[8];
    assert_int_equal(pty_master_read(p, buf, 2), 2);
    assert_memory_equal(buf, "hi", 2);
    assert_int_equal(pty_master_read(p, buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "\r\n", 2);
}

static void test_slave_output_full(void **state)
{
    (void)state;
    pty_table_init(&table);
    pty_t *p = pty_at(&table, open_pair(1));
    static uint8_t big[PTY_OUTPUT_MAX + 10];
    memset(big, 'x', sizeof(big));
    assert_int_equal(pty_slave_write(p, big, sizeof(big)), PTY_OUTPUT_MAX);
    assert_int_equal(pty_slave_write(p, big, 1), -EAGAIN);
    assert_int_equal(pty_output_room(p), 0);
    assert_false(pty_writable(p, false));
    assert_false(pty_writable(p, true));
    tty_events_t ev = {0};
    bool readable = false;
    assert_int_equal(pty_master_write(p, big, 1, &ev, &readable), -EAGAIN); /* no room for echo */
    uint8_t buf[8];
    assert_int_equal(pty_master_read(p, buf, 1), 1);
    assert_true(pty_writable(p, false));
    assert_false(pty_writable(p, true)); /* the echo of one byte needs more */
}

static void test_interrupt_character(void **state)
{
    (void)state;
    pty_table_init(&table);
    pty_t *p = pty_at(&table, open_pair(1));
    p->tty.session = 7;
    p->tty.fg_pgrp = 9;
    tty_events_t ev = {0};
    bool readable = false;
    assert_int_equal(master_write(p, "\x03", &ev, &readable), 1);
    assert_int_equal(ev.count, 1);
    assert_int_equal(ev.signals[0].signal, SIGINT);
    assert_int_equal(ev.signals[0].pgrp, 9);
}

static void test_raw_mode(void **state)
{
    (void)state;
    pty_table_init(&table);
    pty_t *p = pty_at(&table, open_pair(1));
    ld_termios_t raw = p->tty.ld.termios;
    raw.c_lflag &= ~(uint32_t)(ICANON | ECHO | ISIG);
    ldisc_set_termios(&p->tty.ld, &raw);
    tty_events_t ev = {0};
    bool readable = false;
    assert_int_equal(master_write(p, "a\x03", &ev, &readable), 2);
    assert_int_equal(ev.count, 0);
    assert_true(readable);
    uint8_t buf[8];
    assert_int_equal(pty_slave_read(p, buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "a\x03", 2);
    assert_false(pty_master_ready(p)); /* no echo */
}

static void test_master_close_hangs_up(void **state)
{
    (void)state;
    pty_table_init(&table);
    int slot = open_pair(1);
    pty_t *p = pty_at(&table, slot);
    p->tty.session = 7;
    p->tty.fg_pgrp = 9;
    tty_events_t ev = {0};
    pty_close_master(&table, slot, &ev);
    assert_int_equal(ev.count, 2);
    assert_int_equal(ev.signals[0].signal, SIGHUP);
    assert_int_equal(ev.signals[1].signal, SIGCONT);
    assert_int_equal(p->tty.session, 0);
    assert_true(pty_slave_ready(p, 10));
    uint8_t buf[8];
    assert_int_equal(pty_slave_read(p, buf, sizeof(buf)), 0);
    assert_int_equal(pty_slave_write(p, (const uint8_t *)"x", 1), -EIO);
    assert_int_equal(pty_open_slave(&table, slot), -EIO);
    assert_int_equal(pty_lookup(&table, 1, 0), -ENOENT); /* gone from pts/ */
    pty_close_slave(&table, slot);
    assert_null(pty_at(&table, slot));
}

static void test_slave_close_gives_master_eio(void **state)
{
    (void)state;
    pty_table_init(&table);
    int slot = open_pair(1);
    pty_t *p = pty_at(&table, slot);
    assert_false(pty_master_ready(p));
    assert_int_equal(pty_slave_write(p, (const uint8_t *)"z", 1), 1);
    pty_close_slave(&table, slot);
    uint8_t buf[8];
    assert_int_equal(pty_master_read(p, buf, sizeof(buf)), 1); /* what was written first */
    assert_true(pty_master_ready(p));
    assert_int_equal(pty_master_read(p, buf, sizeof(buf)), -EIO);
    tty_events_t ev = {0};
    pty_close_master(&table, slot, &ev);
    assert_null(pty_at(&table, slot));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbered_per_instance),
        cmocka_unit_test(test_table_full),
        cmocka_unit_test(test_locked_until_unlocked),
        cmocka_unit_test(test_master_input_canonical_with_echo),
        cmocka_unit_test(test_slave_output_through_opost),
        cmocka_unit_test(test_slave_output_full),
        cmocka_unit_test(test_interrupt_character),
        cmocka_unit_test(test_raw_mode),
        cmocka_unit_test(test_master_close_hangs_up),
        cmocka_unit_test(test_slave_close_gives_master_eio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
