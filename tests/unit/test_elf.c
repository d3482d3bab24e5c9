/*
 * Host unit tests for the ELF64 executable checker (kernel/elf.c).
 *
 * Images are assembled in memory by a small builder (ELF header, program
 * headers right after it, then payload) so each test states only the fault it
 * is about; fields are then patched at their ELF64 offsets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/elf.h"

#define USER_MIN 0x10000ull
#define USER_LIMIT 0x7fffffffe000ull

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u

/* ELF header field offsets. */
#define EH_TYPE 16u
#define EH_MACHINE 18u
#define EH_VERSION 20u
#define EH_ENTRY 24u
#define EH_PHOFF 32u
#define EH_PHENTSIZE 54u
#define EH_PHNUM 56u

/* Program header field offsets. */
#define PH_TYPE 0u
#define PH_OFFSET 8u
#define PH_VADDR 16u
#define PH_FILESZ 32u
#define PH_MEMSZ 40u

#define PT_LOAD 1u
#define PT_DYNAMIC 2u
#define PT_INTERP 3u
#define PT_NOTE 4u
#define PT_GNU_STACK 0x6474e551u

#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

/* The valid image: data listed before text to exercise the sort. */
#define TEXT_VADDR 0x400000ull
#define TEXT_SIZE 0x200ull
#define DATA_VADDR 0x401010ull
#define DATA_OFFSET 0x1010ull
#define DATA_FILESZ 0x20ull
#define DATA_MEMSZ 0x100ull
#define ENTRY 0x400080ull
#define VALID_SIZE (DATA_OFFSET + DATA_FILESZ)

typedef struct {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
} test_phdr_t;

typedef struct {
    uint8_t buf[(ELF_MAX_SEGMENTS + 1) * 0x1000];
    size_t len;
} image_t;

static elf_image_t out;

static void put16(image_t *img, size_t off, uint16_t v)
{
    img->buf[off] = (uint8_t)v;
    img->buf[off + 1] = (uint8_t)(v >> 8);
}

static void put32(image_t *img, size_t off, uint32_t v)
{
    put16(img, off, (uint16_t)v);
    put16(img, off + 2, (uint16_t)(v >> 16));
}

static void put64(image_t *img, size_t off, uint64_t v)
{
    put32(img, off, (uint32_t)v);
    put32(img, off + 4, (uint32_t)(v >> 32));
}

static size_t ph_off(size_t index)
{
    return EHDR_SIZE + index * PHDR_SIZE;
}

/* A well-formed header, `n` program headers and a payload up to `total` bytes. */
static void build(image_t *img, uint64_t entry, const test_phdr_t *ph, size_t n, size_t total)
{
    assert_true(total <= sizeof(img->buf));
    assert_true(ph_off(n) <= total);
    memset(img->buf, 0xCC, sizeof(img->buf));
    memset(img->buf, 0, EHDR_SIZE);
    memcpy(img->buf, "\177ELF", 4);
    img->buf[4] = 2; /* ELFCLASS64 */
    img->buf[5] = 1; /* ELFDATA2LSB */
    img->buf[6] = 1; /* EV_CURRENT */
    put16(img, EH_TYPE, 2);
    put16(img, EH_MACHINE, 62);
    put32(img, EH_VERSION, 1);
    put64(img, EH_ENTRY, entry);
    put64(img, EH_PHOFF, EHDR_SIZE);
    put16(img, 52, EHDR_SIZE); /* e_ehsize */
    put16(img, EH_PHENTSIZE, PHDR_SIZE);
    put16(img, EH_PHNUM, (uint16_t)n);
    for (size_t i = 0; i < n; i++) {
        size_t o = ph_off(i);
        memset(img->buf + o, 0, PHDR_SIZE);
        put32(img, o + PH_TYPE, ph[i].type);
        put32(img, o + 4, ph[i].flags);
        put64(img, o + PH_OFFSET, ph[i].offset);
        put64(img, o + PH_VADDR, ph[i].vaddr);
        put64(img, o + 24, ph[i].vaddr); /* p_paddr */
        put64(img, o + PH_FILESZ, ph[i].filesz);
        put64(img, o + PH_MEMSZ, ph[i].memsz);
        put64(img, o + 48, 0x1000); /* p_align */
    }
    img->len = total;
}

/* Data (RW), text (RX), GNU_STACK: three headers, two PT_LOADs, out of order. */
static void build_valid(image_t *img)
{
    const test_phdr_t ph[] = {
        {PT_LOAD, PF_R | PF_W, DATA_OFFSET, DATA_VADDR, DATA_FILESZ, DATA_MEMSZ},
        {PT_LOAD, PF_R | PF_X, 0, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE},
        {PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0},
    };
    build(img, ENTRY, ph, 3, VALID_SIZE);
}

/* One PT_LOAD per test: a page of text at TEXT_VADDR plus whatever `ph` says. */
static const char *check_one(const test_phdr_t *ph, size_t total)
{
    static image_t img;
    const test_phdr_t list[] = {
        {PT_LOAD, PF_R | PF_X, 0, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE},
        *ph,
    };
    build(&img, ENTRY, list, 2, total);
    return elf_check(img.buf, img.len, USER_MIN, USER_LIMIT, &out);
}

static const char *check(const image_t *img)
{
    return elf_check(img->buf, img->len, USER_MIN, USER_LIMIT, &out);
}

static void expect(const image_t *img, const char *message)
{
    const char *err = check(img);
    assert_non_null(err);
    assert_string_equal(err, message);
}

static void test_valid_two_segments_sorted(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    assert_null(check(&img));
    assert_int_equal(out.entry, ENTRY);
    assert_int_equal(out.segment_count, 2);
    assert_int_equal(out.segments[0].vaddr, TEXT_VADDR);
    assert_int_equal(out.segments[0].memsz, TEXT_SIZE);
    assert_int_equal(out.segments[0].offset, 0);
    assert_int_equal(out.segments[0].filesz, TEXT_SIZE);
    assert_int_equal(out.segments[0].flags, ELF_SEG_READ | ELF_SEG_EXEC);
    assert_int_equal(out.segments[1].vaddr, DATA_VADDR);
    assert_int_equal(out.segments[1].memsz, DATA_MEMSZ);
    assert_int_equal(out.segments[1].offset, DATA_OFFSET);
    assert_int_equal(out.segments[1].filesz, DATA_FILESZ);
    assert_int_equal(out.segments[1].flags, ELF_SEG_READ | ELF_SEG_WRITE);
}

/* The byte readers must not care where the image starts. */
static void test_valid_unaligned(void **state)
{
    static image_t img;
    static uint8_t shifted[sizeof(img.buf) + 1];
    (void)state;
    build_valid(&img);
    memcpy(shifted + 1, img.buf, img.len);
    assert_null(elf_check(shifted + 1, img.len, USER_MIN, USER_LIMIT, &out));
    assert_int_equal(out.segment_count, 2);
    assert_int_equal(out.segments[1].vaddr, DATA_VADDR);
}

static void test_flags_keep_only_rwx(void **state)
{
    const test_phdr_t ph = {PT_LOAD, 0xfff00000u | PF_R, 0x1000, 0x401000, 0x10, 0x10};
    (void)state;
    assert_null(check_one(&ph, 0x1010));
    assert_int_equal(out.segments[1].flags, ELF_SEG_READ);
}

/* A real host binary: it is PIE (ET_DYN) or, if not, dynamically linked. */
static void test_rejects_proc_self_exe(void **state)
{
    (void)state;
    FILE *f = fopen("/proc/self/exe", "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    assert_true(len > 64);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    uint8_t *buf = malloc((size_t)len);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);

    const char *err = elf_check(buf, (size_t)len, USER_MIN, USER_LIMIT, &out);
    assert_non_null(err);
    if (buf[EH_TYPE] == 3) {
        assert_string_equal(err, "elf: not a static executable (ET_EXEC)");
    } else {
        assert_string_equal(err, "elf: PT_INTERP present, needs a dynamic loader");
    }
    free(buf);
}

static void test_rejects_null_image(void **state)
{
    (void)state;
    assert_string_equal(elf_check(NULL, 0, USER_MIN, USER_LIMIT, &out), "elf: no image");
}

static void test_rejects_short_header(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    img.len = 63;
    expect(&img, "elf: image smaller than the 64-byte ELF header");
    img.len = 0;
    expect(&img, "elf: image smaller than the 64-byte ELF header");
}

static void test_rejects_bad_magic(void **state)
{
    static image_t img;
    (void)state;
    for (size_t i = 0; i < 4; i++) {
        build_valid(&img);
        img.buf[i] ^= 0x20;
        expect(&img, "elf: bad magic (not an ELF file)");
    }
}

static void test_rejects_32_bit(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    img.buf[4] = 1;
    expect(&img, "elf: not a 64-bit ELF (EI_CLASS)");
}

static void test_rejects_big_endian(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    img.buf[5] = 2;
    expect(&img, "elf: not little endian (EI_DATA)");
}

static void test_rejects_ident_version(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    img.buf[6] = 0;
    expect(&img, "elf: unknown identification version (EI_VERSION)");
}

static void test_rejects_non_exec_types(void **state)
{
    static image_t img;
    const uint16_t types[] = {0, 1, 3, 4, 0xfe00, 0xffff};
    (void)state;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        build_valid(&img);
        put16(&img, EH_TYPE, types[i]);
        expect(&img, "elf: not a static executable (ET_EXEC)");
    }
}

static void test_rejects_machine(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put16(&img, EH_MACHINE, 3); /* EM_386 */
    expect(&img, "elf: not an x86_64 image (e_machine)");
    put16(&img, EH_MACHINE, 183); /* EM_AARCH64 */
    expect(&img, "elf: not an x86_64 image (e_machine)");
}

static void test_rejects_e_version(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put32(&img, EH_VERSION, 2);
    expect(&img, "elf: unknown ELF version (e_version)");
}

static void test_rejects_phentsize(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put16(&img, EH_PHENTSIZE, 32); /* ELF32 size */
    expect(&img, "elf: program header size is not 56 (e_phentsize)");
    put16(&img, EH_PHENTSIZE, 64);
    expect(&img, "elf: program header size is not 56 (e_phentsize)");
}

static void test_rejects_phnum_zero(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put16(&img, EH_PHNUM, 0);
    expect(&img, "elf: no program headers (e_phnum 0)");
}

static void test_rejects_phnum_too_large(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    img.len = sizeof(img.buf);
    put16(&img, EH_PHNUM, 65);
    expect(&img, "elf: more than 64 program headers (e_phnum)");
    /* PN_XNUM: extended numbering lives in section 0, which we do not read. */
    put16(&img, EH_PHNUM, 0xffff);
    expect(&img, "elf: more than 64 program headers (e_phnum)");
}

static void test_accepts_64_program_headers(void **state)
{
    static image_t img;
    test_phdr_t ph[64];
    (void)state;
    ph[0] = (test_phdr_t){PT_LOAD, PF_R | PF_X, 0, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE};
    for (size_t i = 1; i < 64; i++) {
        ph[i] = (test_phdr_t){PT_NOTE, PF_R, 0, 0, 0, 0};
    }
    build(&img, ENTRY, ph, 64, ph_off(64));
    assert_null(check(&img));
    assert_int_equal(out.segment_count, 1);
}

static void test_rejects_phdr_table_outside_file(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put64(&img, EH_PHOFF, VALID_SIZE - 3 * PHDR_SIZE + 1);
    expect(&img, "elf: program header table lies outside the file");
    put64(&img, EH_PHOFF, VALID_SIZE + 1);
    expect(&img, "elf: program header table lies outside the file");
}

/* phoff + phnum * 56 wraps past 2^64 and would otherwise land inside the file. */
static void test_rejects_phdr_table_overflow(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put64(&img, EH_PHOFF, UINT64_MAX - PHDR_SIZE + 1);
    expect(&img, "elf: program header table lies outside the file");
    put64(&img, EH_PHOFF, UINT64_MAX);
    put16(&img, EH_PHNUM, 64);
    expect(&img, "elf: program header table lies outside the file");
}

static void test_rejects_pt_interp(void **state)
{
    const test_phdr_t ph = {PT_INTERP, PF_R, 0x100, 0x400100, 0x1c, 0x1c};
    (void)state;
    assert_string_equal(check_one(&ph, 0x1000), "elf: PT_INTERP present, needs a dynamic loader");
}

static void test_rejects_pt_dynamic(void **state)
{
    const test_phdr_t ph = {PT_DYNAMIC, PF_R | PF_W, 0x100, 0x400100, 0x10, 0x10};
    (void)state;
    assert_string_equal(check_one(&ph, 0x1000), "elf: PT_DYNAMIC present, needs a dynamic loader");
}

/* Other types carry no mapping, so even nonsense offsets in them are ignored. */
static void test_ignores_other_types(void **state)
{
    const test_phdr_t ph = {PT_NOTE, PF_R, UINT64_MAX, UINT64_MAX, UINT64_MAX, 1};
    (void)state;
    assert_null(check_one(&ph, 0x1000));
    assert_int_equal(out.segment_count, 1);
}

static void test_rejects_filesz_above_memsz(void **state)
{
    const test_phdr_t ph = {PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x20, 0x1f};
    (void)state;
    assert_string_equal(check_one(&ph, 0x1020),
                        "elf: a PT_LOAD segment has p_filesz larger than p_memsz");
}

static void test_rejects_empty_load(void **state)
{
    const test_phdr_t ph = {PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0, 0};
    (void)state;
    assert_string_equal(check_one(&ph, 0x1000),
                        "elf: a PT_LOAD segment is an empty PT_LOAD (p_memsz 0)");
}

static void test_rejects_segment_outside_file(void **state)
{
    const test_phdr_t past_end = {PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x21, 0x100};
    const test_phdr_t offset_past_end = {PT_LOAD, PF_R | PF_W, 0x2000, 0x402000, 0, 0x100};
    const test_phdr_t wraps = {PT_LOAD, PF_R | PF_W, UINT64_MAX - 0xfff, 0x401000, 0x1001, 0x2000};
    (void)state;
    assert_string_equal(check_one(&past_end, 0x1020),
                        "elf: a PT_LOAD segment lies outside the file");
    assert_string_equal(check_one(&offset_past_end, 0x1020),
                        "elf: a PT_LOAD segment lies outside the file");
    assert_string_equal(check_one(&wraps, 0x1020), "elf: a PT_LOAD segment lies outside the file");
}

/* A bss-only segment may start exactly at the end of the file. */
static void test_accepts_bss_at_file_end(void **state)
{
    const test_phdr_t ph = {PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0, 0x5000};
    (void)state;
    assert_null(check_one(&ph, 0x1000));
    assert_int_equal(out.segments[1].memsz, 0x5000);
}

static void test_rejects_not_congruent(void **state)
{
    const test_phdr_t ph = {PT_LOAD, PF_R | PF_W, 0x1010, 0x401000, 0x10, 0x10};
    (void)state;
    assert_string_equal(check_one(&ph, 0x1020),
                        "elf: a PT_LOAD segment has p_vaddr and p_offset that differ modulo 4096");
}

static void test_rejects_address_wrap(void **state)
{
    const test_phdr_t wraps = {PT_LOAD, PF_R | PF_W, 0x1000, 0xfffffffffffff000ull, 0x10, 0x1000};
    const test_phdr_t rounds_past = {PT_LOAD, PF_R | PF_W, 0x1000, 0xfffffffffffff000ull,
                                     0x10,    0xfff};
    (void)state;
    assert_string_equal(check_one(&wraps, 0x1010),
                        "elf: a PT_LOAD segment wraps around the address space");
    assert_string_equal(check_one(&rounds_past, 0x1010),
                        "elf: a PT_LOAD segment wraps around the address space");
}

static void test_rejects_below_user_min(void **state)
{
    const test_phdr_t ph = {PT_LOAD, PF_R | PF_W, 0x1000, USER_MIN - 0x1000, 0x10, 0x10};
    (void)state;
    assert_string_equal(check_one(&ph, 0x1010), "elf: a PT_LOAD segment lies outside user space");
}

/* Page rounding counts: the last page must not reach user_limit. */
static void test_user_limit_boundary(void **state)
{
    const test_phdr_t fits = {PT_LOAD, PF_R | PF_W, 0x1000, USER_LIMIT - 0x1000, 0x10, 0x1000};
    const test_phdr_t one_over = {PT_LOAD, PF_R | PF_W, 0x1000, USER_LIMIT - 0x1000, 0x10, 0x1001};
    const test_phdr_t above = {PT_LOAD, PF_R | PF_W, 0x1000, USER_LIMIT, 0x10, 0x10};
    (void)state;
    assert_null(check_one(&fits, 0x1010));
    assert_string_equal(check_one(&one_over, 0x1010),
                        "elf: a PT_LOAD segment lies outside user space");
    assert_string_equal(check_one(&above, 0x1010),
                        "elf: a PT_LOAD segment lies outside user space");
}

static void test_segment_index_in_message(void **state)
{
    static image_t img;
    test_phdr_t ph[12];
    (void)state;
    ph[0] = (test_phdr_t){PT_LOAD, PF_R | PF_X, 0, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE};
    for (size_t i = 1; i < 12; i++) {
        ph[i] = (test_phdr_t){PT_NOTE, PF_R, 0, 0, 0, 0};
    }
    ph[11] = (test_phdr_t){PT_LOAD, PF_R, 0x1000, 0x401000, 0x10, 0x10};
    build(&img, ENTRY, ph, 12, 0x1000);
    expect(&img, "elf: a PT_LOAD segment lies outside the file");
}

static void build_loads(image_t *img, size_t count)
{
    test_phdr_t ph[ELF_MAX_SEGMENTS + 1];
    assert_true(count <= ELF_MAX_SEGMENTS + 1);
    /* Reverse address order, so every insertion moves the whole array. */
    for (size_t i = 0; i < count; i++) {
        uint64_t page = (uint64_t)(count - 1 - i);
        ph[i] = (test_phdr_t){PT_LOAD, PF_R | PF_X, page * 0x1000, TEXT_VADDR + page * 0x1000,
                              0x10,    0x100};
    }
    build(img, ENTRY, ph, count, count * 0x1000);
}

static void test_max_segments(void **state)
{
    static image_t img;
    (void)state;
    build_loads(&img, ELF_MAX_SEGMENTS);
    assert_null(check(&img));
    assert_int_equal(out.segment_count, ELF_MAX_SEGMENTS);
    for (size_t i = 0; i < ELF_MAX_SEGMENTS; i++) {
        assert_int_equal(out.segments[i].vaddr, TEXT_VADDR + i * 0x1000);
        assert_int_equal(out.segments[i].offset, i * 0x1000);
    }
    build_loads(&img, ELF_MAX_SEGMENTS + 1);
    expect(&img, "elf: more than 16 PT_LOAD segments");
}

static void test_rejects_shared_page(void **state)
{
    const test_phdr_t same_page = {PT_LOAD, PF_R | PF_W, 0x800, 0x400800, 0x10, 0x10};
    const test_phdr_t tail_page = {PT_LOAD, PF_R | PF_W, 0x1000, 0x3ff000, 0x10, 0x1001};
    const test_phdr_t next_page = {PT_LOAD, PF_R | PF_W, 0xa00, 0x401a00, 0x10, 0x10};
    (void)state;
    assert_string_equal(check_one(&same_page, 0x1000), "elf: two PT_LOAD segments share a page");
    /* Listed second but sorts first: its last page is the text's first. */
    assert_string_equal(check_one(&tail_page, 0x1010), "elf: two PT_LOAD segments share a page");
    assert_null(check_one(&next_page, 0x1000));
}

static void test_rejects_no_load(void **state)
{
    static image_t img;
    const test_phdr_t ph[] = {{PT_NOTE, PF_R, 0x100, 0, 0x10, 0x10}};
    (void)state;
    build(&img, ENTRY, ph, 1, 0x1000);
    expect(&img, "elf: no PT_LOAD segment");
}

static void test_rejects_entry_in_data(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put64(&img, EH_ENTRY, DATA_VADDR + 8);
    expect(&img, "elf: entry point is not inside an executable segment");
}

static void test_entry_bounds(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put64(&img, EH_ENTRY, TEXT_VADDR);
    assert_null(check(&img));
    put64(&img, EH_ENTRY, TEXT_VADDR + TEXT_SIZE - 1);
    assert_null(check(&img));
    put64(&img, EH_ENTRY, TEXT_VADDR + TEXT_SIZE);
    expect(&img, "elf: entry point is not inside an executable segment");
    put64(&img, EH_ENTRY, TEXT_VADDR - 1);
    expect(&img, "elf: entry point is not inside an executable segment");
    put64(&img, EH_ENTRY, 0);
    expect(&img, "elf: entry point is not inside an executable segment");
}

/* Cutting the valid image one byte short at each boundary names that boundary. */
static void test_truncated_by_one_byte(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    img.len = EHDR_SIZE - 1;
    expect(&img, "elf: image smaller than the 64-byte ELF header");
    img.len = ph_off(3) - 1;
    expect(&img, "elf: program header table lies outside the file");
    img.len = ph_off(1);
    expect(&img, "elf: program header table lies outside the file");
    img.len = VALID_SIZE - 1;
    expect(&img, "elf: a PT_LOAD segment lies outside the file");
    img.len = ph_off(2) + 10;
    expect(&img, "elf: program header table lies outside the file");
    img.len = VALID_SIZE;
    assert_null(check(&img));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_two_segments_sorted),
        cmocka_unit_test(test_valid_unaligned),
        cmocka_unit_test(test_flags_keep_only_rwx),
        cmocka_unit_test(test_rejects_proc_self_exe),
        cmocka_unit_test(test_rejects_null_image),
        cmocka_unit_test(test_rejects_short_header),
        cmocka_unit_test(test_rejects_bad_magic),
        cmocka_unit_test(test_rejects_32_bit),
        cmocka_unit_test(test_rejects_big_endian),
        cmocka_unit_test(test_rejects_ident_version),
        cmocka_unit_test(test_rejects_non_exec_types),
        cmocka_unit_test(test_rejects_machine),
        cmocka_unit_test(test_rejects_e_version),
        cmocka_unit_test(test_rejects_phentsize),
        cmocka_unit_test(test_rejects_phnum_zero),
        cmocka_unit_test(test_rejects_phnum_too_large),
        cmocka_unit_test(test_accepts_64_program_headers),
        cmocka_unit_test(test_rejects_phdr_table_outside_file),
        cmocka_unit_test(test_rejects_phdr_table_overflow),
        cmocka_unit_test(test_rejects_pt_interp),
        cmocka_unit_test(test_rejects_pt_dynamic),
        cmocka_unit_test(test_ignores_other_types),
        cmocka_unit_test(test_rejects_filesz_above_memsz),
        cmocka_unit_test(test_rejects_empty_load),
        cmocka_unit_test(test_rejects_segment_outside_file),
        cmocka_unit_test(test_accepts_bss_at_file_end),
        cmocka_unit_test(test_rejects_not_congruent),
        cmocka_unit_test(test_rejects_address_wrap),
        cmocka_unit_test(test_rejects_below_user_min),
        cmocka_unit_test(test_user_limit_boundary),
        cmocka_unit_test(test_segment_index_in_message),
        cmocka_unit_test(test_max_segments),
        cmocka_unit_test(test_rejects_shared_page),
        cmocka_unit_test(test_rejects_no_load),
        cmocka_unit_test(test_rejects_entry_in_data),
        cmocka_unit_test(test_entry_bounds),
        cmocka_unit_test(test_truncated_by_one_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
