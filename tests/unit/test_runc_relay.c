/* runc's terminal relay buffer: order kept across the ring's wrap, room
 * for the VEOF kept, nothing read after the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "relay.h"

/* Reads up to n bytes of src into the relay, as a read(2) would. */
static size_t fill(relay_t *r, const char *src, size_t n)
{
    unsigned char *at;
    size_t room = relay_room(r, &at);
    n = n < room ? n : room;
    memcpy(at, src, n);
    relay_filled(r, n);
    return n;
}

/* Writes at most n waiting bytes into dst, as a write(2) would. */
static size_t drain(relay_t *r, char *dst, size_t n)
{
    const unsigned char *at;
    size_t waiting = relay_pending(r, &at);
    n = n < waiting ? n : waiting;
    memcpy(dst, at, n);
    relay_taken(r, n);
    return n;
}

static void test_empty(void **state)
{
    (void)state;
    relay_t r;
    relay_init(&r);
    const unsigned char *at;
    assert_true(relay_wants_input(&r));
    assert_false(relay_wants_output(&r));
    assert_int_equal(relay_pending(&r, &at), 0);
    assert_false(relay_done(&r));
}

static void test_in_order(void **state)
{
    (void)state;
    static relay_t r;
    relay_init(&r);
    char out[16] = {0};
    assert_int_equal(fill(&r, "hello ", 6), 6);
    assert_int_equal(fill(&r, "world", 5), 5);
    assert_true(relay_wants_output(&r));
    assert_int_equal(drain(&r, out, 3), 3); /* a short write */
    assert_int_equal(drain(&r, out + 3, 16), 8);
    assert_string_equal(out, "hello world");
    assert_false(relay_wants_output(&r));
}

/* Bytes stay in order when the ring wraps; reads and writes see contiguous
 * pieces only. */
static void test_wraps(void **state)
{
    (void)state;
    static relay_t r;
    static char src[3 * RELAY_SIZE], dst[3 * RELAY_SIZE];
    for (size_t i = 0; i < sizeof(src); i++) {
        src[i] = (char)(i * 7 + i / 251);
    }
    relay_init(&r);
    size_t in = 0, out = 0;
    while (out < sizeof(src)) {
        in += fill(&r, src + in, sizeof(src) - in < 1000 ? sizeof(src) - in : 1000);
        out += drain(&r, dst + out, 700);
    }
    assert_memory_equal(src, dst, sizeof(src));
}

static void test_full(void **state)
{
    (void)state;
    static relay_t r;
    static char big[2 * RELAY_SIZE];
    relay_init(&r);
    size_t got = fill(&r, big, sizeof(big));
    assert_int_equal(got, RELAY_SIZE - 1); /* one byte kept for the VEOF */
    unsigned char *at;
    assert_int_equal(relay_room(&r, &at), 0);
    assert_false(relay_wants_input(&r));
    relay_end(&r, 4);
    char out[2 * RELAY_SIZE];
    size_t n = drain(&r, out, sizeof(out));
    n += drain(&r, out + n, sizeof(out) - n);
    assert_int_equal(n, RELAY_SIZE);
    assert_int_equal(out[RELAY_SIZE - 1], 4);
    assert_true(relay_done(&r));
}

static void test_end(void **state)
{
    (void)state;
    static relay_t r;
    relay_init(&r);
    fill(&r, "exit\n", 5);
    relay_end(&r, 4);
    relay_end(&r, 4); /* once only */
    unsigned char *at;
    assert_int_equal(relay_room(&r, &at), 0);
    assert_false(relay_wants_input(&r));
    assert_false(relay_done(&r));
    char out[8] = {0};
    assert_int_equal(drain(&r, out, 8), 6);
    assert_string_equal(out, "exit\n\x04");
    assert_true(relay_done(&r));

    relay_init(&r); /* no VEOF: the output side just ends */
    relay_end(&r, -1);
    assert_true(relay_done(&r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty), cmocka_unit_test(test_in_order), cmocka_unit_test(test_wraps),
        cmocka_unit_test(test_full),  cmocka_unit_test(test_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
