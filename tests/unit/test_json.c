/* runc's JSON parser: values, escapes, UTF-8, limits, and where errors are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

static json_value_t *parse(const char *text)
{
    json_error_t err;
    return json_parse(text, strlen(text), &err);
}

/* The error text parses to, as "LINE:COLUMN: MESSAGE". */
static const char *error_of(const char *text, size_t len)
{
    static char out[JSON_ERROR_MAX + 32];
    json_error_t err;
    json_value_t *v = json_parse(text, len, &err);

    if (v != NULL) {
        json_free(v);
        return "ok";
    }
    snprintf(out, sizeof(out), "%u:%u: %s", err.line, err.column, err.message);
    return out;
}

static const char *error(const char *text)
{
    return error_of(text, strlen(text));
}

static void test_values(void **state)
{
    (void)state;
    json_value_t *v = parse(" {\"a\": [1, -2.5e1, true, false, null, \"s\"], \"b\": {}} ");
    assert_non_null(v);
    assert_int_equal(v->type, JSON_OBJECT);
    assert_int_equal(v->count, 2);
    const json_value_t *a = json_get(v, "a");
    assert_int_equal(a->count, 6);
    assert_true(json_at(a, 0)->is_integer);
    assert_int_equal(json_at(a, 0)->integer, 1);
    assert_false(json_at(a, 1)->is_integer);
    assert_true(json_at(a, 1)->number == -25.0);
    assert_true(json_at(a, 2)->boolean);
    assert_false(json_at(a, 3)->boolean);
    assert_int_equal(json_at(a, 4)->type, JSON_NULL);
    assert_string_equal(json_at(a, 5)->string, "s");
    assert_null(json_at(a, 6));
    assert_int_equal(json_get(v, "b")->type, JSON_OBJECT);
    assert_null(json_get(v, "c"));
    assert_null(json_get(a, "a"));
    json_free(v);
}

static void test_integers(void **state)
{
    (void)state;
    json_value_t *v = parse("[9223372036854775807, -9223372036854775808, 9223372036854775808, "
                            "-0, 10.0, 1e2]");
    assert_non_null(v);
    assert_true(json_at(v, 0)->is_integer);
    assert_true(json_at(v, 0)->integer == INT64_MAX);
    assert_true(json_at(v, 1)->is_integer);
    assert_true(json_at(v, 1)->integer == INT64_MIN);
    assert_false(json_at(v, 2)->is_integer); /* too big: a double only */
    assert_true(json_at(v, 3)->is_integer);
    assert_false(json_at(v, 4)->is_integer);
    assert_false(json_at(v, 5)->is_integer);
    json_free(v);
}

static void test_escapes(void **state)
{
    (void)state;
    json_value_t *v = parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\u20AC \\ud83d\\ude00\"");
    assert_non_null(v);
    assert_string_equal(v->string, "q\" b\\ s/ \b\f\n\r\t \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    assert_int_equal(v->length, strlen(v->string));
    json_free(v);
    /* raw UTF-8 is kept as it is */
    v = parse("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
    assert_non_null(v);
    assert_string_equal(v->string, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    json_free(v);
}

static void test_string_errors(void **state)
{
    (void)state;
    assert_string_equal(error("\"abc"), "1:5: unterminated string");
    assert_string_equal(error("\"a\nb\""), "1:3: control character in string");
    assert_string_equal(error("\"\\x\""), "1:3: invalid escape in string");
    assert_string_equal(error("\"\\u12G4\""), "1:6: invalid \\u escape (expected 4 hex digits)");
    assert_string_equal(error("\"\\ude00\""), "1:8: lone low surrogate \\uDE00");
    assert_string_equal(error("\"\\ud83d\""),
                        "1:8: high surrogate \\uD83D not followed by a low one");
    assert_string_equal(error("\"\\ud83d\\u0041\""),
                        "1:14: high surrogate \\uD83D not followed by a low one");
    assert_string_equal(error("\"\\u0000\""), "1:8: \\u0000 is not allowed in a string");
    assert_string_equal(error("\"\xc0\xaf\""), "1:2: invalid UTF-8 in string");     /* overlong */
    assert_string_equal(error("\"\xe0\x80\xaf\""), "1:2: invalid UTF-8 in string"); /* overlong */
    assert_string_equal(error("\"\xed\xa0\x80\""), "1:2: invalid UTF-8 in string"); /* surrogate */
    assert_string_equal(error("\"\xf4\x90\x80\x80\""),
                        "1:2: invalid UTF-8 in string"); /* > 10FFFF */
    assert_string_equal(error("\"\xc3\""), "1:2: invalid UTF-8 in string");
    assert_string_equal(error("\"\xff\""), "1:2: invalid UTF-8 in string");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    assert_string_equal(error(""), "1:1: unexpected end of input");
    assert_string_equal(error("   \n  "), "2:3: unexpected end of input");
    assert_string_equal(error("{\"a\":1,}"), "1:8: expected a string key");
    assert_string_equal(error("[1,]"), "1:4: unexpected character");
    assert_string_equal(error("[1 2]"), "1:4: expected ',' or ']'");
    assert_string_equal(error("{\"a\" 1}"), "1:6: expected ':' after a key");
    assert_string_equal(error("{\n  \"a\": 1\n  \"b\": 2}"), "3:3: expected ',' or '}'");
    assert_string_equal(error("{\"a\":1,\"a\":2}"), "1:8: duplicate key \"a\"");
    assert_string_equal(error("tru"), "1:4: invalid literal (expected 'true')");
    assert_string_equal(error("nul1"), "1:4: invalid literal (expected 'null')");
    assert_string_equal(error("01"), "1:2: unexpected data after the JSON value");
    assert_string_equal(error("-"), "1:2: invalid number");
    assert_string_equal(error("1."), "1:3: invalid number (digit expected after '.')");
    assert_string_equal(error("1e+"), "1:4: invalid number (digit expected in exponent)");
    assert_string_equal(error("+1"), "1:1: unexpected character");
    assert_string_equal(error("{} {}"), "1:4: unexpected data after the JSON value");
    /* columns count characters: é is one */
    assert_string_equal(error("[\"\xc3\xa9\" x]"), "1:6: expected ',' or ']'");
    assert_string_equal(error_of("[1]\x00", 4), "1:4: unexpected data after the JSON value");
}

static void test_limits(void **state)
{
    (void)state;
    char deep[2 * JSON_MAX_DEPTH + 8];
    size_t n = 0;

    for (int i = 0; i < JSON_MAX_DEPTH; i++) {
        deep[n++] = '[';
    }
    for (int i = 0; i < JSON_MAX_DEPTH; i++) {
        deep[n++] = ']';
    }
    deep[n] = '\0';
    json_value_t *v = parse(deep);
    assert_non_null(v);
    json_free(v);
    memmove(deep + 1, deep, n + 1);
    deep[0] = '[';
    deep[n + 1] = ']';
    deep[n + 2] = '\0';
    assert_string_equal(error(deep), "1:65: nested too deeply (at most 64 levels)");
    /* too big to read */
    char *big = malloc(JSON_MAX_INPUT + 2);
    memset(big, ' ', JSON_MAX_INPUT + 1);
    big[JSON_MAX_INPUT + 1] = '\0';
    assert_string_equal(error(big), "1:1: input too large (at most 1048576 bytes)");
    free(big);
}

static void test_number_too_long(void **state)
{
    (void)state;
    char text[100];
    memset(text, '1', 80);
    text[80] = '\0';
    assert_string_equal(error(text), "1:81: number too long");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),          cmocka_unit_test(test_integers),
        cmocka_unit_test(test_escapes),         cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_syntax_errors),   cmocka_unit_test(test_limits),
        cmocka_unit_test(test_number_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
