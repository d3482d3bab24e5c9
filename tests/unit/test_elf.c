/*
 * Host unit tests for the ELF64 executable checker (lib/elf.c), the one
 * validator of the kernel and proc-server.
 *
 * Images are assembled in memory by a small builder (ELF header, program
 * headers right after it, then payload) so each test states only the fault it
 * is about; fields are then patched at their ELF64 offsets. A corpus of
 * malformed images is generated from the valid one, and real static
 * executables (busybox-static, musl and glibc samples built with the tests)
 * are checked against what Linux itself puts in their auxv.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "kernel/elf.h"

#define USER_MIN 0x10000ull
#define USER_LIMIT 0x7fffffffe000ull
#define DYN_BASE 0x555555554000ull

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
#define PH_ALIGN 48u

#define PT_LOAD 1u
#define PT_DYNAMIC 2u
#define PT_INTERP 3u
#define PT_NOTE 4u
#define PT_PHDR 6u
#define PT_TLS 7u
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

/* proc-server's policy; the kernel's refuses ET_DYN. */
static const elf_policy_t policy = {USER_MIN, USER_LIMIT, DYN_BASE, ELF_ACCEPT_DYN};
static const elf_policy_t exec_only = {USER_MIN, USER_LIMIT, 0, 0};

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
        put64(img, o + PH_ALIGN, 0x1000);
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
    return elf_check(img.buf, img.len, &policy, &out);
}

static const char *check(const image_t *img)
{
    return elf_check(img->buf, img->len, &policy, &out);
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
    assert_null(elf_check(shifted + 1, img.len, &policy, &out));
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

/* The whole file at `path` in a heap buffer of exactly its size, or NULL if absent. */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size > 64);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    uint8_t *buf = malloc((size_t)size);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* A real host binary: a dynamically linked PIE (ET_DYN with PT_INTERP), or ET_EXEC with one. */
static void test_rejects_proc_self_exe(void **state)
{
    size_t len;
    uint8_t *buf = read_file("/proc/self/exe", &len);
    (void)state;
    assert_non_null(buf);
    assert_string_equal(elf_check(buf, len, &policy, &out),
                        "elf: dynamically linked (PT_INTERP): only static executables run");
    if (buf[EH_TYPE] == 3) {
        assert_string_equal(elf_check(buf, len, &exec_only, &out),
                            "elf: position-independent executable (ET_DYN) not accepted here");
    }
    free(buf);
}

static void test_rejects_null_image(void **state)
{
    (void)state;
    assert_string_equal(elf_check(NULL, 0, &policy, &out), "elf: no image");
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
    const uint16_t types[] = {0, 1, 4, 0xfe00, 0xffff};
    (void)state;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        build_valid(&img);
        put16(&img, EH_TYPE, types[i]);
        expect(&img, "elf: not an executable (e_type is neither ET_EXEC nor ET_DYN)");
    }
}

/* The kernel's policy: its root task must run where it was linked. */
static void test_exec_only_rejects_dyn(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    put16(&img, EH_TYPE, 3);
    assert_string_equal(elf_check(img.buf, img.len, &exec_only, &out),
                        "elf: position-independent executable (ET_DYN) not accepted here");
    put16(&img, EH_TYPE, 2);
    assert_null(elf_check(img.buf, img.len, &exec_only, &out));
    assert_int_equal(out.type, ELF_TYPE_EXEC);
    assert_int_equal(out.bias, 0);
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
    /* The text page holds the whole 3.6 KiB table, as AT_PHDR needs. */
    ph[0] = (test_phdr_t){PT_LOAD, PF_R | PF_X, 0, TEXT_VADDR, 0x1000, 0x1000};
    for (size_t i = 1; i < 64; i++) {
        ph[i] = (test_phdr_t){PT_NOTE, PF_R, 0, 0, 0, 0};
    }
    build(&img, ENTRY, ph, 64, 0x1000);
    assert_null(check(&img));
    assert_int_equal(out.segment_count, 1);
    assert_int_equal(out.phnum, 64);
    assert_int_equal(out.phdr, TEXT_VADDR + EHDR_SIZE);
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
    assert_string_equal(check_one(&ph, 0x1000),
                        "elf: dynamically linked (PT_INTERP): only static executables run");
}

/* A static-PIE relocates itself through PT_DYNAMIC; Linux ignores it for ET_EXEC too. */
static void test_accepts_pt_dynamic(void **state)
{
    const test_phdr_t ph = {PT_DYNAMIC, PF_R | PF_W, 0x100, 0x400100, 0x10, 0x10};
    (void)state;
    assert_null(check_one(&ph, 0x1000));
    assert_int_equal(out.segment_count, 1);
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
                              0x800,   0x800};
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

/* A static-PIE as linkers make it: linked at 0, text then data, the headers in the text. */
static void build_pie(image_t *img)
{
    const test_phdr_t ph[] = {
        {PT_LOAD, PF_R | PF_X, 0, 0, TEXT_SIZE, TEXT_SIZE},
        {PT_LOAD, PF_R | PF_W, DATA_OFFSET, DATA_OFFSET, DATA_FILESZ, DATA_MEMSZ},
        {PT_DYNAMIC, PF_R | PF_W, DATA_OFFSET, DATA_OFFSET, 0x10, 0x10},
        {PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0},
    };
    build(img, 0x80, ph, 4, VALID_SIZE);
    put16(img, EH_TYPE, 3);
}

static void test_pie_placed_at_dyn_base(void **state)
{
    static image_t img;
    (void)state;
    build_pie(&img);
    assert_null(check(&img));
    assert_int_equal(out.type, ELF_TYPE_DYN);
    assert_int_equal(out.bias, DYN_BASE);
    assert_int_equal(out.entry, DYN_BASE + 0x80);
    assert_int_equal(out.phdr, DYN_BASE + EHDR_SIZE);
    assert_int_equal(out.phnum, 4);
    assert_int_equal(out.phent, 56);
    assert_int_equal(out.segment_count, 2);
    assert_int_equal(out.segments[0].vaddr, DYN_BASE);
    assert_int_equal(out.segments[0].offset, 0);
    assert_int_equal(out.segments[1].vaddr, DYN_BASE + DATA_OFFSET);
    assert_int_equal(out.segments[1].offset, DATA_OFFSET);
    assert_int_equal(out.segments[1].memsz, DATA_MEMSZ);
}

/* The bias keeps every segment's address modulo the largest power-of-two p_align. */
static void test_pie_honours_p_align(void **state)
{
    static image_t img;
    (void)state;
    build_pie(&img);
    put64(&img, ph_off(1) + PH_ALIGN, 0x200000);
    assert_null(check(&img));
    assert_int_equal(out.bias, 0x555555600000ull);
    assert_int_equal(out.segments[0].vaddr % 0x200000, 0);
    /* Not a power of two: ignored, as Linux does. */
    put64(&img, ph_off(1) + PH_ALIGN, 0x3000);
    assert_null(check(&img));
    assert_int_equal(out.bias, DYN_BASE);
    put64(&img, ph_off(1) + PH_ALIGN, 1ull << 31);
    expect(&img, "elf: a PT_LOAD segment asks for an alignment above 1 GiB (p_align)");
    /* ET_EXEC runs where it is linked: p_align means nothing there. */
    put16(&img, EH_TYPE, 2);
    put64(&img, EH_ENTRY, TEXT_VADDR);
    build_valid(&img);
    put64(&img, ph_off(0) + PH_ALIGN, 1ull << 40);
    assert_null(check(&img));
}

/* A PIE linked high still starts at dyn_base: the bias wraps, the addresses do not. */
static void test_pie_linked_above_dyn_base(void **state)
{
    static image_t img;
    const uint64_t link = 0x7f0000000000ull;
    const test_phdr_t ph[] = {
        {PT_LOAD, PF_R | PF_X, 0, link, TEXT_SIZE, TEXT_SIZE},
    };
    (void)state;
    build(&img, link + 0x80, ph, 1, 0x1000);
    put16(&img, EH_TYPE, 3);
    assert_null(check(&img));
    assert_int_equal(out.segments[0].vaddr, DYN_BASE);
    assert_int_equal(out.entry, DYN_BASE + 0x80);
    assert_int_equal(out.bias, DYN_BASE - link);
}

static void test_pie_must_fit(void **state)
{
    static image_t img;
    elf_policy_t high = policy;
    (void)state;
    build_pie(&img);
    /* text page + data pages end at 0x2000 past the base */
    high.dyn_base = USER_LIMIT - 0x2000;
    assert_null(elf_check(img.buf, img.len, &high, &out));
    assert_int_equal(out.segments[1].vaddr + out.segments[1].memsz, USER_LIMIT - 0x1000 + 0x110);
    high.dyn_base = USER_LIMIT - 0x1000;
    assert_string_equal(elf_check(img.buf, img.len, &high, &out),
                        "elf: a PT_LOAD segment lies outside user space");
    high.dyn_base = UINT64_MAX;
    assert_string_equal(elf_check(img.buf, img.len, &high, &out),
                        "elf: a PT_LOAD segment lies outside user space");
    high.dyn_base = USER_MIN - 0x1000;
    assert_string_equal(elf_check(img.buf, img.len, &high, &out),
                        "elf: a PT_LOAD segment lies outside user space");
    /* A span as wide as the address space cannot be placed anywhere. */
    build_pie(&img);
    put64(&img, ph_off(1) + PH_VADDR, 0xffffffffffff0000ull + DATA_OFFSET % 0x1000);
    expect(&img, "elf: a PT_LOAD segment lies outside user space");
}

static void test_pie_entry_and_interp(void **state)
{
    static image_t img;
    (void)state;
    build_pie(&img);
    put64(&img, EH_ENTRY, DATA_OFFSET);
    expect(&img, "elf: entry point is not inside an executable segment");
    /* PT_INTERP wins over every other fault, so a dynamic program always hears why. */
    build_pie(&img);
    put32(&img, ph_off(3) + PH_TYPE, PT_INTERP);
    put64(&img, ph_off(0) + PH_FILESZ, UINT64_MAX);
    expect(&img, "elf: dynamically linked (PT_INTERP): only static executables run");
}

/* AT_PHDR from PT_PHDR when there is one, else from the segment holding e_phoff. */
static void test_phdr_from_pt_phdr(void **state)
{
    static image_t img;
    const test_phdr_t ph[] = {
        {PT_PHDR, PF_R, EHDR_SIZE, EHDR_SIZE, 3 * PHDR_SIZE, 3 * PHDR_SIZE},
        {PT_LOAD, PF_R | PF_X, 0, 0, TEXT_SIZE, TEXT_SIZE},
        {PT_LOAD, PF_R | PF_W, DATA_OFFSET, DATA_OFFSET, DATA_FILESZ, DATA_MEMSZ},
    };
    (void)state;
    build(&img, 0x80, ph, 3, VALID_SIZE);
    put16(&img, EH_TYPE, 3);
    assert_null(check(&img));
    assert_int_equal(out.phdr, DYN_BASE + EHDR_SIZE);
    assert_int_equal(out.phnum, 3);
    /* PT_PHDR naming other bytes than the table would hand libc garbage. */
    put64(&img, ph_off(0) + PH_VADDR, EHDR_SIZE + 8);
    expect(&img, "elf: PT_PHDR is not where a loaded segment maps the program headers");
    put64(&img, ph_off(0) + PH_VADDR, DATA_OFFSET);
    expect(&img, "elf: PT_PHDR is not where a loaded segment maps the program headers");
    put64(&img, ph_off(0) + PH_VADDR, EHDR_SIZE);
    put32(&img, ph_off(2) + PH_TYPE, PT_PHDR);
    expect(&img, "elf: more than one PT_PHDR");
}

/* The table in the second segment's file bytes: AT_PHDR is where that segment maps them. */
static void test_phdr_in_later_segment(void **state)
{
    static image_t img;
    const test_phdr_t ph[] = {
        {PT_LOAD, PF_R | PF_X, 0, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE},
        {PT_LOAD, PF_R, 0x1000, 0x402000, 0x100, 0x100},
    };
    (void)state;
    build(&img, ENTRY, ph, 2, 0x1100);
    /* Move the table to file offset 0x1040, inside the second segment. */
    memcpy(img.buf + 0x1040, img.buf + EHDR_SIZE, 2 * PHDR_SIZE);
    put64(&img, EH_PHOFF, 0x1040);
    assert_null(check(&img));
    assert_int_equal(out.phdr, 0x402040);
}

static void test_rejects_phdr_not_loaded(void **state)
{
    static image_t img;
    const test_phdr_t ph[] = {
        {PT_LOAD, PF_R | PF_X, 0x1000, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE},
    };
    (void)state;
    build(&img, ENTRY, ph, 1, 0x1000 + TEXT_SIZE);
    expect(&img, "elf: program header table is not inside a loaded segment (AT_PHDR)");
    /* Partly covered is not covered: the segment's file bytes end inside the table. */
    build_valid(&img);
    put64(&img, ph_off(1) + PH_FILESZ, EHDR_SIZE + PHDR_SIZE);
    expect(&img, "elf: program header table is not inside a loaded segment (AT_PHDR)");
    /* In memory but not from the file (bss) does not count either. */
    build_valid(&img);
    put64(&img, ph_off(1) + PH_FILESZ, 0x10);
    expect(&img, "elf: program header table is not inside a loaded segment (AT_PHDR)");
}

static void test_gnu_stack(void **state)
{
    static image_t img;
    const size_t stack = ph_off(2);
    (void)state;
    build_valid(&img);
    assert_null(check(&img));
    assert_false(out.stack_exec);
    put32(&img, stack + 4, PF_R | PF_W | PF_X);
    assert_null(check(&img));
    assert_true(out.stack_exec);
    /* Without PT_GNU_STACK x86_64 Linux gives a non-executable stack. */
    put32(&img, stack + PH_TYPE, PT_NOTE);
    assert_null(check(&img));
    assert_false(out.stack_exec);
    /* PT_TLS is the libc's business. */
    put32(&img, stack + PH_TYPE, PT_TLS);
    assert_null(check(&img));
}

/* Linux obeys the first PT_GNU_STACK. */
static void test_gnu_stack_first_wins(void **state)
{
    static image_t img;
    const test_phdr_t ph[] = {
        {PT_LOAD, PF_R | PF_X, 0, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE},
        {PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0},
        {PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0},
    };
    (void)state;
    build(&img, ENTRY, ph, 3, 0x1000);
    assert_null(check(&img));
    assert_true(out.stack_exec);
}

/*
 * The malformed corpus: each entry breaks the valid image (data, text, GNU_STACK)
 * in one way and names the message the checker must give.
 */
typedef struct {
    const char *name;
    size_t off;    /* where to patch */
    unsigned size; /* 1, 2, 4 or 8 bytes; 0: truncate the image to `value` bytes */
    uint64_t value;
    const char *message;
} corruption_t;

#define PH0 EHDR_SIZE               /* data */
#define PH1 (EHDR_SIZE + PHDR_SIZE) /* text */
static const corruption_t corpus[] = {
    {"magic", 0, 1, 0x7e, "elf: bad magic (not an ELF file)"},
    {"class32", 4, 1, 1, "elf: not a 64-bit ELF (EI_CLASS)"},
    {"class0", 4, 1, 0, "elf: not a 64-bit ELF (EI_CLASS)"},
    {"big-endian", 5, 1, 2, "elf: not little endian (EI_DATA)"},
    {"ident-version", 6, 1, 2, "elf: unknown identification version (EI_VERSION)"},
    {"type-rel", EH_TYPE, 2, 1, "elf: not an executable (e_type is neither ET_EXEC nor ET_DYN)"},
    {"type-core", EH_TYPE, 2, 4, "elf: not an executable (e_type is neither ET_EXEC nor ET_DYN)"},
    {"machine-i386", EH_MACHINE, 2, 3, "elf: not an x86_64 image (e_machine)"},
    {"machine-aarch64", EH_MACHINE, 2, 183, "elf: not an x86_64 image (e_machine)"},
    {"version", EH_VERSION, 4, 0, "elf: unknown ELF version (e_version)"},
    {"phentsize", EH_PHENTSIZE, 2, 57, "elf: program header size is not 56 (e_phentsize)"},
    {"phnum-0", EH_PHNUM, 2, 0, "elf: no program headers (e_phnum 0)"},
    {"phnum-pn-xnum", EH_PHNUM, 2, 0xffff, "elf: more than 64 program headers (e_phnum)"},
    {"phoff-past-end", EH_PHOFF, 8, VALID_SIZE, "elf: program header table lies outside the file"},
    {"phoff-wraps", EH_PHOFF, 8, UINT64_MAX - 8, "elf: program header table lies outside the file"},
    {"interp", PH0 + PH_TYPE, 4, PT_INTERP,
     "elf: dynamically linked (PT_INTERP): only static executables run"},
    {"filesz-gt-memsz", PH0 + PH_FILESZ, 8, DATA_MEMSZ + 1,
     "elf: a PT_LOAD segment has p_filesz larger than p_memsz"},
    {"memsz-0", PH1 + PH_MEMSZ, 8, 0, "elf: a PT_LOAD segment has p_filesz larger than p_memsz"},
    {"offset-past-end", PH0 + PH_OFFSET, 8, VALID_SIZE + 0x1000 - DATA_FILESZ + 0x10,
     "elf: a PT_LOAD segment lies outside the file"},
    {"filesz-past-end", PH0 + PH_FILESZ, 8, DATA_FILESZ + 1,
     "elf: a PT_LOAD segment lies outside the file"},
    {"truncated", 0, 0, VALID_SIZE - 1, "elf: a PT_LOAD segment lies outside the file"},
    {"truncated-phdrs", 0, 0, EHDR_SIZE + PHDR_SIZE,
     "elf: program header table lies outside the file"},
    {"truncated-ehdr", 0, 0, 20, "elf: image smaller than the 64-byte ELF header"},
    {"not-congruent", PH0 + PH_VADDR, 8, DATA_VADDR + 8,
     "elf: a PT_LOAD segment has p_vaddr and p_offset that differ modulo 4096"},
    {"vaddr-wraps", PH0 + PH_VADDR, 8, 0xfffffffffffff010ull,
     "elf: a PT_LOAD segment wraps around the address space"},
    {"memsz-huge", PH0 + PH_MEMSZ, 8, UINT64_MAX / 2,
     "elf: a PT_LOAD segment lies outside user space"},
    {"kernel-half", PH0 + PH_VADDR, 8, 0xffff800000001010ull,
     "elf: a PT_LOAD segment lies outside user space"},
    {"at-user-limit", PH0 + PH_VADDR, 8, USER_LIMIT + 0x10,
     "elf: a PT_LOAD segment lies outside user space"},
    {"null-page", PH1 + PH_VADDR, 8, 0, "elf: a PT_LOAD segment lies outside user space"},
    {"overlap", PH0 + PH_VADDR, 8, TEXT_VADDR + 0x10, "elf: two PT_LOAD segments share a page"},
    {"entry-in-data", EH_ENTRY, 8, DATA_VADDR,
     "elf: entry point is not inside an executable segment"},
    {"entry-0", EH_ENTRY, 8, 0, "elf: entry point is not inside an executable segment"},
    {"text-not-exec", PH1 + 4, 4, PF_R, "elf: entry point is not inside an executable segment"},
    {"text-not-load", PH1 + PH_TYPE, 4, PT_NOTE,
     "elf: entry point is not inside an executable segment"},
    {"text-short", PH1 + PH_FILESZ, 8, 0x40,
     "elf: program header table is not inside a loaded segment (AT_PHDR)"},
};

static void corrupt(image_t *img, const corruption_t *c)
{
    build_valid(img);
    switch (c->size) {
    case 0:
        img->len = (size_t)c->value;
        break;
    case 1:
        img->buf[c->off] = (uint8_t)c->value;
        break;
    case 2:
        put16(img, c->off, (uint16_t)c->value);
        break;
    case 4:
        put32(img, c->off, (uint32_t)c->value);
        break;
    default:
        put64(img, c->off, c->value);
        break;
    }
}

static void test_malformed_corpus(void **state)
{
    static image_t img;
    (void)state;
    for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
        corrupt(&img, &corpus[i]);
        /* Exactly its size on the heap: ASan sees any read past it. */
        uint8_t *copy = malloc(img.len > 0 ? img.len : 1);
        assert_non_null(copy);
        memcpy(copy, img.buf, img.len);
        const char *err = elf_check(copy, img.len, &policy, &out);
        free(copy);
        if (err == NULL || strcmp(err, corpus[i].message) != 0) {
            fail_msg("corpus entry %s: got \"%s\", want \"%s\"", corpus[i].name,
                     err != NULL ? err : "(accepted)", corpus[i].message);
        }
    }
}

/* The corpus again as a static-PIE: placement must not mask any fault. */
static void test_malformed_corpus_as_pie(void **state)
{
    static image_t img;
    (void)state;
    for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
        corrupt(&img, &corpus[i]);
        if (corpus[i].off != EH_TYPE || corpus[i].size == 0) {
            put16(&img, EH_TYPE, 3);
        }
        if (elf_check(img.buf, img.len, &policy, &out) == NULL &&
            /* placed at DYN_BASE, these address faults are legitimately cured */
            strstr(corpus[i].message, "outside user space") == NULL &&
            strcmp(corpus[i].name, "null-page") != 0 &&
            strcmp(corpus[i].name, "vaddr-wraps") != 0) {
            fail_msg("corpus entry %s accepted as ET_DYN", corpus[i].name);
        }
    }
}

/* Every strict prefix of the valid image is refused. */
static void test_every_prefix_rejected(void **state)
{
    static image_t img;
    (void)state;
    build_valid(&img);
    for (size_t len = 0; len < VALID_SIZE; len++) {
        uint8_t *copy = malloc(len > 0 ? len : 1);
        assert_non_null(copy);
        memcpy(copy, img.buf, len);
        assert_non_null(elf_check(copy, len, &policy, &out));
        free(copy);
    }
}

/*
 * Real static executables. Each is checked, then, when it is one of the
 * auxprobe samples, run on the host: Linux's AT_PHDR, AT_PHNUM, AT_PHENT and
 * AT_ENTRY must agree with ours up to the load bias (which ASLR picks).
 */
static void check_real(const char *path, bool probe)
{
    size_t len;
    uint8_t *buf = read_file(path, &len);
    if (buf == NULL) {
        print_message("skipped: %s is missing\n", path);
        return;
    }
    const char *err = elf_check(buf, len, &policy, &out);
    if (err != NULL) {
        fail_msg("%s: %s", path, err);
    }
    uint64_t e_entry = 0, phoff = 0;
    memcpy(&e_entry, buf + EH_ENTRY, 8);
    memcpy(&phoff, buf + EH_PHOFF, 8);
    assert_int_equal(out.entry, e_entry + out.bias);
    assert_int_equal(out.phent, 56);
    assert_true(out.phnum >= out.segment_count);
    if (out.type == ELF_TYPE_DYN) {
        assert_int_equal(out.segments[0].vaddr, DYN_BASE);
    } else {
        assert_int_equal(out.bias, 0);
    }
    /* The table in memory is the table in the file. */
    bool found = false;
    for (size_t i = 0; i < out.segment_count; i++) {
        const elf_segment_t *seg = &out.segments[i];
        if (out.phdr >= seg->vaddr && out.phdr - seg->vaddr < seg->filesz) {
            assert_int_equal(seg->offset + (out.phdr - seg->vaddr), phoff);
            found = true;
        }
    }
    assert_true(found);
    free(buf);
    if (!probe) {
        return;
    }
    FILE *p = popen(path, "r");
    assert_non_null(p);
    unsigned long phdr, phnum, phent, entry;
    assert_int_equal(
        fscanf(p, "phdr %lx phnum %lu phent %lu entry %lx", &phdr, &phnum, &phent, &entry), 4);
    assert_int_equal(pclose(p), 0);
    assert_int_equal(phnum, out.phnum);
    assert_int_equal(phent, out.phent);
    assert_int_equal(phdr - entry, out.phdr - out.entry);
    if (out.type == ELF_TYPE_EXEC) {
        assert_int_equal(phdr, out.phdr);
        assert_int_equal(entry, out.entry);
    }
}

/* Debian's busybox-static (glibc): apt-get install busybox-static. */
static void test_real_busybox(void **state)
{
    (void)state;
    check_real("/bin/busybox", false);
}

static void test_real_samples(void **state)
{
    static const char *const names[] = {"musl_static", "musl_static_pie", "glibc_static_pie"};
    char path[4096];
    (void)state;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", ELF_SAMPLES_DIR, names[i]);
        check_real(path, true);
        if (access(path, F_OK) == 0) {
            assert_int_equal(out.type, strstr(names[i], "pie") ? ELF_TYPE_DYN : ELF_TYPE_EXEC);
        }
    }
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
        cmocka_unit_test(test_exec_only_rejects_dyn),
        cmocka_unit_test(test_rejects_machine),
        cmocka_unit_test(test_rejects_e_version),
        cmocka_unit_test(test_rejects_phentsize),
        cmocka_unit_test(test_rejects_phnum_zero),
        cmocka_unit_test(test_rejects_phnum_too_large),
        cmocka_unit_test(test_accepts_64_program_headers),
        cmocka_unit_test(test_rejects_phdr_table_outside_file),
        cmocka_unit_test(test_rejects_phdr_table_overflow),
        cmocka_unit_test(test_rejects_pt_interp),
        cmocka_unit_test(test_accepts_pt_dynamic),
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
        cmocka_unit_test(test_pie_placed_at_dyn_base),
        cmocka_unit_test(test_pie_honours_p_align),
        cmocka_unit_test(test_pie_linked_above_dyn_base),
        cmocka_unit_test(test_pie_must_fit),
        cmocka_unit_test(test_pie_entry_and_interp),
        cmocka_unit_test(test_phdr_from_pt_phdr),
        cmocka_unit_test(test_phdr_in_later_segment),
        cmocka_unit_test(test_rejects_phdr_not_loaded),
        cmocka_unit_test(test_gnu_stack),
        cmocka_unit_test(test_gnu_stack_first_wins),
        cmocka_unit_test(test_malformed_corpus),
        cmocka_unit_test(test_malformed_corpus_as_pie),
        cmocka_unit_test(test_every_prefix_rejected),
        cmocka_unit_test(test_real_busybox),
        cmocka_unit_test(test_real_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
