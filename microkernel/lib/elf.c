/*
 * ELF64 executable checker: owns the decision whether an untrusted image is a
 * static x86_64 executable the kernel can map, and the list of its PT_LOAD
 * segments in ascending address order.
 *
 * The image comes from user space or a boot module, so nothing in it is
 * trusted: every field is read byte-wise (the image need not be aligned),
 * every sum is checked for wrap-around before it is compared, and anything
 * odd is rejected rather than repaired. Messages are static strings because
 * the caller may log them after this function returns and there is no
 * allocator here.
 */
#include "kernel/elf.h"

#define ELF_EHDR_SIZE 64u
#define ELF_PHDR_SIZE 56u
#define ELF_MAX_PHNUM 64
#define ELF_PAGE_SIZE 4096ull

/* e_ident indices and the values we accept. */
#define EI_CLASS 4u
#define EI_DATA 5u
#define EI_VERSION 6u
#define ELFCLASS64 2u
#define ELFDATA2LSB 1u
#define EV_CURRENT 1u

/* ELF header field offsets (ELF64). */
#define EH_TYPE 16u
#define EH_MACHINE 18u
#define EH_VERSION 20u
#define EH_ENTRY 24u
#define EH_PHOFF 32u
#define EH_PHENTSIZE 54u
#define EH_PHNUM 56u

#define ET_EXEC 2u
#define EM_X86_64 62u

/* Program header field offsets (ELF64). */
#define PH_TYPE 0u
#define PH_FLAGS 4u
#define PH_OFFSET 8u
#define PH_VADDR 16u
#define PH_FILESZ 32u
#define PH_MEMSZ 40u

#define PT_LOAD 1u
#define PT_DYNAMIC 2u
#define PT_INTERP 3u

#define ELF_STR_(x) #x
#define ELF_STR(x) ELF_STR_(x)

typedef struct {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
} elf_phdr_t;

/* Byte-wise so that neither alignment nor host endianness matters. */
static uint16_t read_u16(const uint8_t *p)
{
    return (uint16_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8));
}

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t read_u64(const uint8_t *p)
{
    return (uint64_t)read_u32(p) | ((uint64_t)read_u32(p + 4) << 32);
}

/* e_ident: only the encoding we can read field by field below is accepted. */
static const char *check_ident(const uint8_t *p, size_t size)
{
    if (size < ELF_EHDR_SIZE) {
        return "elf: image smaller than the 64-byte ELF header";
    }
    if (p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F') {
        return "elf: bad magic (not an ELF file)";
    }
    if (p[EI_CLASS] != ELFCLASS64) {
        return "elf: not a 64-bit ELF (EI_CLASS)";
    }
    if (p[EI_DATA] != ELFDATA2LSB) {
        return "elf: not little endian (EI_DATA)";
    }
    if (p[EI_VERSION] != EV_CURRENT) {
        return "elf: unknown identification version (EI_VERSION)";
    }
    return NULL;
}

/*
 * The rest of the ELF header. Only ET_EXEC is accepted: there is no
 * relocation here, so an image must run at the addresses it names.
 */
static const char *check_header(const uint8_t *p)
{
    uint16_t phnum = read_u16(p + EH_PHNUM);

    if (read_u16(p + EH_TYPE) != ET_EXEC) {
        return "elf: not a static executable (ET_EXEC)";
    }
    if (read_u16(p + EH_MACHINE) != EM_X86_64) {
        return "elf: not an x86_64 image (e_machine)";
    }
    if (read_u32(p + EH_VERSION) != EV_CURRENT) {
        return "elf: unknown ELF version (e_version)";
    }
    if (read_u16(p + EH_PHENTSIZE) != ELF_PHDR_SIZE) {
        return "elf: program header size is not 56 (e_phentsize)";
    }
    if (phnum == 0) {
        return "elf: no program headers (e_phnum 0)";
    }
    if (phnum > ELF_MAX_PHNUM) {
        return "elf: more than " ELF_STR(ELF_MAX_PHNUM) " program headers (e_phnum)";
    }
    return NULL;
}

/* phnum <= 64 keeps the table length small; only phoff can push the sum past 2^64. */
static const char *check_phdr_table(uint64_t phoff, uint64_t phnum, size_t size)
{
    uint64_t length = phnum * ELF_PHDR_SIZE;

    if (phoff > (uint64_t)size || length > (uint64_t)size - phoff) {
        return "elf: program header table lies outside the file";
    }
    return NULL;
}

static void read_phdr(const uint8_t *p, elf_phdr_t *ph)
{
    ph->type = read_u32(p + PH_TYPE);
    ph->flags = read_u32(p + PH_FLAGS);
    ph->offset = read_u64(p + PH_OFFSET);
    ph->vaddr = read_u64(p + PH_VADDR);
    ph->filesz = read_u64(p + PH_FILESZ);
    ph->memsz = read_u64(p + PH_MEMSZ);
}

/* The file part must be readable from the image the loader copies out of. */
static const char *check_load_file(const elf_phdr_t *ph, size_t size)
{
    if (ph->filesz > ph->memsz) {
        return "elf: a PT_LOAD segment has p_filesz larger than p_memsz";
    }
    /* An empty PT_LOAD maps nothing; no sane linker emits one. */
    if (ph->memsz == 0) {
        return "elf: a PT_LOAD segment is an empty PT_LOAD (p_memsz 0)";
    }
    if (ph->offset > (uint64_t)size || ph->filesz > (uint64_t)size - ph->offset) {
        return "elf: a PT_LOAD segment lies outside the file";
    }
    return NULL;
}

/*
 * The memory part must be mappable page by page into user space: file pages
 * map at the same in-page offset, and the whole page span, not just the
 * bytes, stays in [user_min, user_limit).
 */
static const char *check_load_memory(const elf_phdr_t *ph, uint64_t user_min, uint64_t user_limit)
{
    if (ph->vaddr % ELF_PAGE_SIZE != ph->offset % ELF_PAGE_SIZE) {
        return "elf: a PT_LOAD segment has p_vaddr and p_offset that differ modulo 4096";
    }
    /* The end is rounded up to a page below, so leave room for that too. */
    if (ph->memsz > UINT64_MAX - ph->vaddr ||
        ph->vaddr + ph->memsz > UINT64_MAX - (ELF_PAGE_SIZE - 1)) {
        return "elf: a PT_LOAD segment wraps around the address space";
    }
    uint64_t first = ALIGN_DOWN(ph->vaddr, ELF_PAGE_SIZE);
    uint64_t end = ALIGN_UP(ph->vaddr + ph->memsz, ELF_PAGE_SIZE);
    if (first < user_min || end > user_limit) {
        return "elf: a PT_LOAD segment lies outside user space";
    }
    return NULL;
}

/* Insertion sort as segments arrive: at most ELF_MAX_SEGMENTS, usually two or three. */
static void insert_sorted(elf_image_t *out, const elf_phdr_t *ph)
{
    size_t i = out->segment_count;

    while (i > 0 && out->segments[i - 1].vaddr > ph->vaddr) {
        out->segments[i] = out->segments[i - 1];
        i--;
    }
    out->segments[i].vaddr = ph->vaddr;
    out->segments[i].memsz = ph->memsz;
    out->segments[i].offset = ph->offset;
    out->segments[i].filesz = ph->filesz;
    /* Only R, W and X mean anything to the mapper; OS/processor bits are dropped. */
    out->segments[i].flags = ph->flags & (ELF_SEG_READ | ELF_SEG_WRITE | ELF_SEG_EXEC);
    out->segment_count++;
}

static const char *add_phdr(const elf_phdr_t *ph, size_t size, uint64_t user_min,
                            uint64_t user_limit, elf_image_t *out)
{
    /* Dynamic linking would need a loader in user space that we do not provide. */
    if (ph->type == PT_INTERP) {
        return "elf: PT_INTERP present, needs a dynamic loader";
    }
    if (ph->type == PT_DYNAMIC) {
        return "elf: PT_DYNAMIC present, needs a dynamic loader";
    }
    /* Notes, GNU_STACK and the like do not affect what gets mapped. */
    if (ph->type != PT_LOAD) {
        return NULL;
    }
    const char *err = check_load_file(ph, size);
    if (err == NULL) {
        err = check_load_memory(ph, user_min, user_limit);
    }
    if (err != NULL) {
        return err;
    }
    if (out->segment_count == ELF_MAX_SEGMENTS) {
        return "elf: more than " ELF_STR(ELF_MAX_SEGMENTS) " PT_LOAD segments";
    }
    insert_sorted(out, ph);
    return NULL;
}

/*
 * Pages carry one set of permissions, so two segments on one page would force
 * the mapper to merge them. Sorted order makes adjacent pairs sufficient:
 * without an adjacent overlap, page-rounded ends strictly increase.
 */
static const char *check_overlap(const elf_image_t *out)
{
    for (size_t i = 1; i < out->segment_count; i++) {
        const elf_segment_t *prev = &out->segments[i - 1];
        uint64_t prev_end = ALIGN_UP(prev->vaddr + prev->memsz, ELF_PAGE_SIZE);
        if (ALIGN_DOWN(out->segments[i].vaddr, ELF_PAGE_SIZE) < prev_end) {
            return "elf: two PT_LOAD segments share a page";
        }
    }
    return NULL;
}

/* Jumping anywhere else would fault at once, or run data. */
static const char *check_entry(const elf_image_t *out)
{
    for (size_t i = 0; i < out->segment_count; i++) {
        const elf_segment_t *seg = &out->segments[i];
        if ((seg->flags & ELF_SEG_EXEC) != 0 && out->entry >= seg->vaddr &&
            out->entry - seg->vaddr < seg->memsz) {
            return NULL;
        }
    }
    return "elf: entry point is not inside an executable segment";
}

const char *elf_check(const void *image, size_t size, uint64_t user_min, uint64_t user_limit,
                      elf_image_t *out)
{
    const uint8_t *p = image;

    out->entry = 0;
    out->segment_count = 0;
    if (p == NULL) {
        return "elf: no image";
    }
    const char *err = check_ident(p, size);
    if (err == NULL) {
        err = check_header(p);
    }
    if (err != NULL) {
        return err;
    }
    uint64_t phoff = read_u64(p + EH_PHOFF);
    size_t phnum = read_u16(p + EH_PHNUM);
    err = check_phdr_table(phoff, phnum, size);
    for (size_t i = 0; err == NULL && i < phnum; i++) {
        elf_phdr_t ph;
        read_phdr(p + phoff + i * ELF_PHDR_SIZE, &ph);
        err = add_phdr(&ph, size, user_min, user_limit, out);
    }
    if (err != NULL) {
        return err;
    }
    if (out->segment_count == 0) {
        return "elf: no PT_LOAD segment";
    }
    out->entry = read_u64(p + EH_ENTRY);
    err = check_overlap(out);
    if (err == NULL) {
        err = check_entry(out);
    }
    return err;
}
