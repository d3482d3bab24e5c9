/* Unit tests for the kernel object allocator (kernel/kalloc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_memory.h"
#include "kernel/frame_alloc.h"
#include "kernel/kalloc.h"

#define MIB (1ull << 20)

/*
 * kalloc keeps its slab lists across tests (it has no reset), so every test
 * frees everything it allocated; the frame count returning to its start value
 * is what proves it.
 */
static size_t start_free;

static void init_memory(uint64_t bytes)
{
    const phys_range_t usable[] = {{0x100000, bytes - 0x100000}};

    fake_memory_reset(bytes);
    fake_memory_fill(0xcc); /* boot RAM is garbage */
    assert_null(frame_alloc_init(usable, 1, NULL, 0));
    start_free = frame_alloc_free_count();
}

static int setup(void **state)
{
    (void)state;
    init_memory(16 * MIB);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(frame_alloc_free_count(), start_free);
    return 0;
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0)
            return false;
    }
    return true;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a;
    uintptr_t y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

/* Allocates `n` objects of `size`, checks them, and frees them. Enough objects
 * for several slabs of every class. */
/* The bytes kalloc really reserves for one object of `size`. */
static size_t object_span(size_t size)
{
    if (size > KALLOC_SLAB_MAX) {
        return ALIGN_UP(size, FRAME_SIZE);
    }
    size_t span = 32;
    while (span < size) {
        span *= 2;
    }
    return span;
}

static void check_size(size_t size, size_t n)
{
    size_t charge = object_span(size);
    uint8_t **objs = calloc(n, sizeof(*objs));
    uintptr_t *sorted = calloc(n, sizeof(*sorted));

    assert_non_null(objs);
    assert_non_null(sorted);
    assert_true(charge >= size);
    for (size_t i = 0; i < n; i++) {
        objs[i] = kalloc(size);
        assert_non_null(objs[i]);
        assert_true(IS_ALIGNED((uintptr_t)objs[i], 16));
        assert_true(all_zero(objs[i], size));
        /* Dirty the whole class slot so the next round must re-zero it. */
        memset(objs[i], (int)(i % 251) + 1, charge);
        sorted[i] = (uintptr_t)objs[i];
    }
    assert_true(frame_alloc_free_count() < start_free);

    /* Distinct and non-overlapping: sorted neighbours are a slot apart. */
    qsort(sorted, n, sizeof(*sorted), cmp_ptr);
    for (size_t i = 1; i < n; i++)
        assert_true(sorted[i] - sorted[i - 1] >= charge);
    /* Nothing overwrote anything else. */
    for (size_t i = 0; i < n; i++) {
        for (size_t b = 0; b < charge; b++)
            assert_int_equal(objs[i][b], (i % 251) + 1);
    }

    for (size_t i = 0; i < n; i++)
        kfree(objs[i], size);
    assert_int_equal(frame_alloc_free_count(), start_free);
    free(objs);
    free(sorted);
}

static void test_every_size_class(void **state)
{
    static const size_t sizes[] = {1,    8,    16,   17,   31,   32,   33,  64,  65,
                                   100,  128,  129,  255,  256,  257,  500, 512, 513,
                                   1000, 1024, 1025, 1500, 2000, 2047, 2048};

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
        check_size(sizes[i], 300);
}

/* Objects of different classes never share memory. */
static void test_classes_mixed(void **state)
{
    enum { N = 700 };
    void *objs[N];
    size_t sizes[N];

    (void)state;
    for (size_t i = 0; i < N; i++) {
        sizes[i] = (size_t)32 << (i % 7);
        objs[i] = kalloc(sizes[i]);
        assert_non_null(objs[i]);
        memset(objs[i], (int)(i % 7) + 1, sizes[i]);
    }
    for (size_t i = 0; i < N; i++) {
        const uint8_t *p = objs[i];
        for (size_t b = 0; b < sizes[i]; b++)
            assert_int_equal(p[b], (i % 7) + 1);
    }
    /* Free in an order unrelated to allocation. */
    for (size_t i = 0; i < N; i += 3)
        kfree(objs[i], sizes[i]);
    for (size_t i = 1; i < N; i += 3)
        kfree(objs[i], sizes[i]);
    for (size_t i = 2; i < N; i += 3)
        kfree(objs[i], sizes[i]);
}

static void test_free_then_realloc_reuses_and_zeroes(void **state)
{
    (void)state;
    void *keep = kalloc(64); /* keeps the slab alive */
    uint8_t *a = kalloc(64);
    size_t after = frame_alloc_free_count();

    memset(a, 0x77, 64);
    kfree(a, 64);
    uint8_t *b = kalloc(64);
    assert_ptr_equal(b, a);
    assert_true(all_zero(b, 64));
    assert_int_equal(frame_alloc_free_count(), after);

    /* A size in the same class reuses the same slot. */
    kfree(b, 64);
    uint8_t *c = kalloc(40);
    assert_ptr_equal(c, a);
    kfree(c, 40);
    kfree(keep, 64);
}

static void test_empty_slab_returns_frame(void **state)
{
    enum { N = 200 };
    void *objs[N];

    (void)state;
    objs[0] = kalloc(32);
    assert_int_equal(frame_alloc_free_count(), start_free - 1);
    kfree(objs[0], 32);
    assert_int_equal(frame_alloc_free_count(), start_free);

    /* Fill more than one slab; freeing in reverse gives every frame back. */
    for (size_t i = 0; i < N; i++)
        objs[i] = kalloc(32);
    size_t slabs = start_free - frame_alloc_free_count();
    assert_true(slabs >= 2);
    for (size_t i = N; i > 0; i--)
        kfree(objs[i - 1], 32);
    assert_int_equal(frame_alloc_free_count(), start_free);

    /* A slab that was full and got a hole is used again before a new one. */
    for (size_t i = 0; i < N; i++)
        objs[i] = kalloc(1024);
    size_t used = start_free - frame_alloc_free_count();
    void *old = objs[5];
    kfree(objs[5], 1024);
    objs[5] = kalloc(1024);
    assert_ptr_equal(objs[5], old);
    assert_int_equal(start_free - frame_alloc_free_count(), used);
    for (size_t i = 0; i < N; i++)
        kfree(objs[i], 1024);
}

static void test_large_allocations(void **state)
{
    static const size_t sizes[] = {2049, 4095, 4096, 4097, 8192, 10000, 3 * 4096, 65536, 1 << 20};
    uint8_t *objs[ARRAY_SIZE(sizes)];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        size_t before = frame_alloc_free_count();
        size_t pages = (sizes[i] + FRAME_SIZE - 1) / FRAME_SIZE;

        objs[i] = kalloc(sizes[i]);
        assert_non_null(objs[i]);
        assert_true(IS_ALIGNED((uintptr_t)objs[i], FRAME_SIZE));
        assert_int_equal(before - frame_alloc_free_count(), pages);
        assert_int_equal(kalloc_charge(sizes[i]), pages * FRAME_SIZE);
        /* Contiguous physical frames, zeroed over the whole charge. */
        paddr_t pa = virt_to_phys(objs[i]);
        for (size_t p = 0; p < pages; p++)
            assert_int_equal(virt_to_phys(objs[i] + p * FRAME_SIZE), pa + p * FRAME_SIZE);
        assert_true(all_zero(objs[i], pages * FRAME_SIZE));
        memset(objs[i], (int)i + 1, pages * FRAME_SIZE);
    }
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        size_t pages = (sizes[i] + FRAME_SIZE - 1) / FRAME_SIZE;
        for (size_t b = 0; b < pages * FRAME_SIZE; b++)
            assert_int_equal(objs[i][b], i + 1);
    }
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
        kfree(objs[i], sizes[i]);
    assert_int_equal(frame_alloc_free_count(), start_free);

    /* Freed large memory comes back zeroed. */
    uint8_t *again = kalloc(10000);
    assert_true(all_zero(again, 3 * FRAME_SIZE));
    kfree(again, 10000);
}

static void test_charge(void **state)
{
    (void)state;
    assert_int_equal(kalloc_charge(0), 0);
    /* slab objects pay their share of the frame: 4096 / objects per slab */
    assert_int_equal(kalloc_charge(1), 33);
    assert_int_equal(kalloc_charge(32), 33);
    assert_int_equal(kalloc_charge(33), 66);
    assert_int_equal(kalloc_charge(64), 66);
    assert_int_equal(kalloc_charge(100), 133);
    assert_int_equal(kalloc_charge(256), 274);
    assert_int_equal(kalloc_charge(257), 586);
    assert_int_equal(kalloc_charge(1000), 1366);
    assert_int_equal(kalloc_charge(2047), 4096);
    assert_int_equal(kalloc_charge(KALLOC_SLAB_MAX), 4096);
    assert_int_equal(kalloc_charge(KALLOC_SLAB_MAX + 1), 4096);
    assert_int_equal(kalloc_charge(4096), 4096);
    assert_int_equal(kalloc_charge(4097), 8192);
    assert_int_equal(kalloc_charge(5 * 4096), 5 * 4096);
    assert_int_equal(kalloc_charge(SIZE_MAX - 8189), SIZE_MAX - 4095);
    assert_int_equal(kalloc_charge(SIZE_MAX - 4095), SIZE_MAX - 4095);
    assert_int_equal(kalloc_charge(SIZE_MAX - 4094), SIZE_MAX);
    assert_int_equal(kalloc_charge(SIZE_MAX), SIZE_MAX); /* would wrap: saturates */
}

static void test_zero_and_null(void **state)
{
    (void)state;
    assert_null(kalloc(0));
    kfree(NULL, 64);
    kfree(NULL, 100000);
    assert_null(kalloc(SIZE_MAX));
    assert_null(kalloc(SIZE_MAX / 2));
    assert_int_equal(frame_alloc_free_count(), start_free);
}

/* A 1 MiB + 64 KiB machine: 16 frames, one of them the bitmaps. */
static void test_out_of_frames(void **state)
{
    enum { MAX = 15 * 126 + 1 };
    void **objs = calloc(MAX, sizeof(*objs));
    size_t n;

    (void)state;
    assert_non_null(objs);
    init_memory(MIB + 16 * FRAME_SIZE);
    assert_int_equal(start_free, 15);

    /* One 2048-byte object per slab frame (64-byte header first). */
    for (n = 0; (objs[n] = kalloc(2048)) != NULL; n++)
        assert_true(n < MAX);
    assert_int_equal(n, 15);
    assert_int_equal(frame_alloc_free_count(), 0);
    assert_null(kalloc(32));
    assert_null(kalloc(8192));
    for (size_t i = 0; i < n; i++)
        kfree(objs[i], 2048);

    for (n = 0; (objs[n] = kalloc(32)) != NULL; n++)
        assert_true(n < MAX);
    assert_true(n >= 15 * 100);
    assert_null(kalloc(32));
    for (size_t i = 0; i < n; i++)
        kfree(objs[i], 32);

    assert_null(kalloc(16 * FRAME_SIZE)); /* more than the machine has */
    void *all = kalloc(15 * FRAME_SIZE);
    assert_non_null(all);
    assert_null(kalloc(1));
    kfree(all, 15 * FRAME_SIZE);
    free(objs);
}

static void test_mismatched_free_panics(void **state)
{
    (void)state;
    uint8_t *keep = kalloc(64);
    uint8_t *p = kalloc(64);
    uint8_t *big = kalloc(3 * FRAME_SIZE);
    size_t used = start_free - frame_alloc_free_count();

    /* keep is the slab's first object, so only the class check stops these. */
    expect_assert_failure(kfree(keep, 128));
    expect_assert_failure(kfree(keep, 32));
    expect_assert_failure(kfree(p, 128));                 /* other class */
    expect_assert_failure(kfree(p, 32));                  /* other class */
    expect_assert_failure(kfree(p, 8192));                /* small object as large */
    expect_assert_failure(kfree(p + 16, 64));             /* not an object start */
    expect_assert_failure(kfree(big, 64));                /* large as small */
    expect_assert_failure(kfree(big + FRAME_SIZE, 2048)); /* inside a large one */
    expect_assert_failure(kfree(big + 64, 64));           /* no slab there */
    /* Nothing changed on the way to the panics. */
    assert_int_equal(start_free - frame_alloc_free_count(), used);

    kfree(p, 64);
    expect_assert_failure(kfree(p, 64)); /* double free */
    kfree(big, 3 * FRAME_SIZE);
    kfree(keep, 64);
    /* The slab page is back with the frame allocator: no longer a slab. */
    expect_assert_failure(kfree(keep, 64));
}

/* Random interleaving with contents checked on free. */
static void test_random_stress(void **state)
{
    enum { SLOTS = 512, ROUNDS = 20000 };
    static uint8_t *objs[SLOTS];
    static size_t sizes[SLOTS];
    uint32_t rng = 12345;

    (void)state;
    for (int r = 0; r < ROUNDS; r++) {
        rng = rng * 1103515245u + 12345u;
        size_t slot = (rng >> 8) % SLOTS;

        if (objs[slot] != NULL) {
            uint8_t tag = (uint8_t)(slot & 0xff);
            for (size_t b = 0; b < sizes[slot]; b++)
                assert_int_equal(objs[slot][b], tag);
            kfree(objs[slot], sizes[slot]);
            objs[slot] = NULL;
            continue;
        }
        rng = rng * 1103515245u + 12345u;
        sizes[slot] = 1 + (rng >> 8) % ((rng & 0x10) != 0 ? 2048 : 12000);
        objs[slot] = kalloc(sizes[slot]);
        assert_non_null(objs[slot]);
        assert_true(all_zero(objs[slot], sizes[slot]));
        memset(objs[slot], (int)(slot & 0xff), sizes[slot]);
    }
    for (size_t i = 0; i < SLOTS; i++) {
        kfree(objs[i], sizes[i]);
        objs[i] = NULL;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_size_class, setup, teardown),
        cmocka_unit_test_setup_teardown(test_classes_mixed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_then_realloc_reuses_and_zeroes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_slab_returns_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_allocations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_charge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_and_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mismatched_free_panics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_stress, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
