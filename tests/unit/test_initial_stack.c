/*
 * Host unit tests for the Linux initial stack (proc-server/initial_stack.c).
 * The image is built at the host address of its own buffer, so it can be read
 * back exactly as musl's _start_c and __init_libc read theirs: argc at rsp,
 * argv after it, envp after argv's NULL, auxv after envp's NULL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <elf.h> /* the host's AT_* values, to cross-check ours */
#include <errno.h>

#include "initial_stack.h"

#define STACK_SIZE (64 * 1024)
#define AUX_CNT 38 /* musl's */

static _Alignas(16) uint8_t stack[STACK_SIZE];
static const uint8_t random_bytes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static initial_stack_aux_t sample_aux(void)
{
    return (initial_stack_aux_t){0x400040, 9, 0x401000, 0x178bfbff, random_bytes, "/bin/prog"};
}

typedef struct {
    long argc;
    char **argv;
    char **envp;
    size_t envc;
    size_t aux[AUX_CNT];
    size_t aux_pairs;
} parsed_t;

/* musl's start-up, word for word where it matters. */
static void parse_like_musl(uint64_t rsp, parsed_t *out)
{
    long *p = (long *)(uintptr_t)rsp;
    size_t i;
    memset(out, 0, sizeof(*out));
    out->argc = p[0];
    out->argv = (void *)(p + 1);
    out->envp = out->argv + out->argc + 1;
    for (i = 0; out->envp[i]; i++) {
    }
    out->envc = i;
    size_t *auxv = (void *)(out->envp + i + 1);
    for (i = 0; auxv[i]; i += 2) {
        if (auxv[i] < AUX_CNT) {
            out->aux[auxv[i]] = auxv[i + 1];
        }
    }
    out->aux_pairs = i / 2 + 1;
}

static uint64_t build(const char *const *argv, const char *const *envp, size_t size, int expect)
{
    exec_args_t args;
    initial_stack_aux_t aux = sample_aux();
    uint64_t rsp = 0;
    uint8_t *base = stack + STACK_SIZE - size;
    exec_args_from_arrays(&args, "/bin/prog", argv, envp);
    assert_int_equal(initial_stack_build(base, size, (uint64_t)(uintptr_t)base, &args, &aux, &rsp),
                     expect);
    return rsp;
}

static void test_layout_as_musl_reads_it(void **state)
{
    const char *argv[] = {"prog", "-v", "", "last arg", NULL};
    const char *envp[] = {"PATH=/bin:/usr/bin", "TERM=vt100", NULL};
    parsed_t p;
    (void)state;
    memset(stack, 0xAA, sizeof(stack));
    uint64_t rsp = build(argv, envp, STACK_SIZE, 0);
    assert_int_equal(rsp % 16, 0);
    assert_true(rsp >= (uint64_t)(uintptr_t)stack);
    parse_like_musl(rsp, &p);
    assert_int_equal(p.argc, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(p.argv[i], argv[i]);
    }
    assert_null(p.argv[4]);
    assert_int_equal(p.envc, 2);
    assert_string_equal(p.envp[0], envp[0]);
    assert_string_equal(p.envp[1], envp[1]);
    assert_int_equal(p.aux_pairs, INITIAL_STACK_AUXV_PAIRS);
    assert_int_equal(p.aux[AT_PHDR], 0x400040);
    assert_int_equal(p.aux[AT_PHENT], 56);
    assert_int_equal(p.aux[AT_PHNUM], 9);
    assert_int_equal(p.aux[AT_PAGESZ], 4096);
    assert_int_equal(p.aux[AT_BASE], 0);
    assert_int_equal(p.aux[AT_FLAGS], 0);
    assert_int_equal(p.aux[AT_ENTRY], 0x401000);
    assert_int_equal(p.aux[AT_UID], 0);
    assert_int_equal(p.aux[AT_EUID], 0);
    assert_int_equal(p.aux[AT_GID], 0);
    assert_int_equal(p.aux[AT_EGID], 0);
    assert_int_equal(p.aux[AT_SECURE], 0);
    assert_int_equal(p.aux[AT_HWCAP], 0x178bfbff);
    assert_int_equal(p.aux[AT_CLKTCK], 100);
    assert_memory_equal((void *)(uintptr_t)p.aux[AT_RANDOM], random_bytes, 16);
    assert_string_equal((char *)(uintptr_t)p.aux[AT_PLATFORM], "x86_64");
    assert_string_equal((char *)(uintptr_t)p.aux[AT_EXECFN], "/bin/prog");
}

/* Strings sit above the vectors, inside the buffer, with 8 zero bytes on top as Linux. */
static void test_strings_in_order_and_in_buffer(void **state)
{
    const char *argv[] = {"a", "bb", NULL};
    const char *envp[] = {"E=1", NULL};
    parsed_t p;
    (void)state;
    memset(stack, 0xAA, sizeof(stack));
    uint64_t rsp = build(argv, envp, 4096, 0);
    parse_like_musl(rsp, &p);
    uint64_t top = (uint64_t)(uintptr_t)(stack + STACK_SIZE);
    /* argv[0] lowest, then argv[1], envp, execfn; random and platform below argv[0]. */
    assert_ptr_equal(p.argv[1], p.argv[0] + 2);
    assert_ptr_equal(p.envp[0], p.argv[1] + 3);
    assert_int_equal(p.aux[AT_EXECFN], (uint64_t)(uintptr_t)(p.envp[0] + 4));
    assert_int_equal(p.aux[AT_EXECFN] + sizeof("/bin/prog") + 8, top);
    assert_memory_equal(stack + STACK_SIZE - 8, "\0\0\0\0\0\0\0\0", 8);
    assert_true(p.aux[AT_PLATFORM] < (uint64_t)(uintptr_t)p.argv[0]);
    assert_true(p.aux[AT_RANDOM] < p.aux[AT_PLATFORM]);
    /* Nothing below rsp was written. */
    uint8_t *low = (uint8_t *)(uintptr_t)rsp;
    assert_int_equal(low[-1], 0xAA);
}

/* rsp % 16 == 0 for every parity of argc + envc and every string length. */
static void test_alignment_for_all_shapes(void **state)
{
    static const char *words[] = {"x", "yy", "zzz", "wwww", "vvvvv", "uuuuuu", "ttttttt", NULL};
    (void)state;
    for (size_t argc = 0; argc < 7; argc++) {
        for (size_t envc = 0; envc < 7; envc++) {
            const char *argv[8] = {0};
            const char *envp[8] = {0};
            memcpy(argv, words, argc * sizeof(char *));
            memcpy(envp, words + (7 - envc), envc * sizeof(char *));
            uint64_t rsp = build(argv, envp, 4096, 0);
            assert_int_equal(rsp % 16, 0);
            parsed_t p;
            parse_like_musl(rsp, &p);
            assert_int_equal(p.argc, (long)argc);
            assert_int_equal(p.envc, envc);
        }
    }
}

/* The same image mapped elsewhere: pointers are user addresses, not host ones. */
static void test_other_user_address(void **state)
{
    const char *argv[] = {"sh", NULL};
    exec_args_t args;
    initial_stack_aux_t aux = sample_aux();
    uint64_t rsp;
    const uint64_t vaddr = 0x7ffffffde000ull;
    (void)state;
    exec_args_from_arrays(&args, "/bin/sh", argv, NULL);
    assert_int_equal(initial_stack_build(stack, 8192, vaddr, &args, &aux, &rsp), 0);
    assert_int_equal(rsp % 16, 0);
    assert_true(rsp > vaddr && rsp < vaddr + 8192);
    uint64_t *w = (uint64_t *)(stack + (rsp - vaddr));
    assert_int_equal(w[0], 1);
    assert_true(w[1] > rsp && w[1] < vaddr + 8192);
    assert_string_equal((char *)stack + (w[1] - vaddr), "sh");
    assert_int_equal(w[2], 0); /* argv NULL */
    assert_int_equal(w[3], 0); /* envp NULL */
    assert_int_equal(w[4], AT_PHDR);
}

/* From a packed request, as proc-server will build it. */
static void test_from_packed_args(void **state)
{
    const char *argv[] = {"busybox", "echo", "hi", NULL};
    const char *envp[] = {"A=b", NULL};
    static uint8_t packed[1024];
    exec_args_t in, args;
    initial_stack_aux_t aux = sample_aux();
    size_t len;
    uint64_t rsp;
    parsed_t p;
    (void)state;
    exec_args_from_arrays(&in, "/bin/busybox", argv, envp);
    assert_int_equal(exec_args_pack(&in, packed, sizeof(packed), &len), 0);
    assert_int_equal(exec_args_unpack(packed, len, &args), 0);
    assert_int_equal(
        initial_stack_build(stack, STACK_SIZE, (uint64_t)(uintptr_t)stack, &args, &aux, &rsp), 0);
    parse_like_musl(rsp, &p);
    assert_int_equal(p.argc, 3);
    assert_string_equal(p.argv[2], "hi");
    assert_string_equal(p.envp[0], "A=b");
}

/* Too small at every size below the one that fits, never a write outside the buffer. */
static void test_e2big_at_every_size(void **state)
{
    const char *argv[] = {"prog", "arg", NULL};
    const char *envp[] = {"K=V", NULL};
    (void)state;
    size_t fits = 0;
    for (size_t size = 0; size <= 1024; size++) {
        exec_args_t args;
        initial_stack_aux_t aux = sample_aux();
        uint64_t rsp;
        uint8_t *heap = malloc(size > 0 ? size : 1);
        assert_non_null(heap);
        exec_args_from_arrays(&args, "/bin/prog", argv, envp);
        /* A 16-aligned end, as a stack mapping has. */
        int err = initial_stack_build(heap, size, 0x7fff0000ull - size, &args, &aux, &rsp);
        free(heap);
        if (err == 0 && fits == 0) {
            fits = size;
        }
        assert_int_equal(err, size < fits || fits == 0 ? -E2BIG : 0);
    }
    assert_true(fits > 0);
}

static void test_rejects_bad_inputs(void **state)
{
    exec_args_t args;
    initial_stack_aux_t aux = sample_aux();
    uint64_t rsp;
    (void)state;
    exec_args_from_arrays(&args, "/p", NULL, NULL);
    assert_int_equal(initial_stack_build(NULL, 4096, 0x1000, &args, &aux, &rsp), -EINVAL);
    assert_int_equal(initial_stack_build(stack, 4096, UINT64_MAX - 100, &args, &aux, &rsp),
                     -EINVAL);
    aux.random = NULL;
    assert_int_equal(initial_stack_build(stack, 4096, 0x1000, &args, &aux, &rsp), -EINVAL);
    aux = sample_aux();
    aux.execfn = NULL;
    assert_int_equal(initial_stack_build(stack, 4096, 0x1000, &args, &aux, &rsp), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_as_musl_reads_it),
        cmocka_unit_test(test_strings_in_order_and_in_buffer),
        cmocka_unit_test(test_alignment_for_all_shapes),
        cmocka_unit_test(test_other_user_address),
        cmocka_unit_test(test_from_packed_args),
        cmocka_unit_test(test_e2big_at_every_size),
        cmocka_unit_test(test_rejects_bad_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
