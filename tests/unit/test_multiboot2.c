/*
 * Host unit tests for the multiboot2 information parser (kernel/multiboot2.c).
 *
 * Tag lists are assembled in an 8-aligned buffer by a small builder so each
 * test states only the malformation it is about.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/multiboot2.h"

typedef struct {
    _Alignas(8) uint8_t buf[8192];
    size_t len;
} builder_t;

typedef struct {
    uint64_t base;
    uint64_t length;
    uint32_t type;
} test_entry_t;

static void put32(builder_t *b, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        b->buf[off + i] = (uint8_t)(v >> (8 * i));
    }
}

static void put64(builder_t *b, size_t off, uint64_t v)
{
    put32(b, off, (uint32_t)v);
    put32(b, off + 4, (uint32_t)(v >> 32));
}

static void align8(builder_t *b)
{
    while (b->len % 8 != 0) {
        b->buf[b->len++] = 0;
    }
}

static void mb_begin(builder_t *b)
{
    memset(b->buf, 0xAA, sizeof(b->buf));
    put32(b, 0, 0);
    put32(b, 4, 0);
    b->len = 8;
}

/* A tag whose size field may disagree with the payload actually written. */
static void mb_raw_tag(builder_t *b, uint32_t type, uint32_t size_field, const void *payload,
                       size_t payload_len)
{
    assert_true(b->len + 8 + payload_len + 8 <= sizeof(b->buf));
    put32(b, b->len, type);
    put32(b, b->len + 4, size_field);
    if (payload_len > 0) {
        memcpy(b->buf + b->len + 8, payload, payload_len);
    }
    b->len += 8 + payload_len;
    align8(b);
}

static void mb_tag(builder_t *b, uint32_t type, const void *payload, size_t payload_len)
{
    mb_raw_tag(b, type, (uint32_t)(8 + payload_len), payload, payload_len);
}

static void mb_str_tag(builder_t *b, uint32_t type, const char *s)
{
    mb_tag(b, type, s, strlen(s) + 1);
}

static void mb_module(builder_t *b, uint32_t start, uint32_t end, const char *s)
{
    uint8_t payload[256];
    size_t n = strlen(s) + 1;

    assert_true(8 + n <= sizeof(payload));
    for (int i = 0; i < 4; i++) {
        payload[i] = (uint8_t)(start >> (8 * i));
        payload[4 + i] = (uint8_t)(end >> (8 * i));
    }
    memcpy(payload + 8, s, n);
    mb_tag(b, 3, payload, 8 + n);
}

/* Memory map with a given entry_size (>= 24); extra entry bytes are zero. */
static void mb_mmap_sized(builder_t *b, const test_entry_t *e, size_t n, uint32_t entry_size)
{
    size_t start = b->len;
    size_t size = 16 + n * entry_size;

    assert_true(start + size + 8 <= sizeof(b->buf));
    put32(b, start, 6);
    put32(b, start + 4, (uint32_t)size);
    put32(b, start + 8, entry_size);
    put32(b, start + 12, 0);
    memset(b->buf + start + 16, 0, n * entry_size);
    for (size_t i = 0; i < n; i++) {
        size_t off = start + 16 + i * entry_size;
        put64(b, off, e[i].base);
        put64(b, off + 8, e[i].length);
        put32(b, off + 16, e[i].type);
    }
    b->len += size;
    align8(b);
}

static void mb_mmap(builder_t *b, const test_entry_t *e, size_t n)
{
    mb_mmap_sized(b, e, n, 24);
}

static const test_entry_t one_entry[] = {{0x100000, 0x1000000, MB2_MEMORY_AVAILABLE}};

static void mb_default_mmap(builder_t *b)
{
    mb_mmap(b, one_entry, 1);
}

/* Appends the end tag and fixes up total_size. */
static void mb_end(builder_t *b)
{
    mb_tag(b, 0, NULL, 0);
    put32(b, 0, (uint32_t)b->len);
}

static mb2_info_t info;

static const char *parse(builder_t *b)
{
    return mb2_parse(b->buf, b->len, &info);
}

static void assert_rejected(const char *err, const char *keyword)
{
    assert_non_null(err);
    if (strstr(err, keyword) == NULL) {
        fail_msg("message \"%s\" does not mention \"%s\"", err, keyword);
    }
}

static void build_full(builder_t *b)
{
    static const test_entry_t entries[] = {
        {0x0, 0x9fc00, MB2_MEMORY_AVAILABLE},
        {0x9fc00, 0x400, 2},
        {0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE},
    };

    mb_begin(b);
    mb_str_tag(b, 1, "console=serial loglevel=3");
    mb_str_tag(b, 2, "GRUB 2.06");
    mb_module(b, 0x200000, 0x201234, "init");
    mb_module(b, 0x202000, 0x202000, "empty.bin arg");
    mb_mmap(b, entries, 3);
    mb_end(b);
}

static void test_valid_full(void **state)
{
    (void)state;
    builder_t b;
    build_full(&b);

    assert_null(parse(&b));
    assert_int_equal(info.total_size, b.len);
    assert_string_equal(info.cmdline, "console=serial loglevel=3");
    assert_string_equal(info.bootloader, "GRUB 2.06");
    assert_int_equal(info.module_count, 2);
    assert_int_equal(info.modules[0].start, 0x200000);
    assert_int_equal(info.modules[0].end, 0x201234);
    assert_string_equal(info.modules[0].cmdline, "init");
    assert_int_equal(info.modules[1].start, 0x202000);
    assert_int_equal(info.modules[1].end, 0x202000);
    assert_string_equal(info.modules[1].cmdline, "empty.bin arg");
    assert_int_equal(info.mmap_count, 3);
    assert_int_equal(info.mmap[0].base, 0x0);
    assert_int_equal(info.mmap[0].length, 0x9fc00);
    assert_int_equal(info.mmap[0].type, MB2_MEMORY_AVAILABLE);
    assert_int_equal(info.mmap[1].base, 0x9fc00);
    assert_int_equal(info.mmap[1].length, 0x400);
    assert_int_equal(info.mmap[1].type, 2);
    assert_int_equal(info.mmap[2].base, 0x100000);
    assert_int_equal(info.mmap[2].length, 0x7ee0000);
    assert_int_equal(info.mmap[2].type, MB2_MEMORY_AVAILABLE);

    /* Strings must point into the information, not into copies. */
    const char *lo = (const char *)b.buf;
    const char *hi = lo + b.len;
    assert_true(info.cmdline >= lo && info.cmdline < hi);
    assert_true(info.bootloader >= lo && info.bootloader < hi);
    assert_true(info.modules[0].cmdline >= lo && info.modules[0].cmdline < hi);
}

static void test_minimal_without_strings(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_end(&b);

    assert_null(parse(&b));
    assert_string_equal(info.cmdline, "");
    assert_string_equal(info.bootloader, "");
    assert_int_equal(info.module_count, 0);
    assert_int_equal(info.mmap_count, 1);
    assert_int_equal(info.mmap[0].base, 0x100000);
}

static void test_unknown_tags_skipped(void **state)
{
    (void)state;
    builder_t b;
    static const uint8_t junk[13] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};

    mb_begin(&b);
    mb_tag(&b, 4, junk, 8);    /* basic meminfo */
    mb_tag(&b, 21, junk, 4);   /* load base address */
    mb_tag(&b, 999, junk, 13); /* unaligned size, padded */
    mb_tag(&b, 42, NULL, 0);   /* header only */
    mb_str_tag(&b, 1, "quiet");
    mb_default_mmap(&b);
    mb_end(&b);

    assert_null(parse(&b));
    assert_string_equal(info.cmdline, "quiet");
    assert_int_equal(info.mmap_count, 1);
}

static void test_larger_entry_size_accepted(void **state)
{
    (void)state;
    builder_t b;
    static const test_entry_t entries[] = {
        {0x1000, 0x2000, MB2_MEMORY_AVAILABLE},
        {0x5000, 0x3000, 3},
    };

    mb_begin(&b);
    mb_mmap_sized(&b, entries, 2, 32);
    mb_end(&b);

    assert_null(parse(&b));
    assert_int_equal(info.mmap_count, 2);
    assert_int_equal(info.mmap[1].base, 0x5000);
    assert_int_equal(info.mmap[1].length, 0x3000);
    assert_int_equal(info.mmap[1].type, 3);
}

static void test_data_after_end_tag_accepted(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_tag(&b, 0, NULL, 0);
    mb_str_tag(&b, 1, "ignored");
    put32(&b, 0, (uint32_t)b.len);

    assert_null(parse(&b));
    assert_string_equal(info.cmdline, "");
}

static void test_unaligned_info_accepted(void **state)
{
    (void)state;
    builder_t b;
    build_full(&b);
    uint8_t *copy = malloc(b.len + 1);
    assert_non_null(copy);
    memcpy(copy + 1, b.buf, b.len);

    assert_null(mb2_parse(copy + 1, b.len, &info));
    assert_int_equal(info.mmap[2].length, 0x7ee0000);
    assert_string_equal(info.modules[1].cmdline, "empty.bin arg");
    free(copy);
}

static void test_exact_limits_accepted(void **state)
{
    (void)state;
    builder_t b;
    test_entry_t entries[MB2_MAX_MMAP];

    for (size_t i = 0; i < MB2_MAX_MMAP; i++) {
        entries[i] = (test_entry_t){i * 0x1000, 0x1000, MB2_MEMORY_AVAILABLE};
    }
    mb_begin(&b);
    for (uint32_t i = 0; i < MB2_MAX_MODULES; i++) {
        mb_module(&b, i * 0x1000, i * 0x1000 + 1, "m");
    }
    mb_mmap(&b, entries, MB2_MAX_MMAP);
    mb_end(&b);

    assert_null(parse(&b));
    assert_int_equal(info.module_count, MB2_MAX_MODULES);
    assert_int_equal(info.mmap_count, MB2_MAX_MMAP);
    assert_int_equal(info.mmap[MB2_MAX_MMAP - 1].base, (MB2_MAX_MMAP - 1) * 0x1000);
}

static void test_avail_one_short(void **state)
{
    (void)state;
    builder_t b;
    build_full(&b);

    assert_rejected(mb2_parse(b.buf, b.len - 1, &info), "available");
}

static void test_avail_below_header(void **state)
{
    (void)state;
    builder_t b;
    build_full(&b);

    assert_rejected(mb2_parse(b.buf, 7, &info), "header");
    assert_rejected(mb2_parse(b.buf, 0, &info), "header");
}

static void test_null_pointers(void **state)
{
    (void)state;
    builder_t b;
    build_full(&b);

    assert_rejected(mb2_parse(NULL, 64, &info), "NULL");
    assert_rejected(mb2_parse(b.buf, b.len, NULL), "NULL");
}

static void test_total_size_too_small(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_tag(&b, 0, NULL, 0);
    put32(&b, 0, 8);

    assert_rejected(mb2_parse(b.buf, b.len, &info), "smaller than 16");
}

static void test_total_size_exceeds_avail(void **state)
{
    (void)state;
    builder_t b;
    build_full(&b);
    put32(&b, 0, (uint32_t)b.len + 8);

    assert_rejected(parse(&b), "exceeds");
}

static void test_total_size_not_multiple_of_8(void **state)
{
    (void)state;
    builder_t b;
    build_full(&b);
    put32(&b, 0, (uint32_t)b.len - 4);

    assert_rejected(parse(&b), "multiple of 8");
}

static void test_tag_size_below_header(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_raw_tag(&b, 1, 4, NULL, 0);
    mb_end(&b);

    assert_rejected(parse(&b), "smaller than the 8-byte tag header");
}

static void test_module_runs_past_end(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_module(&b, 0x1000, 0x2000, "mod");
    mb_end(&b);
    /* Cut total_size so the module tag no longer fits before it. */
    put32(&b, 0, (uint32_t)b.len - 16);

    assert_rejected(parse(&b), "tag 3 (module) runs past the end");
}

static void test_unknown_tag_runs_past_end(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_raw_tag(&b, 77, 4096, NULL, 0);
    mb_end(&b);

    assert_rejected(parse(&b), "runs past the end");
}

static void test_missing_end_tag(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    put32(&b, 0, (uint32_t)b.len);

    assert_rejected(parse(&b), "missing end tag");
}

static void test_end_tag_bad_size(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_raw_tag(&b, 0, 16, "\0\0\0\0\0\0\0", 8);
    put32(&b, 0, (uint32_t)b.len);

    assert_rejected(parse(&b), "(end) has a size other than 8");
}

static void test_cmdline_not_terminated(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_tag(&b, 1, "abcdefgh", 8);
    mb_default_mmap(&b);
    mb_end(&b);

    assert_rejected(parse(&b), "command line) string is not NUL-terminated");
}

static void test_bootloader_not_terminated(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_tag(&b, 2, NULL, 0); /* header only: no room for even a NUL */
    mb_end(&b);

    assert_rejected(parse(&b), "boot loader name) string is not NUL-terminated");
}

static void test_module_end_before_start(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_module(&b, 0x2000, 0x1fff, "bad");
    mb_end(&b);

    assert_rejected(parse(&b), "mod_end below mod_start");
}

static void test_module_string_not_terminated(void **state)
{
    (void)state;
    builder_t b;
    static const uint8_t payload[12] = {0, 0x10, 0, 0, 0, 0x20, 0, 0, 'a', 'b', 'c', 'd'};

    mb_begin(&b);
    mb_default_mmap(&b);
    mb_tag(&b, 3, payload, sizeof(payload));
    mb_end(&b);

    assert_rejected(parse(&b), "module) string is not NUL-terminated");
}

static void test_module_too_small(void **state)
{
    (void)state;
    builder_t b;
    static const uint8_t payload[4] = {0, 0x10, 0, 0};

    mb_begin(&b);
    mb_default_mmap(&b);
    mb_tag(&b, 3, payload, sizeof(payload));
    mb_end(&b);

    assert_rejected(parse(&b), "too small");
}

static void test_too_many_modules(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    for (uint32_t i = 0; i <= MB2_MAX_MODULES; i++) {
        mb_module(&b, i * 0x1000, i * 0x1000 + 1, "m");
    }
    mb_end(&b);

    assert_rejected(parse(&b), "too many modules");
}

static void test_mmap_entry_size_too_small(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    /* entry_size 16 with one 16-byte entry fits the tag but is below 24. */
    mb_mmap_sized(&b, NULL, 0, 24);
    put32(&b, 8 + 4, 16 + 16);
    put32(&b, 8 + 8, 16);
    memset(b.buf + b.len, 0, 16);
    b.len += 16;
    mb_end(&b);

    assert_rejected(parse(&b), "entry_size");
}

static void test_mmap_entry_size_not_multiple_of_8(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_mmap_sized(&b, one_entry, 1, 28);
    mb_end(&b);

    assert_rejected(parse(&b), "entry_size");
}

static void test_mmap_entries_do_not_fit(void **state)
{
    (void)state;
    builder_t b;
    static const test_entry_t entries[2] = {{0, 0x1000, 1}, {0x1000, 0x1000, 1}};

    mb_begin(&b);
    mb_mmap(&b, entries, 2);
    mb_end(&b);
    /* Claim 8 fewer bytes: one and a third entries. */
    put32(&b, 8 + 4, 16 + 2 * 24 - 8);

    assert_rejected(parse(&b), "do not fit");
}

static void test_too_many_mmap_entries(void **state)
{
    (void)state;
    builder_t b;
    test_entry_t entries[MB2_MAX_MMAP + 1];

    for (size_t i = 0; i < MB2_MAX_MMAP + 1; i++) {
        entries[i] = (test_entry_t){i * 0x1000, 0x1000, MB2_MEMORY_AVAILABLE};
    }
    mb_begin(&b);
    mb_mmap(&b, entries, MB2_MAX_MMAP + 1);
    mb_end(&b);

    assert_rejected(parse(&b), "too many memory map entries");
}

/* fuzz_multiboot2: a map tag of only its 16-byte head was taken as a map
 * with no entries, though no map at all is refused. */
static void test_empty_mmap(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_mmap(&b, NULL, 0);
    mb_end(&b);

    assert_rejected(parse(&b), "no entries");
}

static void test_mmap_entry_overflow(void **state)
{
    (void)state;
    builder_t b;
    static const test_entry_t entries[2] = {
        {0, 0x1000, 1},
        {UINT64_MAX - 0xfff, 0x1001, 2},
    };

    mb_begin(&b);
    mb_mmap(&b, entries, 2);
    mb_end(&b);

    assert_rejected(parse(&b), "overflows");
}

/* Ends at the last addressable byte: base + length is UINT64_MAX, no wrap. */
static void test_mmap_entry_below_top_accepted(void **state)
{
    (void)state;
    builder_t b;
    static const test_entry_t entries[1] = {{UINT64_MAX - 0xfff, 0xfff, 2}};

    mb_begin(&b);
    mb_mmap(&b, entries, 1);
    mb_end(&b);

    assert_null(parse(&b));
    assert_int_equal(info.mmap[0].base, UINT64_MAX - 0xfff);
}

static void test_duplicate_mmap(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_default_mmap(&b);
    mb_default_mmap(&b);
    mb_end(&b);

    assert_rejected(parse(&b), "duplicate tag 6 (memory map)");
}

static void test_duplicate_cmdline(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_str_tag(&b, 1, "a");
    mb_default_mmap(&b);
    mb_str_tag(&b, 1, "b");
    mb_end(&b);

    assert_rejected(parse(&b), "duplicate tag 1 (command line)");
}

static void test_missing_mmap(void **state)
{
    (void)state;
    builder_t b;
    mb_begin(&b);
    mb_str_tag(&b, 1, "console=serial");
    mb_end(&b);

    assert_rejected(parse(&b), "no memory map tag");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_full),
        cmocka_unit_test(test_minimal_without_strings),
        cmocka_unit_test(test_unknown_tags_skipped),
        cmocka_unit_test(test_larger_entry_size_accepted),
        cmocka_unit_test(test_data_after_end_tag_accepted),
        cmocka_unit_test(test_unaligned_info_accepted),
        cmocka_unit_test(test_exact_limits_accepted),
        cmocka_unit_test(test_avail_one_short),
        cmocka_unit_test(test_avail_below_header),
        cmocka_unit_test(test_null_pointers),
        cmocka_unit_test(test_total_size_too_small),
        cmocka_unit_test(test_total_size_exceeds_avail),
        cmocka_unit_test(test_total_size_not_multiple_of_8),
        cmocka_unit_test(test_tag_size_below_header),
        cmocka_unit_test(test_module_runs_past_end),
        cmocka_unit_test(test_unknown_tag_runs_past_end),
        cmocka_unit_test(test_missing_end_tag),
        cmocka_unit_test(test_end_tag_bad_size),
        cmocka_unit_test(test_cmdline_not_terminated),
        cmocka_unit_test(test_bootloader_not_terminated),
        cmocka_unit_test(test_module_end_before_start),
        cmocka_unit_test(test_module_string_not_terminated),
        cmocka_unit_test(test_module_too_small),
        cmocka_unit_test(test_too_many_modules),
        cmocka_unit_test(test_mmap_entry_size_too_small),
        cmocka_unit_test(test_mmap_entry_size_not_multiple_of_8),
        cmocka_unit_test(test_mmap_entries_do_not_fit),
        cmocka_unit_test(test_too_many_mmap_entries),
        cmocka_unit_test(test_empty_mmap),
        cmocka_unit_test(test_mmap_entry_overflow),
        cmocka_unit_test(test_mmap_entry_below_top_accepted),
        cmocka_unit_test(test_duplicate_mmap),
        cmocka_unit_test(test_duplicate_cmdline),
        cmocka_unit_test(test_missing_mmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
