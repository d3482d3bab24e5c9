/*
 * The random devices' generator: ChaCha20's block function against RFC
 * 8439's vectors, and the fast-key-erasure construction over it (what a
 * request hands out, that the key changes with every request and every
 * input, reads of any size).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capsule/chacha20.h"
#include "capsule/csprng.h"

static void hex(const char *text, uint8_t *out)
{
    for (size_t i = 0; text[2 * i] != '\0'; i++) {
        char byte[3] = {text[2 * i], text[2 * i + 1], 0};
        out[i] = (uint8_t)strtoul(byte, NULL, 16);
    }
}

/* RFC 8439 2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, counter 1. */
static void test_rfc8439_block(void **state)
{
    (void)state;
    uint8_t key[32], nonce[12], want[64], got[64];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)i;
    }
    hex("000000090000004a00000000", nonce);
    hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
        want);
    chacha20_block(key, 1, nonce, got);
    assert_memory_equal(got, want, 64);
}

/* RFC 8439 A.1, test vectors 1 and 2: the all-zero key and nonce, counters 0 and 1. */
static void test_rfc8439_zero_key(void **state)
{
    (void)state;
    uint8_t key[32] = {0}, nonce[12] = {0}, want[64], got[64];
    hex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
        "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586",
        want);
    chacha20_block(key, 0, nonce, got);
    assert_memory_equal(got, want, 64);
    hex("9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
        "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f",
        want);
    chacha20_block(key, 1, nonce, got);
    assert_memory_equal(got, want, 64);
}

/* A request: block 0's first half is the next key, its second half and
 * the blocks after it are the output. */
static void test_fast_key_erasure(void **state)
{
    (void)state;
    csprng_t g;
    csprng_init(&g);
    uint8_t key[32], nonce[12] = {'o', 'u', 't'}, b0[64], b1[64], b2[64];
    memcpy(key, g.key, sizeof(key));
    chacha20_block(key, 0, nonce, b0);
    chacha20_block(key, 1, nonce, b1);
    chacha20_block(key, 2, nonce, b2);
    uint8_t out[100];
    csprng_generate(&g, out, sizeof(out));
    assert_memory_equal(out, b0 + 32, 32);
    assert_memory_equal(out + 32, b1, 64);
    assert_memory_equal(out + 96, b2, 4);
    assert_memory_equal(g.key, b0, 32); /* the key that made them is gone */
}

/* Two requests never repeat each other, whatever their sizes. */
static void test_requests_differ(void **state)
{
    (void)state;
    csprng_t g;
    csprng_init(&g);
    uint8_t a[16], b[16];
    csprng_generate(&g, a, sizeof(a));
    csprng_generate(&g, b, sizeof(b));
    assert_memory_not_equal(a, b, sizeof(a));
    /* a read of nothing still moves the key on */
    uint8_t before[32];
    memcpy(before, g.key, sizeof(before));
    csprng_generate(&g, NULL, 0);
    assert_memory_not_equal(before, g.key, sizeof(before));
}

/* A large read: 1 MiB comes whole, and is not a short cycle. */
static void test_large_read(void **state)
{
    (void)state;
    csprng_t g;
    csprng_init(&g);
    size_t size = 1 << 20;
    uint8_t *big = malloc(size);
    assert_non_null(big);
    csprng_generate(&g, big, size);
    assert_memory_not_equal(big, big + 64, 64);
    assert_memory_not_equal(big + size - 128, big + size - 64, 64);
    unsigned ones = 0; /* about half the bits are set */
    for (size_t i = 0; i < size; i++) {
        ones += (unsigned)__builtin_popcount(big[i]);
    }
    assert_in_range(ones, size * 4 - size / 16, size * 4 + size / 16);
    free(big);
}

/* Mixing is deterministic, depends on every byte and on the length. */
static void test_mix(void **state)
{
    (void)state;
    csprng_t a, b, c;
    csprng_init(&a), csprng_init(&b), csprng_init(&c);
    uint8_t input[70];
    for (size_t i = 0; i < sizeof(input); i++) {
        input[i] = (uint8_t)(i * 7);
    }
    csprng_mix(&a, input, sizeof(input));
    csprng_mix(&b, input, sizeof(input));
    assert_memory_equal(a.key, b.key, 32);
    input[69] ^= 1; /* the last byte of the third chunk counts */
    csprng_mix(&c, input, sizeof(input));
    assert_memory_not_equal(a.key, c.key, 32);
    csprng_t d, e;
    csprng_init(&d), csprng_init(&e);
    csprng_mix(&d, "ab", 2);
    csprng_mix(&e, "ab\0", 3);
    assert_memory_not_equal(d.key, e.key, 32);
    /* mixed and fresh generators give different output */
    uint8_t x[32], y[32];
    csprng_t fresh;
    csprng_init(&fresh);
    csprng_generate(&a, x, sizeof(x));
    csprng_generate(&fresh, y, sizeof(y));
    assert_memory_not_equal(x, y, sizeof(x));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8439_block),    cmocka_unit_test(test_rfc8439_zero_key),
        cmocka_unit_test(test_fast_key_erasure), cmocka_unit_test(test_requests_differ),
        cmocka_unit_test(test_large_read),       cmocka_unit_test(test_mix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
