/* Unit tests for the physical frame allocator (kernel/frame_alloc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_memory.h"
#include "kernel/frame_alloc.h"

#define MIB (1ull << 20)
#define FRAME(pa) ((size_t)((pa) >> FRAME_SHIFT))

/* Kernel image at 1 MiB, and a boot module with an unaligned end. */
static const phys_range_t qemu_reserved[] = {
    {0x100000, 0x200000},
    {0x400000, 0x12345},
};

/* QEMU's map for -m <size>: conventional memory, then RAM from 1 MiB up to
 * where the firmware's ACPI tables start. */
static void qemu_usable(phys_range_t out[2], uint64_t top)
{
    out[0] = (phys_range_t){0x0, 0x9fc00};
    out[1] = (phys_range_t){0x100000, top - 0x100000};
}

/*
 * Frames free after init on QEMU -m 512 (top 0x1ffe0000): 1 MiB .. top is
 * 130784 frames; minus the kernel (512), the module (0x400000..0x412345
 * touches 19 frames) and the two bitmaps (131040 frames -> 2048 words each ->
 * 32 KiB -> 8 frames). Everything below 1 MiB is excluded.
 */
#define QEMU512_TOP 0x1ffe0000ull
#define QEMU512_BITMAP_FRAMES 8
#define QEMU512_FREE (130784 - 512 - 19 - QEMU512_BITMAP_FRAMES)
/* QEMU -m 128 (top 0x7fe0000): 32736 frames, 32480 above 1 MiB, bitmaps
 * 512 words each -> 8 KiB -> 2 frames. */
#define QEMU128_TOP 0x7fe0000ull
#define QEMU128_BITMAP_FRAMES 2
#define QEMU128_FREE (32480 - 512 - 19 - QEMU128_BITMAP_FRAMES)

static bool in_range(size_t frame, const phys_range_t *r)
{
    uint64_t end = r->base + r->length;
    return frame >= FRAME(r->base) && frame < FRAME(ALIGN_UP(end, FRAME_SIZE));
}

static bool frame_is_zero(paddr_t pa, size_t count)
{
    const uint8_t *p = phys_to_virt(pa);
    for (size_t i = 0; i < count * FRAME_SIZE; i++) {
        if (p[i] != 0)
            return false;
    }
    return true;
}

/* 64 MiB machine: the first MiB, then 1 MiB .. 64 MiB with a 2 MiB kernel. */
static void init_small(void)
{
    static const phys_range_t usable[] = {{0x0, 0x9fc00}, {0x100000, 63 * MIB}};
    static const phys_range_t reserved[] = {{0x100000, 2 * MIB}};

    fake_memory_reset(64 * MIB);
    fake_memory_fill(0xcc); /* boot RAM is garbage; init must not rely on zeroes */
    assert_null(frame_alloc_init(usable, 2, reserved, 1));
}

/* Allocates single frames until none are left; returns how many. */
static size_t alloc_all(paddr_t *out, size_t max)
{
    size_t n = 0;
    paddr_t pa;

    while ((pa = frame_alloc(1)) != 0) {
        assert_true(n < max);
        out[n++] = pa;
    }
    return n;
}

static bool is_reserved(size_t f)
{
    return f < FRAME(MIB) || in_range(f, &qemu_reserved[0]) || in_range(f, &qemu_reserved[1]);
}

static void test_qemu512_map_counts(void **state)
{
    phys_range_t usable[2];

    (void)state;
    qemu_usable(usable, QEMU512_TOP);
    fake_memory_reset(QEMU512_TOP);
    assert_null(frame_alloc_init(usable, 2, qemu_reserved, 2));
    assert_int_equal(frame_alloc_free_count(), QEMU512_FREE);
    assert_int_equal(frame_alloc_total_count(), QEMU512_FREE);

    paddr_t run = frame_alloc(1000);
    assert_true(run != 0);
    for (size_t f = FRAME(run); f < FRAME(run) + 1000; f++)
        assert_false(is_reserved(f));
    assert_int_equal(frame_alloc_free_count(), QEMU512_FREE - 1000);
    frame_free(run, 1000);
}

/* Takes every frame of a QEMU map and checks that none is in the first MiB,
 * a reserved range or past the top, none twice, and that what was held back
 * besides the reservations is exactly one run: the bitmaps. (-m 128 rather
 * than 512 so the walk touches less host memory.) */
static void test_qemu128_map_never_returns_reserved(void **state)
{
    size_t frames = FRAME(QEMU128_TOP);
    uint8_t *seen = calloc(frames, 1);
    paddr_t *got = malloc(QEMU128_FREE * sizeof(*got));
    phys_range_t usable[2];

    (void)state;
    assert_non_null(seen);
    assert_non_null(got);
    qemu_usable(usable, QEMU128_TOP);
    fake_memory_reset(QEMU128_TOP);
    assert_null(frame_alloc_init(usable, 2, qemu_reserved, 2));
    assert_int_equal(frame_alloc_free_count(), QEMU128_FREE);

    size_t n = alloc_all(got, QEMU128_FREE);
    assert_int_equal(n, QEMU128_FREE);
    assert_int_equal(frame_alloc_free_count(), 0);
    for (size_t i = 0; i < n; i++) {
        size_t f = FRAME(got[i]);
        assert_true(IS_ALIGNED(got[i], FRAME_SIZE));
        assert_true(f < frames);
        assert_false(is_reserved(f));
        assert_int_equal(seen[f], 0);
        seen[f] = 1;
    }

    size_t missing = 0, first_missing = 0;
    for (size_t f = 0; f < frames; f++) {
        if (seen[f] || is_reserved(f))
            continue;
        if (missing++ == 0)
            first_missing = f;
    }
    assert_int_equal(missing, QEMU128_BITMAP_FRAMES);
    for (size_t f = first_missing; f < first_missing + QEMU128_BITMAP_FRAMES; f++)
        assert_int_equal(seen[f], 0);
    /* The used bitmap's first word covers the first MiB, all of it used. */
    assert_true(*(uint64_t *)phys_to_virt(first_missing << FRAME_SHIFT) == ~0ull);

    for (size_t i = 0; i < n; i++)
        frame_free(got[i], 1);
    assert_int_equal(frame_alloc_free_count(), QEMU128_FREE);
    free(seen);
    free(got);
}

static void test_alloc_all_then_free_all(void **state)
{
    size_t max = 64 * MIB / FRAME_SIZE;
    paddr_t *got = malloc(max * sizeof(*got));

    (void)state;
    assert_non_null(got);
    init_small();
    size_t start = frame_alloc_free_count();
    /* 63 MiB from 1 MiB, minus the 2 MiB kernel and a 1-frame bitmap. */
    assert_int_equal(start, 63 * 256 - 512 - 1);

    size_t n = alloc_all(got, max);
    assert_int_equal(n, start);
    assert_int_equal(frame_alloc(1), 0);
    assert_int_equal(frame_alloc(2), 0);

    /* Free odd indices first, then even, to shuffle the free pattern. */
    for (size_t i = 1; i < n; i += 2)
        frame_free(got[i], 1);
    for (size_t i = 0; i < n; i += 2)
        frame_free(got[i], 1);
    assert_int_equal(frame_alloc_free_count(), start);
    assert_int_equal(frame_alloc_total_count(), start);

    /* Everything is usable again. */
    assert_int_equal(alloc_all(got, max), start);
    for (size_t i = 0; i < n; i++)
        frame_free(got[i], 1);
    assert_int_equal(frame_alloc_free_count(), start);
    free(got);
}

/* Frees below the search hint are found again after the search wraps. */
static void test_wraps_around(void **state)
{
    size_t max = 64 * MIB / FRAME_SIZE;
    paddr_t *got = malloc(max * sizeof(*got));

    (void)state;
    assert_non_null(got);
    init_small();
    size_t n = alloc_all(got, max);

    /* A 3-frame run skips the 2-frame hole below it; with nothing free above,
     * the next 2-frame search wraps to that hole. */
    frame_free(got[10], 1);
    frame_free(got[11], 1);
    frame_free(got[20], 3);
    assert_int_equal(frame_alloc(3), got[20]);
    assert_int_equal(frame_alloc(2), got[10]);
    assert_int_equal(frame_alloc(1), 0);

    /* Same for a single frame left below a run. */
    frame_free(got[5], 1);
    frame_free(got[7], 2);
    assert_int_equal(frame_alloc(2), got[7]);
    assert_int_equal(frame_alloc(1), got[5]);
    assert_int_equal(frame_alloc(1), 0);
    for (size_t i = 0; i < n; i++)
        frame_free(got[i], 1);
    free(got);
}

static void test_contiguous_runs(void **state)
{
    static const size_t sizes[] = {1, 2, 3, 7, 16, 64, 5, 300, 1, 1024, 33};
    size_t frames = 64 * MIB / FRAME_SIZE;
    uint8_t *owner = calloc(frames, 1);
    paddr_t got[ARRAY_SIZE(sizes)];

    (void)state;
    assert_non_null(owner);
    init_small();
    size_t start = frame_alloc_free_count();

    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        got[i] = frame_alloc(sizes[i]);
        assert_true(got[i] != 0);
        assert_true(IS_ALIGNED(got[i], FRAME_SIZE));
        assert_true(FRAME(got[i]) >= FRAME(3 * MIB)); /* past the first MiB and kernel */
        for (size_t f = FRAME(got[i]); f < FRAME(got[i]) + sizes[i]; f++) {
            assert_int_equal(owner[f], 0);
            owner[f] = (uint8_t)(i + 1);
        }
        memset(phys_to_virt(got[i]), (int)(i + 1), sizes[i] * FRAME_SIZE);
    }
    /* No run overwrote another. */
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        const uint8_t *p = phys_to_virt(got[i]);
        for (size_t b = 0; b < sizes[i] * FRAME_SIZE; b++)
            assert_int_equal(p[b], i + 1);
    }
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
        frame_free(got[i], sizes[i]);
    assert_int_equal(frame_alloc_free_count(), start);

    /* Larger than all free memory, or than any free run, fails cleanly. */
    assert_int_equal(frame_alloc(start + 1), 0);
    paddr_t all = frame_alloc(start - 4000);
    assert_true(all != 0);
    frame_free(all, start - 4000);
    free(owner);
}

/* With only every other frame free, no 2-frame run exists. */
static void test_fragmented_run_fails(void **state)
{
    size_t max = 64 * MIB / FRAME_SIZE;
    paddr_t *got = malloc(max * sizeof(*got));

    (void)state;
    assert_non_null(got);
    init_small();
    size_t n = alloc_all(got, max);
    for (size_t i = 0; i < n; i += 2)
        frame_free(got[i], 1);
    assert_true(frame_alloc_free_count() > 2);
    assert_int_equal(frame_alloc(2), 0);
    paddr_t one = frame_alloc(1);
    assert_true(one != 0);
    frame_free(one, 1);

    /* Freeing a neighbour makes exactly one 3-frame run. */
    frame_free(got[101], 1);
    assert_int_equal(frame_alloc(3), got[100]);
    frame_free(got[100], 3);
    for (size_t i = 1; i < n; i += 2) {
        if (i != 101)
            frame_free(got[i], 1);
    }
    assert_int_equal(frame_alloc_free_count(), frame_alloc_total_count());
    free(got);
}

static void test_frames_are_zeroed(void **state)
{
    (void)state;
    init_small();

    /* Fresh frames: RAM was filled with 0xcc before init. */
    paddr_t a = frame_alloc(1);
    paddr_t run = frame_alloc(8);
    assert_true(frame_is_zero(a, 1));
    assert_true(frame_is_zero(run, 8));

    /* Dirtied and freed frames come back zeroed. */
    memset(phys_to_virt(a), 0x5a, FRAME_SIZE);
    memset(phys_to_virt(run), 0xa5, 8 * FRAME_SIZE);
    frame_free(a, 1);
    frame_free(run, 8);
    paddr_t b = frame_alloc(1);
    assert_int_equal(b, a); /* the lowest freed frame is reused first */
    assert_true(frame_is_zero(b, 1));
    paddr_t run2 = frame_alloc(8);
    assert_int_equal(run2, run);
    assert_true(frame_is_zero(run2, 8));
    frame_free(b, 1);
    frame_free(run2, 8);
}

static void test_count_zero(void **state)
{
    (void)state;
    init_small();
    size_t start = frame_alloc_free_count();
    assert_int_equal(frame_alloc(0), 0);
    frame_free(0x400000, 0);
    assert_int_equal(frame_alloc_free_count(), start);
}

static void test_double_free_panics(void **state)
{
    (void)state;
    init_small();
    size_t start = frame_alloc_free_count();
    paddr_t a = frame_alloc(1);
    paddr_t run = frame_alloc(4);

    frame_free(a, 1);
    expect_assert_failure(frame_free(a, 1));
    /* A run with one frame already free panics without freeing the others. */
    frame_free(run + FRAME_SIZE, 1);
    expect_assert_failure(frame_free(run, 4));
    assert_int_equal(frame_alloc_free_count(), start - 3);
    frame_free(run, 1);
    frame_free(run + 2 * FRAME_SIZE, 2);
    assert_int_equal(frame_alloc_free_count(), start);
}

static void test_bad_free_panics(void **state)
{
    (void)state;
    init_small();
    paddr_t a = frame_alloc(1);

    expect_assert_failure(frame_free(a + 8, 1));          /* not frame aligned */
    expect_assert_failure(frame_free(64 * MIB, 1));       /* past the end */
    expect_assert_failure(frame_free(a, SIZE_MAX));       /* runs past the end */
    expect_assert_failure(frame_free(0x1000, 1));         /* the first MiB */
    expect_assert_failure(frame_free(0x100000, 1));       /* kernel frame: never allocated */
    expect_assert_failure(frame_free(a + FRAME_SIZE, 1)); /* free, never allocated */
    frame_free(a, 1);
}

static void test_init_errors(void **state)
{
    static const phys_range_t low_only[] = {{0x0, 0x9fc00}};
    static const phys_range_t tiny[] = {{0x100800, 0x800}, {0x200000, 0xfff}};
    static const phys_range_t usable[] = {{0x100000, 15 * MIB}};
    static const phys_range_t overflow[] = {{0xfffffffffffff000ull, 0x2000}};
    static const phys_range_t all[] = {{0x0, 16 * MIB}};
    static const phys_range_t reserved_overflow[] = {{0x200000, UINT64_MAX}};

    (void)state;
    fake_memory_reset(16 * MIB);
    assert_non_null(frame_alloc_init(NULL, 0, NULL, 0));
    assert_non_null(frame_alloc_init(usable, 0, NULL, 0));
    assert_non_null(frame_alloc_init(NULL, 1, NULL, 0));
    assert_non_null(frame_alloc_init(tiny, 2, NULL, 0));     /* no whole frame anywhere */
    assert_non_null(frame_alloc_init(low_only, 1, NULL, 0)); /* nowhere above 1 MiB */
    assert_non_null(frame_alloc_init(overflow, 1, NULL, 0));
    assert_non_null(frame_alloc_init(usable, 1, reserved_overflow, 1));
    assert_non_null(frame_alloc_init(usable, 1, NULL, 1));
    assert_non_null(frame_alloc_init(usable, 1, all, 1)); /* all of it reserved */
    /* A failed init leaves nothing to allocate. */
    assert_int_equal(frame_alloc(1), 0);
    assert_int_equal(frame_alloc_free_count(), 0);
    assert_int_equal(frame_alloc_total_count(), 0);
    /* And the allocator can still be initialised afterwards. */
    assert_null(frame_alloc_init(usable, 1, NULL, 0));
    assert_int_equal(frame_alloc_free_count(), 15 * 256 - 1);
}

/* Usable ranges shrink to whole frames; reserved ranges grow to whole frames. */
static void test_unaligned_ranges(void **state)
{
    static const phys_range_t usable[] = {
        {0x200000, 0x10000}, /* frames 0x200..0x20f; the bitmap takes 0x200 */
        {0x300800, 0x1900},  /* only frame 0x301 is whole */
        {0x400fff, 0x1002},  /* only frame 0x401 is whole */
    };
    static const phys_range_t reserved[] = {
        {0x205800, 0x1000}, /* touches frames 0x205 and 0x206 */
        {0x208000, 0},      /* empty: reserves nothing */
    };
    paddr_t got[32];

    (void)state;
    fake_memory_reset(8 * MIB);
    assert_null(frame_alloc_init(usable, ARRAY_SIZE(usable), reserved, ARRAY_SIZE(reserved)));
    assert_int_equal(frame_alloc_free_count(), 15 - 2 + 1 + 1);

    size_t n = alloc_all(got, ARRAY_SIZE(got));
    assert_int_equal(n, 15);
    for (size_t i = 0; i < n; i++) {
        size_t f = FRAME(got[i]);
        bool ok =
            (f >= 0x201 && f <= 0x20f && f != 0x205 && f != 0x206) || f == 0x301 || f == 0x401;
        assert_true(ok);
    }
    for (size_t i = 0; i < n; i++)
        frame_free(got[i], 1);
}

/* A bitmap candidate that overlaps a reservation moves past it. */
static void test_bitmap_avoids_reserved(void **state)
{
    static const phys_range_t usable[] = {{0x0, 0x9fc00}, {0x100000, 31 * MIB}};
    /* The kernel ends at 0x300000 and a module starts one frame later: the
     * 1-frame bitmaps fit exactly in that hole. */
    static const phys_range_t reserved[] = {{0x100000, 0x200000}, {0x301000, 0x10000}};

    (void)state;
    fake_memory_reset(32 * MIB);
    fake_memory_fill(0);
    assert_null(frame_alloc_init(usable, 2, reserved, 2));
    assert_true(*(uint64_t *)phys_to_virt(0x300000) == ~0ull);
    assert_int_equal(frame_alloc_free_count(), 31 * 256 - 512 - 16 - 1);
    paddr_t a = frame_alloc(1);
    assert_int_equal(a, 0x311000);
    frame_free(a, 1);
    expect_assert_failure(frame_free(0x300000, 1)); /* the bitmap is never free */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu512_map_counts),
        cmocka_unit_test(test_qemu128_map_never_returns_reserved),
        cmocka_unit_test(test_alloc_all_then_free_all),
        cmocka_unit_test(test_wraps_around),
        cmocka_unit_test(test_contiguous_runs),
        cmocka_unit_test(test_fragmented_run_fails),
        cmocka_unit_test(test_frames_are_zeroed),
        cmocka_unit_test(test_count_zero),
        cmocka_unit_test(test_double_free_panics),
        cmocka_unit_test(test_bad_free_panics),
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_unaligned_ranges),
        cmocka_unit_test(test_bitmap_avoids_reserved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
