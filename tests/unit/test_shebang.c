/*
 * Host unit tests for `#!` scripts (proc-server/shebang.c): the first line is
 * parsed as Linux's binfmt_script parses it, and the interpreter's arguments
 * are built as Linux builds them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>

#include "shebang.h"

static shebang_t sb;

static int parse(const char *text)
{
    return shebang_parse(text, strlen(text), &sb);
}

static void expect_ok(const char *text, const char *interp, const char *arg)
{
    assert_int_equal(parse(text), 0);
    assert_string_equal(sb.interp, interp);
    if (arg == NULL) {
        assert_false(sb.has_arg);
        assert_string_equal(sb.arg, "");
    } else {
        assert_true(sb.has_arg);
        assert_string_equal(sb.arg, arg);
    }
}

static void test_simple(void **state)
{
    (void)state;
    expect_ok("#!/bin/sh\necho hi\n", "/bin/sh", NULL);
    expect_ok("#!/bin/sh -e\n", "/bin/sh", "-e");
    expect_ok("#!/bin/sh", "/bin/sh", NULL); /* no newline: the file ends (NUL padding) */
    expect_ok("#!/usr/bin/awk -f\nBEGIN{}\n", "/usr/bin/awk", "-f");
}

static void test_blanks(void **state)
{
    (void)state;
    expect_ok("#! /bin/sh\n", "/bin/sh", NULL);
    expect_ok("#!\t \t/bin/sh \t \n", "/bin/sh", NULL);
    expect_ok("#!/bin/sh   -x  \n", "/bin/sh", "-x");
    /* One argument, inner blanks kept: Linux does not split it. */
    expect_ok("#!/usr/bin/env -S python3 -u\n", "/usr/bin/env", "-S python3 -u");
    expect_ok("#!/bin/sh\t-a\t-b\t\n", "/bin/sh", "-a\t-b");
    /* A carriage return is not a blank: it stays part of the word (as on Linux). */
    expect_ok("#!/bin/sh\r\n", "/bin/sh\r", NULL);
}

static void test_nul_ends_fields(void **state)
{
    (void)state;
    assert_int_equal(shebang_parse("#!/bin/sh\0-x\n", 13, &sb), 0);
    assert_string_equal(sb.interp, "/bin/sh");
    assert_false(sb.has_arg);
    assert_int_equal(shebang_parse("#!/bin/sh -x\0yz\n", 16, &sb), 0);
    assert_string_equal(sb.arg, "-x");
    assert_int_equal(shebang_parse("#!\0/bin/sh\n", 11, &sb), -ENOEXEC);
}

static void test_no_interpreter(void **state)
{
    (void)state;
    assert_int_equal(parse("#!\n/bin/sh\n"), -ENOEXEC);
    assert_int_equal(parse("#!   \t\n"), -ENOEXEC);
    assert_int_equal(parse("#!"), -ENOEXEC);
    assert_int_equal(parse("#!  "), -ENOEXEC);
    assert_int_equal(parse("#/bin/sh\n"), -ENOEXEC);
    assert_int_equal(parse("!#/bin/sh\n"), -ENOEXEC);
    assert_int_equal(parse("\x7f"
                           "ELF"),
                     -ENOEXEC);
    assert_int_equal(shebang_parse("#", 1, &sb), -ENOEXEC);
    assert_int_equal(shebang_parse("", 0, &sb), -ENOEXEC);
    assert_false(shebang_is_script("#", 1));
    assert_true(shebang_is_script("#!", 2));
}

/* A line of `n` bytes (without newline) made of "#!", the name, a blank and an argument. */
static void make_line(char *buf, size_t name_len, size_t arg_len)
{
    size_t n = 0;
    buf[n++] = '#';
    buf[n++] = '!';
    buf[n++] = '/';
    for (size_t i = 1; i < name_len; i++) {
        buf[n++] = 'i';
    }
    if (arg_len > 0) {
        buf[n++] = ' ';
        for (size_t i = 0; i < arg_len; i++) {
            buf[n++] = 'a';
        }
    }
    buf[n] = '\0';
}

/* BINPRM_BUF_SIZE: only 256 bytes are read; the line may hold 255. */
static void test_long_lines(void **state)
{
    char line[1024];
    char expect[256];
    (void)state;
    /* A 253-byte interpreter ending with the newline at index 255: fits. */
    make_line(line, 253, 0);
    strcat(line, "\nrest");
    assert_int_equal(parse(line), 0);
    assert_int_equal(strlen(sb.interp), 253);
    /* 254 bytes of name and no newline or blank in the 256 read: truncated, refused. */
    make_line(line, 254, 0);
    strcat(line, "\n");
    assert_int_equal(parse(line), -ENOEXEC);
    /* A name that ends (blank) inside the buffer while the argument is cut: fine. */
    make_line(line, 10, 400);
    strcat(line, "\n");
    assert_int_equal(parse(line), 0);
    assert_string_equal(sb.interp, "/iiiiiiiii");
    /* Byte 255 is not part of the line: the argument keeps bytes 13..254. */
    memset(expect, 'a', 242);
    expect[242] = '\0';
    assert_string_equal(sb.arg, expect);
    /* Nothing past the first 256 bytes counts, even if it is a newline. */
    make_line(line, 300, 0);
    assert_int_equal(parse(line), -ENOEXEC);
    /* Name ends exactly at byte 255 (a blank there): accepted, 253 bytes of name. */
    make_line(line, 253, 5);
    assert_int_equal(parse(line), 0);
    assert_int_equal(strlen(sb.interp), 253);
    assert_false(sb.has_arg);
}

static void test_rewrite(void **state)
{
    const char *argv[] = {"myscript", "one", "two", NULL};
    const char *envp[] = {"HOME=/", NULL};
    static uint8_t buf[4096];
    exec_args_t script, args;
    size_t len;
    (void)state;
    exec_args_from_arrays(&script, "./dir/myscript", argv, envp);
    assert_int_equal(parse("#!/bin/sh -e\n"), 0);
    assert_int_equal(shebang_rewrite(&sb, &script, buf, sizeof(buf), &len), 0);
    assert_int_equal(exec_args_unpack(buf, len, &args), 0);
    assert_string_equal(args.path, "/bin/sh");
    assert_int_equal(args.argc, 5);
    assert_string_equal(exec_args_arg(&args, 0), "/bin/sh");
    assert_string_equal(exec_args_arg(&args, 1), "-e");
    assert_string_equal(exec_args_arg(&args, 2), "./dir/myscript"); /* the path, not argv[0] */
    assert_string_equal(exec_args_arg(&args, 3), "one");
    assert_string_equal(exec_args_arg(&args, 4), "two");
    assert_int_equal(args.envc, 1);
    assert_string_equal(exec_args_env(&args, 0), "HOME=/");
}

static void test_rewrite_no_arg_no_argv(void **state)
{
    static uint8_t buf[4096];
    exec_args_t script, args;
    size_t len;
    (void)state;
    exec_args_from_arrays(&script, "/s", NULL, NULL);
    assert_int_equal(parse("#!/bin/sh\n"), 0);
    assert_int_equal(shebang_rewrite(&sb, &script, buf, sizeof(buf), &len), 0);
    assert_int_equal(exec_args_unpack(buf, len, &args), 0);
    assert_int_equal(args.argc, 2);
    assert_string_equal(exec_args_arg(&args, 0), "/bin/sh");
    assert_string_equal(exec_args_arg(&args, 1), "/s");
    /* Growing the arguments past the output buffer is E2BIG. */
    assert_int_equal(shebang_rewrite(&sb, &script, buf, 16 + 8 + 8 + 8 + 2, &len), -E2BIG);
    assert_int_equal(shebang_rewrite(&sb, &script, buf, 16 + 8 + 8 + 8 + 3, &len), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_blanks),
        cmocka_unit_test(test_nul_ends_fields),
        cmocka_unit_test(test_no_interpreter),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_rewrite),
        cmocka_unit_test(test_rewrite_no_arg_no_argv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
