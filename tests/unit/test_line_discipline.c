/* console-server's line discipline: line editing, echo, signals, output
 * processing, VMIN/VTIME and the bounded input buffer, as Linux's N_TTY. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <string.h>

#include "line_discipline.h"

typedef struct {
    ldisc_t ld;
    uint8_t echo[8192];
    ld_sink_t sink;
    ld_event_t last;
} fixture_t;

static fixture_t *fx_new(void)
{
    fixture_t *f = test_calloc(1, sizeof(*f));
    ldisc_init(&f->ld);
    f->sink = (ld_sink_t){f->echo, 0, sizeof(f->echo)};
    return f;
}

/* Types `s`; returns the echo it produced as a string. */
static const char *type(fixture_t *f, const char *s)
{
    f->sink.len = 0;
    for (; *s != '\0'; s++) {
        f->last = ldisc_receive(&f->ld, (uint8_t)*s, &f->sink);
    }
    f->echo[f->sink.len] = '\0';
    return (const char *)f->echo;
}

static const char *read_all(fixture_t *f, size_t want)
{
    static char out[8192];
    size_t n = ldisc_read(&f->ld, (uint8_t *)out, want);
    out[n] = '\0';
    return out;
}

static void set_lflag(fixture_t *f, uint32_t on, uint32_t off)
{
    ld_termios_t t = f->ld.termios;
    t.c_lflag = (t.c_lflag | on) & ~off;
    ldisc_set_termios(&f->ld, &t);
}

static void test_canonical_line_and_echo(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    assert_string_equal(type(f, "hi"), "hi");
    assert_false(f->last.readable);
    assert_false(ldisc_read_ready(&f->ld, 100, false));
    assert_string_equal(type(f, "\r"), "\r\n"); /* ICRNL, then ONLCR */
    assert_true(f->last.readable);
    assert_true(ldisc_read_ready(&f->ld, 100, false));
    assert_int_equal(ldisc_readable(&f->ld), 3);
    assert_string_equal(read_all(f, 100), "hi\n");
    assert_false(ldisc_read_ready(&f->ld, 100, false));
    test_free(f);
}

static void test_read_one_line_at_a_time(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    type(f, "one\ntwo\nthr");
    assert_int_equal(ldisc_readable(&f->ld), 8);
    assert_string_equal(read_all(f, 2), "on");
    assert_string_equal(read_all(f, 100), "e\n");
    assert_string_equal(read_all(f, 100), "two\n");
    assert_false(ldisc_read_ready(&f->ld, 100, false));
    assert_string_equal(type(f, "ee\n"), "ee\r\n");
    assert_string_equal(read_all(f, 100), "three\n");
    test_free(f);
}

static void test_erase(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    assert_string_equal(type(f, "ab\x7f"), "ab\b \b");
    type(f, "c\n");
    assert_string_equal(read_all(f, 100), "ac\n");
    /* nothing to erase: nothing echoed */
    assert_string_equal(type(f, "\x7f"), "");
    /* a control character echoed as ^X takes two columns */
    assert_string_equal(type(f, "\x01\x7f"), "^A\b \b\b \b");
    /* erase never reaches into a completed line */
    type(f, "x\n\x7f\x7f");
    assert_string_equal(read_all(f, 100), "x\n");
    test_free(f);
}

static void test_erase_tab_goes_back_to_its_column(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    uint8_t prompt[] = "# ";
    uint8_t out[16];
    ld_sink_t sink = {out, 0, sizeof(out)};
    ldisc_write(&f->ld, prompt, 2, &sink);
    assert_string_equal(type(f, "ab\t"), "ab\t"); /* columns 4 -> 8 */
    assert_string_equal(type(f, "\x7f"), "\b\b\b\b");
    test_free(f);
}

/* Erasing a tab ends however the echo goes: without OPOST (the column does
 * not move with each byte) and into a full echo sink. fuzz_console_request
 * found console-server looping for ever here. */
static void test_erase_tab_always_ends(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    assert_string_equal(type(f, "ab\tcd\t"), "ab\tcd\t"); /* columns 0 -> 8 -> 16 */
    ld_termios_t t = f->ld.termios;
    t.c_oflag &= ~OPOST;
    ldisc_set_termios(&f->ld, &t);
    assert_string_equal(type(f, "\x7f"), "\b\b\b\b\b\b"); /* back to column 10 */
    f->sink.cap = 0;
    assert_string_equal(type(f, "\x7f\x7f\x7f"), ""); /* d, c, then the first tab */
    type(f, "\n");
    assert_string_equal(read_all(f, 100), "ab\n");
    test_free(f);
}

static void test_erase_without_echoe_echoes_the_character(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    set_lflag(f, 0, ECHOE);
    assert_string_equal(type(f, "ab\x7f"), "ab^?");
    type(f, "\n");
    assert_string_equal(read_all(f, 100), "a\n");
    test_free(f);
}

static void test_kill_line(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    assert_string_equal(type(f, "abc\x15"), "abc\b \b\b \b\b \b"); /* ECHOKE */
    type(f, "d\n");
    assert_string_equal(read_all(f, 100), "d\n");
    set_lflag(f, 0, ECHOKE);
    assert_string_equal(type(f, "xy\x15"), "xy^U\r\n"); /* ECHOK: the kill char, a newline */
    type(f, "z\n");
    assert_string_equal(read_all(f, 100), "z\n");
    test_free(f);
}

static void test_word_erase(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    assert_string_equal(type(f, "ls foo_1  \x17"), "ls foo_1  \b \b\b \b\b \b\b \b\b \b\b \b\b \b");
    type(f, "bar\n");
    assert_string_equal(read_all(f, 100), "ls bar\n");
    /* only with IEXTEN */
    set_lflag(f, 0, IEXTEN);
    type(f, "a\x17\n");
    assert_string_equal(read_all(f, 100), "a\x17\n");
    test_free(f);
}

static void test_end_of_file(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    assert_string_equal(type(f, "\x04"), ""); /* ^D is not echoed */
    assert_true(f->last.readable);
    assert_int_equal(ldisc_readable(&f->ld), 0);
    assert_true(ldisc_read_ready(&f->ld, 10, false));
    assert_int_equal(ldisc_read(&f->ld, (uint8_t[10]){0}, 10), 0); /* end of file */
    assert_false(ldisc_read_ready(&f->ld, 10, false));
    /* ^D after text pushes the text without a newline */
    type(f, "abc\x04");
    assert_string_equal(read_all(f, 100), "abc");
    assert_false(ldisc_read_ready(&f->ld, 10, false));
    test_free(f);
}

static void test_signals(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    type(f, "done\n");
    assert_string_equal(type(f, "partial\x03"), "partial^C");
    assert_int_equal(f->last.signal, SIGINT);
    assert_int_equal(f->ld.count, 0); /* input flushed */
    type(f, "\x1c");
    assert_int_equal(f->last.signal, SIGQUIT);
    type(f, "\x1a");
    assert_int_equal(f->last.signal, SIGTSTP);
    /* NOFLSH keeps the input */
    set_lflag(f, NOFLSH, 0);
    type(f, "keep\x03\n");
    assert_int_equal(f->last.signal, 0);
    assert_string_equal(read_all(f, 100), "keep\n");
    /* without ISIG ^C is data */
    set_lflag(f, 0, ISIG);
    type(f, "\x03\n");
    assert_int_equal(f->last.signal, 0);
    assert_string_equal(read_all(f, 100), "\x03\n");
    test_free(f);
}

static void test_disabled_special_character(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    ld_termios_t t = f->ld.termios;
    t.c_cc[VINTR] = 0; /* _POSIX_VDISABLE */
    ldisc_set_termios(&f->ld, &t);
    type(f, "\x03");
    assert_int_equal(f->last.signal, 0);
    ldisc_receive(&f->ld, 0, &f->sink); /* NUL matches no disabled character */
    ldisc_receive(&f->ld, '\n', &f->sink);
    assert_int_equal(ldisc_readable(&f->ld), 3);
    test_free(f);
}

static void test_no_echo_and_echonl(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    set_lflag(f, 0, ECHO);
    assert_string_equal(type(f, "secret\n"), "");
    set_lflag(f, ECHONL, 0);
    assert_string_equal(type(f, "pw\n"), "\r\n");
    assert_string_equal(read_all(f, 100), "secret\n");
    assert_string_equal(read_all(f, 100), "pw\n");
    test_free(f);
}

static void test_input_mapping(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    ld_termios_t t = f->ld.termios;
    t.c_iflag = INLCR;
    t.c_lflag &= ~ICANON;
    ldisc_set_termios(&f->ld, &t);
    type(f, "\n\r");
    assert_string_equal(read_all(f, 100), "\r\r");
    t.c_iflag = IGNCR;
    ldisc_set_termios(&f->ld, &t);
    type(f, "a\rb");
    assert_string_equal(read_all(f, 100), "ab");
    test_free(f);
}

static void test_output_processing(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    uint8_t out[8];
    ld_sink_t sink = {out, 0, sizeof(out)};
    /* a byte goes only with its whole expansion */
    assert_int_equal(ldisc_write(&f->ld, (const uint8_t *)"abc\n\n\n", 6, &sink), 5);
    assert_memory_equal(out, "abc\r\n\r\n", 7);
    ld_termios_t t = f->ld.termios;
    t.c_oflag &= ~OPOST;
    ldisc_set_termios(&f->ld, &t);
    sink.len = 0;
    assert_int_equal(ldisc_write(&f->ld, (const uint8_t *)"x\n", 2, &sink), 2);
    assert_memory_equal(out, "x\n", 2);
    test_free(f);
}

static void test_raw_mode_vmin_vtime(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    ld_termios_t t = f->ld.termios;
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 0;
    ldisc_set_termios(&f->ld, &t);
    type(f, "ab");
    assert_true(f->last.readable);
    assert_false(ldisc_read_ready(&f->ld, 10, false));
    assert_true(ldisc_read_ready(&f->ld, 2, false)); /* a read of 2 needs only 2 */
    type(f, "\x7f");                                 /* erase is data in raw mode */
    assert_true(ldisc_read_ready(&f->ld, 10, false));
    assert_string_equal(read_all(f, 10), "ab\x7f");
    /* VMIN 0, VTIME 0: a poll */
    t.c_cc[VMIN] = 0;
    ldisc_set_termios(&f->ld, &t);
    assert_true(ldisc_read_ready(&f->ld, 10, false));
    assert_int_equal(ldisc_read(&f->ld, (uint8_t[10]){0}, 10), 0);
    /* VMIN 0, VTIME > 0: the first byte or the timer */
    t.c_cc[VTIME] = 5;
    ldisc_set_termios(&f->ld, &t);
    assert_false(ldisc_read_ready(&f->ld, 10, false));
    assert_true(ldisc_read_ready(&f->ld, 10, true));
    /* VMIN > 0, VTIME > 0: VMIN bytes, or what came before the timer */
    t.c_cc[VMIN] = 4;
    ldisc_set_termios(&f->ld, &t);
    assert_false(ldisc_read_ready(&f->ld, 10, true));
    type(f, "z");
    assert_false(ldisc_read_ready(&f->ld, 10, false));
    assert_true(ldisc_read_ready(&f->ld, 10, true));
    test_free(f);
}

static void test_switching_modes_keeps_input(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    type(f, "half");
    set_lflag(f, 0, ICANON);
    assert_int_equal(ldisc_readable(&f->ld), 4);
    assert_string_equal(read_all(f, 2), "ha");
    set_lflag(f, ICANON, 0);
    assert_true(ldisc_read_ready(&f->ld, 10, false)); /* queued bytes became a line */
    assert_string_equal(read_all(f, 10), "lf");
    test_free(f);
}

static void test_buffer_is_bounded(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    set_lflag(f, 0, ECHO);
    for (int i = 0; i < LDISC_INPUT_MAX - 1; i++) {
        f->last = ldisc_receive(&f->ld, 'x', &f->sink);
    }
    assert_false(f->last.dropped);
    type(f, "y");
    assert_true(f->last.dropped); /* the last byte is kept for the newline */
    type(f, "\n");
    assert_false(f->last.dropped);
    assert_int_equal(ldisc_readable(&f->ld), LDISC_INPUT_MAX);
    type(f, "\n");
    assert_true(f->last.dropped);
    static uint8_t big[LDISC_INPUT_MAX + 1];
    assert_int_equal(ldisc_read(&f->ld, big, sizeof(big)), LDISC_INPUT_MAX);
    assert_int_equal(big[LDISC_INPUT_MAX - 1], '\n');
    /* raw mode uses every byte, and the ring wraps */
    set_lflag(f, 0, ICANON);
    for (int i = 0; i < LDISC_INPUT_MAX; i++) {
        f->last = ldisc_receive(&f->ld, (uint8_t)('a' + i % 26), &f->sink);
        assert_false(f->last.dropped);
    }
    type(f, "z");
    assert_true(f->last.dropped);
    assert_int_equal(ldisc_read(&f->ld, big, sizeof(big)), LDISC_INPUT_MAX);
    assert_int_equal(big[LDISC_INPUT_MAX - 1], 'a' + (LDISC_INPUT_MAX - 1) % 26);
    test_free(f);
}

static void test_echo_does_not_block_input(void **state)
{
    (void)state;
    fixture_t *f = fx_new();
    uint8_t tiny[1];
    ld_sink_t sink = {tiny, 0, sizeof(tiny)};
    ldisc_receive(&f->ld, 'a', &sink);
    ldisc_receive(&f->ld, 'b', &sink); /* no room for its echo */
    ldisc_receive(&f->ld, '\n', &sink);
    assert_string_equal(read_all(f, 10), "ab\n");
    test_free(f);
}

static void test_default_termios_is_linux(void **state)
{
    (void)state;
    ld_termios_t t;
    ldisc_default_termios(&t);
    assert_int_equal(t.c_iflag, 0x500);  /* ICRNL | IXON */
    assert_int_equal(t.c_oflag, 0x5);    /* OPOST | ONLCR */
    assert_int_equal(t.c_lflag, 0x8a3b); /* what `stty -g` shows on a Linux console */
    assert_int_equal(t.c_cc[VERASE], 0x7f);
    assert_int_equal(t.c_cc[VMIN], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_line_and_echo),
        cmocka_unit_test(test_read_one_line_at_a_time),
        cmocka_unit_test(test_erase),
        cmocka_unit_test(test_erase_tab_goes_back_to_its_column),
        cmocka_unit_test(test_erase_tab_always_ends),
        cmocka_unit_test(test_erase_without_echoe_echoes_the_character),
        cmocka_unit_test(test_kill_line),
        cmocka_unit_test(test_word_erase),
        cmocka_unit_test(test_end_of_file),
        cmocka_unit_test(test_signals),
        cmocka_unit_test(test_disabled_special_character),
        cmocka_unit_test(test_no_echo_and_echonl),
        cmocka_unit_test(test_input_mapping),
        cmocka_unit_test(test_output_processing),
        cmocka_unit_test(test_raw_mode_vmin_vtime),
        cmocka_unit_test(test_switching_modes_keeps_input),
        cmocka_unit_test(test_buffer_is_bounded),
        cmocka_unit_test(test_echo_does_not_block_input),
        cmocka_unit_test(test_default_termios_is_linux),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
