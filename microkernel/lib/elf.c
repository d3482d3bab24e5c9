/*
 * ELF64 executable checker: owns the decision whether an untrusted image is a
 * static x86_64 executable that can be mapped, where it goes (the bias of a
 * static-PIE), and what the loader and the initial stack need to know about
 * it: PT_LOAD segments in ascending address order, the entry point, where the
 * program headers are in memory (AT_PHDR) and whether the stack may execute.
 * The kernel uses it for the root task, proc-server for every program.
 *
 * The image comes from a file or a boot module, so nothing in it is trusted:
 * every field is read byte-wise (the image need not be aligned), every sum is
 * checked for wrap-around before it is compared, and anything odd is rejected
 * rather than repaired. Messages are static strings because the caller may
 * log them after this function returns and there is no allocator here.
 */
#include "kernel/elf.h"

#define ELF_EHDR_SIZE 64u
#define ELF_MAX_PHNUM 64
#define ELF_PAGE_SIZE 4096ull
/* Larger p_align would scatter a static-PIE over the address space for nothing. */
#define ELF_MAX_ALIGN 0x40000000ull

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

#define EM_X86_64 62u

/* Program header field offsets (ELF64). */
#define PH_TYPE 0u
#define PH_FLAGS 4u
#define PH_OFFSET 8u
#define PH_VADDR 16u
#define PH_FILESZ 32u
#define PH_MEMSZ 40u
#define PH_ALIGN 48u

#define PT_LOAD 1u
#define PT_INTERP 3u
#define PT_PHDR 6u
#define PT_GNU_STACK 0x6474e551u

#define ELF_STR_(x) #x
#define ELF_STR(x) ELF_STR_(x)

typedef struct {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
} elf_phdr_t;

/* What the walk over the program headers found besides PT_LOAD. */
typedef struct {
    bool has_pt_phdr;
    uint64_t pt_phdr_vaddr; /* p_vaddr of PT_PHDR, before the bias */
    bool has_gnu_stack;
    uint64_t align; /* largest power-of-two p_align of a PT_LOAD, at least a page */
} elf_scan_t;

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

/* ET_EXEC runs where it was linked; ET_DYN only where the policy can place it. */
static const char *check_type(uint16_t type, const elf_policy_t *policy)
{
    if (type == ELF_TYPE_EXEC) {
        return NULL;
    }
    if (type != ELF_TYPE_DYN) {
        return "elf: not an executable (e_type is neither ET_EXEC nor ET_DYN)";
    }
    if ((policy->flags & ELF_ACCEPT_DYN) == 0) {
        return "elf: position-independent executable (ET_DYN) not accepted here";
    }
    return NULL;
}

static const char *check_header(const uint8_t *p, const elf_policy_t *policy)
{
    uint16_t phnum = read_u16(p + EH_PHNUM);

    const char *err = check_type(read_u16(p + EH_TYPE), policy);
    if (err != NULL) {
        return err;
    }
    if (read_u16(p + EH_MACHINE) != EM_X86_64) {
        return "elf: not an x86_64 image (e_machine)";
    }
    if (read_u32(p + EH_VERSION) != EV_CURRENT) {
        return "elf: unknown ELF version (e_version)";
    }
    if (read_u16(p + EH_PHENTSIZE) != ELF_PHENT_SIZE) {
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
    uint64_t length = phnum * ELF_PHENT_SIZE;

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
    ph->align = read_u64(p + PH_ALIGN);
}

/*
 * A dynamically linked program needs a loader in user space that Capsule does
 * not provide. Looked for before anything else so that such a program always
 * gets this message, whatever else is odd about it.
 */
static const char *check_no_interp(const uint8_t *table, size_t phnum)
{
    for (size_t i = 0; i < phnum; i++) {
        if (read_u32(table + i * ELF_PHENT_SIZE + PH_TYPE) == PT_INTERP) {
            return "elf: dynamically linked (PT_INTERP): only static executables run";
        }
    }
    return NULL;
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
 * File pages map at the same in-page offset, and the page-rounded span must
 * be representable: the end is rounded up to a page, so leave room for that.
 */
static const char *check_load_span(uint64_t vaddr, uint64_t memsz)
{
    if (memsz > UINT64_MAX - vaddr || vaddr + memsz > UINT64_MAX - (ELF_PAGE_SIZE - 1)) {
        return "elf: a PT_LOAD segment wraps around the address space";
    }
    return NULL;
}

/* Insertion sort as segments arrive: at most ELF_MAX_SEGMENTS, usually two to four. */
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

/* Non-power-of-two alignments mean nothing (Linux ignores them too). */
static void note_align(elf_scan_t *scan, uint64_t align)
{
    if (align > scan->align && (align & (align - 1)) == 0) {
        scan->align = align;
    }
}

static const char *add_load(const elf_phdr_t *ph, size_t size, elf_scan_t *scan, elf_image_t *out)
{
    const char *err = check_load_file(ph, size);
    if (err != NULL) {
        return err;
    }
    if (ph->vaddr % ELF_PAGE_SIZE != ph->offset % ELF_PAGE_SIZE) {
        return "elf: a PT_LOAD segment has p_vaddr and p_offset that differ modulo 4096";
    }
    err = check_load_span(ph->vaddr, ph->memsz);
    if (err != NULL) {
        return err;
    }
    if (out->segment_count == ELF_MAX_SEGMENTS) {
        return "elf: more than " ELF_STR(ELF_MAX_SEGMENTS) " PT_LOAD segments";
    }
    note_align(scan, ph->align);
    insert_sorted(out, ph);
    return NULL;
}

/*
 * PT_LOAD is mapped, PT_PHDR and PT_GNU_STACK are noted; everything else
 * (PT_DYNAMIC of a static-PIE, PT_TLS, notes, GNU_RELRO) maps nothing here,
 * so even nonsense offsets in them are ignored.
 */
static const char *add_phdr(const elf_phdr_t *ph, size_t size, elf_scan_t *scan, elf_image_t *out)
{
    if (ph->type == PT_LOAD) {
        return add_load(ph, size, scan, out);
    }
    if (ph->type == PT_PHDR) {
        if (scan->has_pt_phdr) {
            return "elf: more than one PT_PHDR";
        }
        scan->has_pt_phdr = true;
        scan->pt_phdr_vaddr = ph->vaddr;
    }
    /* Linux obeys the first PT_GNU_STACK; so do we. */
    if (ph->type == PT_GNU_STACK && !scan->has_gnu_stack) {
        scan->has_gnu_stack = true;
        out->stack_exec = (ph->flags & ELF_SEG_EXEC) != 0;
    }
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

/*
 * A static-PIE's first page goes to dyn_base rounded up to the image's
 * alignment, so every segment keeps its offset modulo p_align. The bias may
 * be "negative" (an image linked above dyn_base): it is added modulo 2^64, and
 * the whole page span is checked to fit below user_limit so that no biased
 * address wraps.
 */
static const char *choose_bias(const elf_image_t *out, const elf_scan_t *scan,
                               const elf_policy_t *policy, uint64_t *bias)
{
    const elf_segment_t *last = &out->segments[out->segment_count - 1];
    uint64_t align = scan->align;

    if (align > ELF_MAX_ALIGN) {
        return "elf: a PT_LOAD segment asks for an alignment above 1 GiB (p_align)";
    }
    uint64_t low = ALIGN_DOWN(out->segments[0].vaddr, align);
    /* The last segment ends highest (check_overlap) and its end was checked not to wrap. */
    uint64_t span = ALIGN_UP(last->vaddr + last->memsz, ELF_PAGE_SIZE) - low;
    if (policy->dyn_base > policy->user_limit || policy->dyn_base > UINT64_MAX - (align - 1)) {
        return "elf: a PT_LOAD segment lies outside user space";
    }
    uint64_t base = ALIGN_UP(policy->dyn_base, align);
    if (base > policy->user_limit || span > policy->user_limit - base) {
        return "elf: a PT_LOAD segment lies outside user space";
    }
    *bias = base - low;
    return NULL;
}

/* Moves every segment by the bias; the whole page span must stay in user space. */
static const char *place_segments(elf_image_t *out, const elf_policy_t *policy)
{
    for (size_t i = 0; i < out->segment_count; i++) {
        elf_segment_t *seg = &out->segments[i];
        seg->vaddr += out->bias;
        const char *err = check_load_span(seg->vaddr, seg->memsz);
        if (err != NULL) {
            return err;
        }
        uint64_t first = ALIGN_DOWN(seg->vaddr, ELF_PAGE_SIZE);
        uint64_t end = ALIGN_UP(seg->vaddr + seg->memsz, ELF_PAGE_SIZE);
        if (first < policy->user_min || end > policy->user_limit) {
            return "elf: a PT_LOAD segment lies outside user space";
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

/* The segment whose file bytes hold [phoff, phoff + length), or NULL. */
static const elf_segment_t *segment_holding_offset(const elf_image_t *out, uint64_t phoff,
                                                   uint64_t length)
{
    for (size_t i = 0; i < out->segment_count; i++) {
        const elf_segment_t *seg = &out->segments[i];
        if (phoff >= seg->offset && phoff - seg->offset <= seg->filesz &&
            length <= seg->filesz - (phoff - seg->offset)) {
            return seg;
        }
    }
    return NULL;
}

/*
 * AT_PHDR: libc walks the program headers there at start-up (musl and glibc
 * look for PT_TLS), so the table must be in memory, copied from the file.
 * PT_PHDR names the address; it must be where a segment maps e_phoff. Without
 * PT_PHDR (neither musl's nor glibc's static link emits one) the segment
 * whose file range holds e_phoff says where, as Linux computes it.
 */
static const char *find_phdr(elf_image_t *out, const elf_scan_t *scan, uint64_t phoff)
{
    uint64_t length = (uint64_t)out->phnum * ELF_PHENT_SIZE;
    const elf_segment_t *seg = segment_holding_offset(out, phoff, length);

    if (seg == NULL) {
        return "elf: program header table is not inside a loaded segment (AT_PHDR)";
    }
    uint64_t addr = seg->vaddr + (phoff - seg->offset);
    if (scan->has_pt_phdr && scan->pt_phdr_vaddr + out->bias != addr) {
        return "elf: PT_PHDR is not where a loaded segment maps the program headers";
    }
    out->phdr = addr;
    return NULL;
}

/* Every PT_LOAD listed in `out`, PT_PHDR and PT_GNU_STACK noted in `scan`. */
static const char *walk_phdrs(const uint8_t *table, size_t phnum, size_t size, elf_scan_t *scan,
                              elf_image_t *out)
{
    for (size_t i = 0; i < phnum; i++) {
        elf_phdr_t ph;
        read_phdr(table + i * ELF_PHENT_SIZE, &ph);
        const char *err = add_phdr(&ph, size, scan, out);
        if (err != NULL) {
            return err;
        }
    }
    if (out->segment_count == 0) {
        return "elf: no PT_LOAD segment";
    }
    return NULL;
}

/* Chooses the bias, then moves, checks and describes the image at its final address. */
static const char *place_image(const uint8_t *p, const elf_scan_t *scan, const elf_policy_t *policy,
                               elf_image_t *out)
{
    const char *err = check_overlap(out);
    if (err == NULL && out->type == ELF_TYPE_DYN) {
        err = choose_bias(out, scan, policy, &out->bias);
    }
    if (err == NULL) {
        err = place_segments(out, policy);
    }
    if (err != NULL) {
        return err;
    }
    out->entry = read_u64(p + EH_ENTRY) + out->bias;
    err = check_entry(out);
    if (err == NULL) {
        err = find_phdr(out, scan, read_u64(p + EH_PHOFF));
    }
    return err;
}

static void clear_image(elf_image_t *out)
{
    out->type = 0;
    out->bias = 0;
    out->entry = 0;
    out->phdr = 0;
    out->phnum = 0;
    out->phent = ELF_PHENT_SIZE;
    out->stack_exec = false;
    out->segment_count = 0;
}

const char *elf_check(const void *image, size_t size, const elf_policy_t *policy, elf_image_t *out)
{
    const uint8_t *p = image;
    elf_scan_t scan = {false, 0, false, ELF_PAGE_SIZE};

    clear_image(out);
    if (p == NULL) {
        return "elf: no image";
    }
    const char *err = check_ident(p, size);
    if (err == NULL) {
        err = check_header(p, policy);
    }
    if (err != NULL) {
        return err;
    }
    uint64_t phoff = read_u64(p + EH_PHOFF);
    out->type = read_u16(p + EH_TYPE);
    out->phnum = read_u16(p + EH_PHNUM);
    err = check_phdr_table(phoff, out->phnum, size);
    if (err == NULL) {
        err = check_no_interp(p + phoff, out->phnum);
    }
    if (err == NULL) {
        err = walk_phdrs(p + phoff, out->phnum, size, &scan, out);
    }
    if (err == NULL) {
        err = place_image(p, &scan, policy, out);
    }
    return err;
}
