/* console-server's tty ioctls: argument shapes, termios, window size, the
 * controlling terminal and foreground group rules, with Linux errno values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>

#include "tty.h"

/* Session 10 (leader 10) has groups 10 and 12; session 20 has group 20. */
static int pgrp_session(void *ctx, int pgrp)
{
    (void)ctx;
    switch (pgrp) {
    case 10:
    case 12:
        return 10;
    case 20:
        return 20;
    default:
        return -ESRCH;
    }
}

static tty_caller_t caller(int pid, int pgrp, int sid)
{
    return (tty_caller_t){pid, pgrp, sid, false, false, pgrp_session, NULL};
}

static long ioctl_int(tty_t *t, const tty_caller_t *who, unsigned long cmd, int32_t *value,
                      tty_events_t *ev)
{
    uint8_t data[TTY_IOCTL_ARG_MAX] = {0};
    memcpy(data, value, sizeof(*value));
    long r = tty_ioctl(t, who, cmd, 0, data, ev);
    memcpy(value, data, sizeof(*value));
    return r;
}

/* A terminal that session 10 took, foreground group 10. */
static void controlled(tty_t *t)
{
    tty_init(t);
    tty_caller_t leader = caller(10, 10, 10);
    tty_events_t ev = {0};
    assert_int_equal(tty_ioctl(t, &leader, TIOCSCTTY, 0, (uint8_t[TTY_IOCTL_ARG_MAX]){0}, &ev), 0);
}

static void test_shapes(void **state)
{
    (void)state;
    tty_ioctl_shape_t s;
    assert_int_equal(tty_ioctl_shape(TCGETS, &s), 0);
    assert_int_equal(s.in_size, 0);
    assert_int_equal(s.out_size, 36);
    assert_int_equal(tty_ioctl_shape(TCSETSF, &s), 0);
    assert_int_equal(s.in_size, 36);
    assert_int_equal(tty_ioctl_shape(TIOCSWINSZ, &s), 0);
    assert_int_equal(s.in_size, 8);
    assert_int_equal(tty_ioctl_shape(FIONREAD, &s), 0);
    assert_int_equal(s.out_size, 4);
    assert_int_equal(tty_ioctl_shape(TIOCSCTTY, &s), 0);
    assert_int_equal(s.in_size + s.out_size, 0);
    assert_int_equal(tty_ioctl_shape(0x1234, &s), -ENOTTY);
    assert_int_equal(tty_ioctl_shape(TIOCGPTN, &s), 0); /* a pseudo-terminal master's */
    assert_int_equal(s.out_size, 4);
    assert_int_equal(tty_ioctl_shape(TIOCSPTLCK, &s), 0);
    assert_int_equal(s.in_size, 4);
}

static void test_termios_get_set(void **state)
{
    (void)state;
    tty_t t;
    tty_init(&t);
    tty_caller_t anyone = caller(5, 5, 5);
    tty_events_t ev = {0};
    uint8_t data[TTY_IOCTL_ARG_MAX];
    assert_int_equal(tty_ioctl(&t, &anyone, TCGETS, 0, data, &ev), 0);
    ld_termios_t tio;
    memcpy(&tio, data, sizeof(tio));
    assert_true(tio.c_lflag & ICANON);
    tio.c_lflag &= ~(ICANON | ECHO);
    memcpy(data, &tio, sizeof(tio));
    assert_int_equal(tty_ioctl(&t, &anyone, TCSETSW, 0, data, &ev), 0);
    assert_false(t.ld.termios.c_lflag & ICANON);
    /* TCSETSF drops pending input */
    ld_sink_t sink = {NULL, 0, 0};
    ldisc_receive(&t.ld, 'q', &sink);
    assert_int_equal(ldisc_readable(&t.ld), 1);
    assert_int_equal(tty_ioctl(&t, &anyone, TCSETSF, 0, data, &ev), 0);
    assert_int_equal(ldisc_readable(&t.ld), 0);
    assert_int_equal(ev.count, 0);
}

static void test_fionread_and_flush(void **state)
{
    (void)state;
    tty_t t;
    tty_init(&t);
    tty_caller_t anyone = caller(5, 5, 5);
    tty_events_t ev = {0};
    uint8_t echo[16];
    ld_sink_t sink = {echo, 0, sizeof(echo)};
    for (const char *s = "ab\ncd"; *s != '\0'; s++) {
        ldisc_receive(&t.ld, (uint8_t)*s, &sink);
    }
    int32_t n = -1;
    assert_int_equal(ioctl_int(&t, &anyone, FIONREAD, &n, &ev), 0);
    assert_int_equal(n, 3); /* the unfinished line does not count */
    uint8_t data[TTY_IOCTL_ARG_MAX];
    assert_int_equal(tty_ioctl(&t, &anyone, TCFLSH, 7, data, &ev), -EINVAL);
    assert_int_equal(tty_ioctl(&t, &anyone, TCFLSH, TCIFLUSH, data, &ev), 0);
    assert_int_equal(ioctl_int(&t, &anyone, FIONREAD, &n, &ev), 0);
    assert_int_equal(n, 0);
}

static void test_winsize(void **state)
{
    (void)state;
    tty_t t;
    controlled(&t);
    tty_caller_t sh = caller(10, 10, 10);
    tty_events_t ev = {0};
    uint8_t data[TTY_IOCTL_ARG_MAX];
    assert_int_equal(tty_ioctl(&t, &sh, TIOCGWINSZ, 0, data, &ev), 0);
    tty_winsize_t ws;
    memcpy(&ws, data, sizeof(ws));
    assert_int_equal(ws.ws_row, 24);
    assert_int_equal(ws.ws_col, 80);
    ws.ws_col = 132;
    memcpy(data, &ws, sizeof(ws));
    assert_int_equal(tty_ioctl(&t, &sh, TIOCSWINSZ, 0, data, &ev), 0);
    assert_int_equal(t.winsize.ws_col, 132);
    assert_int_equal(ev.count, 1);
    assert_int_equal(ev.signals[0].signal, SIGWINCH);
    assert_int_equal(ev.signals[0].pgrp, 10);
    /* the same size again: no signal */
    assert_int_equal(tty_ioctl(&t, &sh, TIOCSWINSZ, 0, data, &ev), 0);
    assert_int_equal(ev.count, 1);
}

static void test_sctty_rules(void **state)
{
    (void)state;
    tty_t t;
    tty_init(&t);
    tty_events_t ev = {0};
    uint8_t data[TTY_IOCTL_ARG_MAX] = {0};
    tty_caller_t member = caller(11, 10, 10);
    assert_int_equal(tty_ioctl(&t, &member, TIOCSCTTY, 0, data, &ev), -EPERM); /* not a leader */
    tty_caller_t leader_with_tty = caller(20, 20, 20);
    leader_with_tty.has_ctty = true;
    assert_int_equal(tty_ioctl(&t, &leader_with_tty, TIOCSCTTY, 0, data, &ev), -EPERM);
    tty_caller_t leader = caller(10, 10, 10);
    assert_int_equal(tty_ioctl(&t, &leader, TIOCSCTTY, 0, data, &ev), 0);
    assert_int_equal(t.session, 10);
    assert_int_equal(t.fg_pgrp, 10);
    leader.has_ctty = true;
    assert_int_equal(tty_ioctl(&t, &leader, TIOCSCTTY, 0, data, &ev), 0); /* already ours */
    tty_caller_t other = caller(20, 20, 20);
    assert_int_equal(tty_ioctl(&t, &other, TIOCSCTTY, 0, data, &ev), -EPERM);
    assert_int_equal(tty_ioctl(&t, &other, TIOCSCTTY, 1, data, &ev), 0); /* stolen */
    assert_int_equal(t.session, 20);
}

static void test_pgrp_rules(void **state)
{
    (void)state;
    tty_t t;
    controlled(&t);
    tty_events_t ev = {0};
    tty_caller_t sh = caller(10, 10, 10);
    sh.sigttou_ignored = true; /* as a job-control shell: it stays in the background */
    int32_t pgrp = 0;
    assert_int_equal(ioctl_int(&t, &sh, TIOCGPGRP, &pgrp, &ev), 0);
    assert_int_equal(pgrp, 10);
    pgrp = 12;
    assert_int_equal(ioctl_int(&t, &sh, TIOCSPGRP, &pgrp, &ev), 0);
    assert_int_equal(t.fg_pgrp, 12);
    /* errors: another session's group, no such group, negative */
    pgrp = 20;
    assert_int_equal(ioctl_int(&t, &sh, TIOCSPGRP, &pgrp, &ev), -EPERM);
    pgrp = 99;
    assert_int_equal(ioctl_int(&t, &sh, TIOCSPGRP, &pgrp, &ev), -ESRCH);
    pgrp = -1;
    assert_int_equal(ioctl_int(&t, &sh, TIOCSPGRP, &pgrp, &ev), -EINVAL);
    /* not the caller's controlling terminal */
    tty_caller_t stranger = caller(20, 20, 20);
    assert_int_equal(ioctl_int(&t, &stranger, TIOCGPGRP, &pgrp, &ev), -ENOTTY);
    pgrp = 20;
    assert_int_equal(ioctl_int(&t, &stranger, TIOCSPGRP, &pgrp, &ev), -ENOTTY);
    assert_int_equal(t.fg_pgrp, 12);
    assert_int_equal(ev.count, 0);
}

static void test_background_change_gets_sigttou(void **state)
{
    (void)state;
    tty_t t;
    controlled(&t);
    t.fg_pgrp = 12;
    tty_events_t ev = {0};
    tty_caller_t bg = caller(10, 10, 10); /* the shell, in the background */
    int32_t pgrp = 10;
    assert_int_equal(ioctl_int(&t, &bg, TIOCSPGRP, &pgrp, &ev), -EINTR);
    assert_int_equal(ev.count, 1);
    assert_int_equal(ev.signals[0].signal, SIGTTOU);
    assert_int_equal(ev.signals[0].pgrp, 10);
    assert_int_equal(t.fg_pgrp, 12);
    /* ignoring SIGTTOU, as job-control shells do, it may */
    bg.sigttou_ignored = true;
    assert_int_equal(ioctl_int(&t, &bg, TIOCSPGRP, &pgrp, &ev), 0);
    assert_int_equal(t.fg_pgrp, 10);
    /* reading state is always allowed */
    t.fg_pgrp = 12;
    bg.sigttou_ignored = false;
    uint8_t data[TTY_IOCTL_ARG_MAX];
    assert_int_equal(tty_ioctl(&t, &bg, TCGETS, 0, data, &ev), 0);
    assert_int_equal(tty_ioctl(&t, &bg, TCSETS, 0, data, &ev), -EINTR);
}

static void test_notty(void **state)
{
    (void)state;
    tty_t t;
    controlled(&t);
    t.fg_pgrp = 12;
    tty_events_t ev = {0};
    uint8_t data[TTY_IOCTL_ARG_MAX];
    tty_caller_t stranger = caller(20, 20, 20);
    assert_int_equal(tty_ioctl(&t, &stranger, TIOCNOTTY, 0, data, &ev), -ENOTTY);
    tty_caller_t member = caller(13, 12, 10);
    assert_int_equal(tty_ioctl(&t, &member, TIOCNOTTY, 0, data, &ev), 0);
    assert_int_equal(t.session, 10); /* only the member lost it */
    tty_caller_t leader = caller(10, 10, 10);
    assert_int_equal(tty_ioctl(&t, &leader, TIOCNOTTY, 0, data, &ev), 0);
    assert_int_equal(t.session, 0);
    assert_int_equal(ev.count, 2);
    assert_int_equal(ev.signals[0].signal, SIGHUP);
    assert_int_equal(ev.signals[1].signal, SIGCONT);
    assert_int_equal(ev.signals[0].pgrp, 12);
}

static void test_session_leader_exit(void **state)
{
    (void)state;
    tty_t t;
    controlled(&t);
    tty_events_t ev = {0};
    tty_session_leader_exit(&t, 20, &ev);
    assert_int_equal(ev.count, 0);
    tty_session_leader_exit(&t, 10, &ev);
    assert_int_equal(ev.count, 2);
    assert_int_equal(ev.signals[0].signal, SIGHUP);
    assert_int_equal(ev.signals[0].pgrp, 10);
    assert_int_equal(t.session, 0);
}

static void test_refused_and_unknown(void **state)
{
    (void)state;
    tty_t t;
    controlled(&t);
    tty_events_t ev = {0};
    uint8_t data[TTY_IOCTL_ARG_MAX];
    tty_caller_t sh = caller(10, 10, 10);
    assert_int_equal(tty_ioctl(&t, &sh, TIOCSTI, 0, data, &ev), -EIO);
    assert_int_equal(tty_ioctl(&t, &sh, 0x5499, 0, data, &ev), -ENOTTY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_termios_get_set),
        cmocka_unit_test(test_fionread_and_flush),
        cmocka_unit_test(test_winsize),
        cmocka_unit_test(test_sctty_rules),
        cmocka_unit_test(test_pgrp_rules),
        cmocka_unit_test(test_background_change_gets_sigttou),
        cmocka_unit_test(test_notty),
        cmocka_unit_test(test_session_leader_exit),
        cmocka_unit_test(test_refused_and_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
