/* The debug protocol's shared pieces: the counting text builder, JSON
 * escapes, request checks and paging (libc/server/debug_text.c), and dbg's
 * command words (userland/dbg/commands.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsule/debug_text.h"
#include "commands.h"
#include "line.h"

static void test_text_counts_past_its_buffer(void **state)
{
    (void)state;
    char buf[8];
    debug_text_t t;
    dt_init(&t, buf, sizeof(buf), false);
    dt_printf(&t, "%s", "abc");
    assert_true(dt_fits(&t));
    dt_printf(&t, "%s", "defghij");
    assert_int_equal(t.len, 10);
    assert_false(dt_fits(&t));
    assert_string_equal(buf, "abcdefg"); /* cut, NUL-terminated, and known to be cut */
    debug_request_t req = {.offset = 0, .length = 4};
    uint64_t count;
    assert_int_equal(debug_text_page(&t, &req, &count), -EFBIG);
}

static void test_json_escapes(void **state)
{
    (void)state;
    char buf[64];
    debug_text_t t;
    dt_init(&t, buf, sizeof(buf), true);
    dt_open(&t, '[');
    dt_sep(&t);
    dt_json_string(&t, "a\"b\\c\n");
    dt_sep(&t);
    dt_json_string(&t, NULL);
    dt_sep(&t);
    dt_open(&t, '{');
    dt_close(&t, '}');
    dt_close(&t, ']');
    assert_string_equal(buf, "[\"a\\\"b\\\\c\\u000a\",null,{}]");
}

static void test_request_checks(void **state)
{
    (void)state;
    debug_request_t r;
    uint64_t ok[4] = {0, 100, 7, DEBUG_FLAG_JSON};
    assert_int_equal(debug_request_parse(DEBUG_PROC_LIST, 4, 1, ok, &r), 0);
    assert_int_equal(r.arg, 7);
    assert_true(r.json);
    assert_int_equal(debug_request_parse(DEBUG_PROC_LIST, 3, 1, ok, &r), -EINVAL);
    assert_int_equal(debug_request_parse(DEBUG_PROC_LIST, 4, 0, ok, &r), -EINVAL);
    assert_int_equal(debug_request_parse(DEBUG_PROC_LIST, 4, 2, ok, &r), -EINVAL);
    uint64_t long_page[4] = {0, DEBUG_PAGE_MAX + 1, 0, 0};
    assert_int_equal(debug_request_parse(DEBUG_PROC_LIST, 4, 1, long_page, &r), -EINVAL);
    uint64_t bad_flags[4] = {0, 10, 0, 2};
    assert_int_equal(debug_request_parse(DEBUG_PROC_LIST, 4, 1, bad_flags, &r), -EINVAL);
}

static void test_pages(void **state)
{
    (void)state;
    uint64_t count;
    debug_request_t r = {.offset = 0, .length = 4};
    assert_int_equal(debug_page(10, &r, &count), 0);
    assert_int_equal(count, 4);
    r.offset = 8;
    assert_int_equal(debug_page(10, &r, &count), 0);
    assert_int_equal(count, 2);
    r.offset = 10;
    assert_int_equal(debug_page(10, &r, &count), 0);
    assert_int_equal(count, 0); /* the end itself: nothing, no error */
    r.offset = 11;
    assert_int_equal(debug_page(10, &r, &count), -EINVAL);
    r.offset = UINT64_MAX;
    assert_int_equal(debug_page(10, &r, &count), -EINVAL);
}

static void test_badges(void **state)
{
    (void)state;
    int pid;
    assert_true(debug_badge_parse(debug_badge_make(42), &pid));
    assert_int_equal(pid, 42);
    assert_false(debug_badge_parse(42 << 1, &pid));                 /* a session */
    assert_false(debug_badge_parse(1ull << 63 | 1ull << 62, &pid)); /* an object badge */
    assert_false(debug_badge_parse(DEBUG_BADGE_FLAG, &pid));        /* no holder */
}

static int parse(const char *line, dbg_query_t *q, const char **why)
{
    static char copy[128];
    char *words[8];
    int n = 0;
    strcpy(copy, line);
    for (char *w = strtok(copy, " "); w != NULL && n < 8; w = strtok(NULL, " ")) {
        words[n++] = w;
    }
    return dbg_parse(n, words, q, why);
}

static void test_dbg_words(void **state)
{
    (void)state;
    dbg_query_t q;
    const char *why = NULL;
    assert_int_equal(parse("vfs contexts", &q, &why), 0);
    assert_int_equal(q.label, DEBUG_VFS_CONTEXTS);
    assert_false(q.json);
    assert_int_equal(parse("--json proc show 12", &q, &why), 0);
    assert_int_equal(q.label, DEBUG_PROC_SHOW);
    assert_int_equal(q.arg, 12);
    assert_true(q.json);
    assert_int_equal(parse("caps 3 --json", &q, &why), 0);
    assert_int_equal(q.label, DEBUG_CAPS);
    assert_int_equal(parse("caps", &q, &why), -1);
    assert_string_equal(why, "expects a process number PID");
    assert_int_equal(parse("caps 0", &q, &why), -1);
    assert_int_equal(parse("caps 3x", &q, &why), -1);
    assert_int_equal(parse("caps 2147483648", &q, &why), -1);
    assert_int_equal(parse("caps vfs-server", &q, &why), 0);
    assert_int_equal(q.label, DEBUG_SERVER_CAPS);
    assert_int_equal(q.arg, DEBUG_SERVER_VFS);
    assert_int_equal(parse("caps console-server --json", &q, &why), 0);
    assert_int_equal(q.arg, DEBUG_SERVER_CONSOLE);
    assert_int_equal(parse("caps init-server", &q, &why), -1);
    assert_int_equal(parse("crash console-server", &q, &why), 0);
    assert_int_equal(q.label, DEBUG_SERVER_CRASH);
    assert_int_equal(q.arg, DEBUG_SERVER_CONSOLE);
    assert_int_equal(parse("crash vfs-server exec", &q, &why), 0);
    assert_int_equal(q.arg, DEBUG_SERVER_VFS | DEBUG_CRASH_AT_EXEC << DEBUG_CRASH_SHIFT);
    assert_int_equal(parse("crash console-server listing", &q, &why), 0);
    assert_int_equal(q.arg, DEBUG_SERVER_CONSOLE | DEBUG_CRASH_AT_LISTING << DEBUG_CRASH_SHIFT);
    assert_int_equal(parse("crash vfs-server later", &q, &why), -1);
    assert_string_equal(why, "expects when: fork, spawn, exec, listing or session-end");
    assert_int_equal(parse("crash", &q, &why), -1);
    assert_int_equal(parse("crash 3", &q, &why), -1);
    assert_string_equal(why, "expects a server: vfs-server, console-server or debug-console");
    assert_int_equal(parse("vfs mounts", &q, &why), -1);
    assert_string_equal(why, "expects a context number CTX");
    assert_int_equal(parse("kernel now", &q, &why), -1);
    assert_string_equal(why, "unexpected argument (try help)");
    assert_int_equal(parse("proc", &q, &why), -1);
    assert_string_equal(why, "unknown command (try help)");
    assert_int_equal(parse("--json", &q, &why), -1);
    assert_string_equal(why, "no command (try help)");
}

/* Feeds s to the debug console's line editor; returns the echo, and the
 * finished line in *done (NULL while none). */
static const char *feed(line_t *line, const char *s, const char **done)
{
    static char echo_all[256];
    size_t n = 0;
    *done = NULL;
    for (; *s != '\0'; s++) {
        char echo[8];
        size_t len;
        if (line_feed(line, (unsigned char)*s, echo, &len)) {
            *done = line->text;
        }
        memcpy(echo_all + n, echo, len);
        n += len;
    }
    echo_all[n] = '\0';
    return echo_all;
}

static void test_console_line(void **state)
{
    (void)state;
    line_t line = {0};
    const char *done;
    assert_string_equal(feed(&line,
                             "prox\x7f"
                             "c",
                             &done),
                        "prox\b \bc");
    assert_null(done);
    assert_string_equal(feed(&line, " list\r", &done), " list\r\n");
    assert_string_equal(done, "proc list");
    assert_string_equal(feed(&line,
                             "\x7f\x01"
                             "abc\x15"
                             "kernel\n",
                             &done),
                        "abc^U\r\nkernel\r\n");
    assert_string_equal(done, "kernel"); /* control bytes dropped, ^U dropped the line */
    char longline[LINE_MAX_BYTES + 20];
    memset(longline, 'x', sizeof(longline) - 2);
    longline[sizeof(longline) - 2] = '\r';
    longline[sizeof(longline) - 1] = '\0';
    feed(&line, longline, &done);
    assert_int_equal(strlen(done), LINE_MAX_BYTES); /* the rest was not taken, nor echoed */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_counts_past_its_buffer),
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_request_checks),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_badges),
        cmocka_unit_test(test_dbg_words),
        cmocka_unit_test(test_console_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
