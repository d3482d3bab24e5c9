/*
 * Host unit tests for the packed execve arguments (proc-server/exec_args.c):
 * the writer and the decoder agree, and every malformed buffer is refused
 * with its errno before anything is read out of range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>

#include "exec_args.h"

static uint8_t buf[EXEC_ARGS_MAX + 64];

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Decodes a heap copy of exactly `len` bytes so that ASan sees any overread. */
static int unpack_copy(const uint8_t *src, size_t len)
{
    exec_args_t args;
    uint8_t *copy = malloc(len > 0 ? len : 1);
    assert_non_null(copy);
    memcpy(copy, src, len);
    int err = exec_args_unpack(copy, len, &args);
    free(copy);
    return err;
}

static size_t pack_sample(void)
{
    const char *argv[] = {"ls", "-l", "", "/tmp", NULL};
    const char *envp[] = {"PATH=/bin", "HOME=/root", NULL};
    exec_args_t in;
    size_t len;
    exec_args_from_arrays(&in, "/bin/ls", argv, envp);
    assert_int_equal(exec_args_pack(&in, buf, sizeof(buf), &len), 0);
    return len;
}

static void test_round_trip(void **state)
{
    exec_args_t args;
    (void)state;
    size_t len = pack_sample();
    assert_int_equal(len, 16 + 6 * 4 + 8 + 3 + 3 + 1 + 5 + 10 + 11);
    assert_int_equal(exec_args_unpack(buf, len, &args), 0);
    assert_string_equal(args.path, "/bin/ls");
    assert_int_equal(args.argc, 4);
    assert_int_equal(args.envc, 2);
    assert_string_equal(exec_args_arg(&args, 0), "ls");
    assert_string_equal(exec_args_arg(&args, 1), "-l");
    assert_string_equal(exec_args_arg(&args, 2), "");
    assert_string_equal(exec_args_arg(&args, 3), "/tmp");
    assert_string_equal(exec_args_env(&args, 0), "PATH=/bin");
    assert_string_equal(exec_args_env(&args, 1), "HOME=/root");
    /* Packing the decoded view again gives the same bytes. */
    static uint8_t again[4096];
    size_t len2;
    assert_int_equal(exec_args_pack(&args, again, sizeof(again), &len2), 0);
    assert_int_equal(len2, len);
    assert_memory_equal(again, buf, len);
}

static void test_empty_lists(void **state)
{
    exec_args_t in, args;
    size_t len;
    (void)state;
    exec_args_from_arrays(&in, "/sbin/init", NULL, NULL);
    assert_int_equal(exec_args_pack(&in, buf, sizeof(buf), &len), 0);
    assert_int_equal(unpack_copy(buf, len), 0);
    assert_int_equal(exec_args_unpack(buf, len, &args), 0);
    assert_int_equal(args.argc, 0);
    assert_int_equal(args.envc, 0);
    assert_string_equal(args.path, "/sbin/init");
}

/* Offsets may point anywhere in the string area, shared bytes included. */
static void test_shared_and_unaligned(void **state)
{
    exec_args_t args;
    uint8_t *p = buf + 1; /* odd address: the decoder reads byte-wise */
    (void)state;
    memset(buf, 0, 64);
    put32(p + 0, 2);
    put32(p + 4, 1);
    put32(p + 8, 28);
    put32(p + 16, 31);
    put32(p + 20, 28);
    put32(p + 24, 29);
    memcpy(p + 28, "/ab\0", 4);
    assert_int_equal(exec_args_unpack(p, 32, &args), 0);
    assert_string_equal(args.path, "/ab");
    assert_string_equal(exec_args_arg(&args, 0), "");
    assert_string_equal(exec_args_arg(&args, 1), "/ab");
    assert_string_equal(exec_args_env(&args, 0), "ab");
}

static void test_rejects_bad_header(void **state)
{
    (void)state;
    size_t len = pack_sample();
    assert_int_equal(exec_args_unpack(NULL, len, &(exec_args_t){0}), -EINVAL);
    for (size_t short_len = 0; short_len < EXEC_ARGS_HEADER_SIZE; short_len++) {
        assert_int_equal(unpack_copy(buf, short_len), -EINVAL);
    }
    put32(buf + 12, 1); /* reserved */
    assert_int_equal(unpack_copy(buf, len), -EINVAL);
    len = pack_sample();
    put32(buf + 0, 0xffffffffu); /* argc: table far past the end */
    assert_int_equal(unpack_copy(buf, len), -EINVAL);
    len = pack_sample();
    put32(buf + 4, 0x80000000u); /* envc: (argc + envc) * 4 must not wrap */
    assert_int_equal(unpack_copy(buf, len), -EINVAL);
    len = pack_sample();
    /* The table exactly fills the buffer: no room for the path string. */
    put32(buf + 0, (uint32_t)((len - 16) / 4) - 2);
    assert_int_equal(unpack_copy(buf, len), -EFAULT);
}

static void test_rejects_bad_offsets(void **state)
{
    (void)state;
    size_t len = pack_sample();
    const size_t table = 16;
    const size_t strings = table + 6 * 4;
    const uint32_t bad[] = {0, 12, (uint32_t)strings - 1, (uint32_t)len, 0xffffffffu};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        len = pack_sample();
        put32(buf + 8, bad[i]); /* path */
        assert_int_equal(unpack_copy(buf, len), -EFAULT);
        len = pack_sample();
        put32(buf + table + 4 * 5, bad[i]); /* envp[1] */
        assert_int_equal(unpack_copy(buf, len), -EFAULT);
    }
}

/* A string whose NUL would be past the buffer: the last string cut by one byte. */
static void test_rejects_unterminated(void **state)
{
    (void)state;
    size_t len = pack_sample();
    assert_int_equal(unpack_copy(buf, len - 1), -EFAULT);
    buf[len - 1] = 'x';
    assert_int_equal(unpack_copy(buf, len), -EFAULT);
}

static void test_path_rules(void **state)
{
    exec_args_t in;
    size_t len;
    static char path[EXEC_PATH_MAX + 1];
    (void)state;
    exec_args_from_arrays(&in, "", NULL, NULL);
    assert_int_equal(exec_args_pack(&in, buf, sizeof(buf), &len), 0);
    assert_int_equal(unpack_copy(buf, len), -ENOENT);
    memset(path, 'a', EXEC_PATH_MAX - 1);
    path[EXEC_PATH_MAX - 1] = '\0';
    exec_args_from_arrays(&in, path, NULL, NULL);
    assert_int_equal(exec_args_pack(&in, buf, sizeof(buf), &len), 0);
    assert_int_equal(unpack_copy(buf, len), 0);
    path[EXEC_PATH_MAX - 1] = 'a';
    path[EXEC_PATH_MAX] = '\0';
    assert_int_equal(exec_args_pack(&in, buf, sizeof(buf), &len), 0);
    assert_int_equal(unpack_copy(buf, len), -ENAMETOOLONG);
}

static void test_e2big(void **state)
{
    exec_args_t in;
    size_t len;
    static char big[EXEC_ARGS_MAX];
    const char *argv[] = {big, NULL};
    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    exec_args_from_arrays(&in, "/bin/x", argv, NULL);
    /* The writer refuses it: header, table and path leave less than 128 KiB. */
    assert_int_equal(exec_args_pack(&in, buf, sizeof(buf), &len), -E2BIG);
    /* A buffer over the limit is refused whatever it holds. */
    memset(buf, 0, sizeof(buf));
    assert_int_equal(unpack_copy(buf, EXEC_ARGS_MAX + 1), -E2BIG);
    /* A too small output buffer. */
    argv[0] = "hello";
    assert_int_equal(exec_args_pack(&in, buf, 16 + 4 + 7 + 5, &len), -E2BIG);
    assert_int_equal(exec_args_pack(&in, buf, 16 + 4 + 7 + 6, &len), 0);
    assert_int_equal(exec_args_pack(&in, buf, 8, &len), -E2BIG);
}

/*
 * Shared offsets must not let a small buffer claim more than EXEC_ARGS_MAX of
 * strings (what the stack would need): 20,000 pointers at one 100-byte string.
 */
static void test_e2big_by_sharing(void **state)
{
    const uint32_t n = 20000;
    size_t strings = 16 + 4 * (size_t)n;
    (void)state;
    memset(buf, 0, sizeof(buf));
    put32(buf + 0, n);
    put32(buf + 8, (uint32_t)strings);
    for (uint32_t i = 0; i < n; i++) {
        put32(buf + 16 + 4 * i, (uint32_t)strings);
    }
    memset(buf + strings, 'a', 99);
    buf[strings + 99] = '\0';
    assert_int_equal(unpack_copy(buf, strings + 100), -E2BIG);
    /* 1,000 of them fit. */
    put32(buf + 0, 1000);
    assert_int_equal(unpack_copy(buf, strings + 100), 0);
}

static void test_writer_counts(void **state)
{
    exec_args_writer_t w;
    size_t len;
    (void)state;
    exec_args_writer_begin(&w, buf, sizeof(buf), "/p", 1, 1);
    exec_args_writer_add(&w, "a");
    assert_int_equal(exec_args_writer_finish(&w, &len), -EINVAL);
    exec_args_writer_begin(&w, buf, sizeof(buf), "/p", 1, 0);
    exec_args_writer_add(&w, "a");
    exec_args_writer_add(&w, "b");
    assert_int_equal(exec_args_writer_finish(&w, &len), -EINVAL);
    exec_args_writer_begin(&w, buf, sizeof(buf), "/p", SIZE_MAX, 0);
    assert_int_equal(exec_args_writer_finish(&w, &len), -E2BIG);
}

/* Random bytes never crash the decoder, and what it accepts reads back in bounds. */
static void test_random_buffers(void **state)
{
    exec_args_t args;
    (void)state;
    srand(1);
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(rand() % 96);
        uint8_t *p = malloc(len > 0 ? len : 1);
        assert_non_null(p);
        for (size_t i = 0; i < len; i++) {
            p[i] = (uint8_t)(rand() % 4 == 0 ? rand() % 40 : 0);
        }
        if (exec_args_unpack(p, len, &args) == 0) {
            size_t total = strlen(args.path);
            for (size_t i = 0; i < args.argc; i++) {
                total += strlen(exec_args_arg(&args, i));
            }
            for (size_t i = 0; i < args.envc; i++) {
                total += strlen(exec_args_env(&args, i));
            }
            assert_true(total < 96 * 24);
        }
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),           cmocka_unit_test(test_empty_lists),
        cmocka_unit_test(test_shared_and_unaligned), cmocka_unit_test(test_rejects_bad_header),
        cmocka_unit_test(test_rejects_bad_offsets),  cmocka_unit_test(test_rejects_unterminated),
        cmocka_unit_test(test_path_rules),           cmocka_unit_test(test_e2big),
        cmocka_unit_test(test_e2big_by_sharing),     cmocka_unit_test(test_writer_counts),
        cmocka_unit_test(test_random_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
