/*
 * Multiboot2 boot information parser: owns the validation of the tag list the
 * boot loader hands over and its translation into mb2_info_t.
 *
 * The information is untrusted input sitting in memory we only partly know the
 * extent of, so every read is bounds-checked against what the caller says is
 * readable, and anything malformed is rejected rather than repaired.
 */
#include "kernel/multiboot2.h"

#define MB2_TAG_END 0u
#define MB2_TAG_CMDLINE 1u
#define MB2_TAG_BOOTLOADER 2u
#define MB2_TAG_MODULE 3u
#define MB2_TAG_MMAP 6u

#define MB2_HEADER_SIZE 8u
#define MB2_TAG_HEADER_SIZE 8u
#define MB2_MIN_TOTAL_SIZE 16u    /* header plus the end tag */
#define MB2_MODULE_FIXED_SIZE 16u /* tag header, mod_start, mod_end */
#define MB2_MMAP_FIXED_SIZE 16u   /* tag header, entry_size, entry_version */
#define MB2_MMAP_MIN_ENTRY_SIZE 24u

#define MB2_STR_(x) #x
#define MB2_STR(x) MB2_STR_(x)

static const char empty_string[] = "";

typedef struct {
    const uint8_t *base;
    size_t total;
    mb2_info_t *out;
    bool seen_cmdline;
    bool seen_bootloader;
    bool seen_mmap;
} mb2_parser_t;

/* Byte-wise so that neither alignment nor host endianness matters. */
static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t read_u64(const uint8_t *p)
{
    return (uint64_t)read_u32(p) | ((uint64_t)read_u32(p + 4) << 32);
}

static bool has_nul(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] == 0) {
            return true;
        }
    }
    return false;
}

static const char *past_end_message(uint32_t type)
{
    switch (type) {
    case MB2_TAG_END:
        return "multiboot2: tag 0 (end) runs past the end of the information";
    case MB2_TAG_CMDLINE:
        return "multiboot2: tag 1 (command line) runs past the end of the information";
    case MB2_TAG_BOOTLOADER:
        return "multiboot2: tag 2 (boot loader name) runs past the end of the information";
    case MB2_TAG_MODULE:
        return "multiboot2: tag 3 (module) runs past the end of the information";
    case MB2_TAG_MMAP:
        return "multiboot2: tag 6 (memory map) runs past the end of the information";
    default:
        return "multiboot2: a tag of unknown type runs past the end of the information";
    }
}

static const char *parse_cmdline(mb2_parser_t *p, size_t off, size_t size)
{
    const uint8_t *str = p->base + off + MB2_TAG_HEADER_SIZE;

    /* Two command lines would leave it ambiguous which one the user meant. */
    if (p->seen_cmdline) {
        return "multiboot2: duplicate tag 1 (command line)";
    }
    if (!has_nul(str, size - MB2_TAG_HEADER_SIZE)) {
        return "multiboot2: tag 1 (command line) string is not NUL-terminated";
    }
    p->seen_cmdline = true;
    p->out->cmdline = (const char *)str;
    return NULL;
}

static const char *parse_bootloader(mb2_parser_t *p, size_t off, size_t size)
{
    const uint8_t *str = p->base + off + MB2_TAG_HEADER_SIZE;

    if (p->seen_bootloader) {
        return "multiboot2: duplicate tag 2 (boot loader name)";
    }
    if (!has_nul(str, size - MB2_TAG_HEADER_SIZE)) {
        return "multiboot2: tag 2 (boot loader name) string is not NUL-terminated";
    }
    p->seen_bootloader = true;
    p->out->bootloader = (const char *)str;
    return NULL;
}

static const char *parse_module(mb2_parser_t *p, size_t off, size_t size)
{
    const uint8_t *tag = p->base + off;
    mb2_module_t *mod;

    if (size < MB2_MODULE_FIXED_SIZE) {
        return "multiboot2: tag 3 (module) is too small for mod_start and mod_end";
    }
    uint32_t start = read_u32(tag + 8);
    uint32_t end = read_u32(tag + 12);
    if (end < start) {
        return "multiboot2: tag 3 (module) has mod_end below mod_start";
    }
    if (!has_nul(tag + MB2_MODULE_FIXED_SIZE, size - MB2_MODULE_FIXED_SIZE)) {
        return "multiboot2: tag 3 (module) string is not NUL-terminated";
    }
    /* Dropping a module silently would boot a system missing a server. */
    if (p->out->module_count >= MB2_MAX_MODULES) {
        return "multiboot2: too many modules (more than " MB2_STR(MB2_MAX_MODULES) ")";
    }
    mod = &p->out->modules[p->out->module_count++];
    mod->start = start;
    mod->end = end;
    mod->cmdline = (const char *)(tag + MB2_MODULE_FIXED_SIZE);
    return NULL;
}

static const char *parse_mmap_entries(mb2_parser_t *p, const uint8_t *entry, size_t count,
                                      size_t entry_size)
{
    for (size_t i = 0; i < count; i++, entry += entry_size) {
        uint64_t base = read_u64(entry);
        uint64_t length = read_u64(entry + 8);
        /* A wrapping range would later be mistaken for low memory. */
        if (length > UINT64_MAX - base) {
            return "multiboot2: memory map entry base + length overflows 64 bits";
        }
        p->out->mmap[i].base = base;
        p->out->mmap[i].length = length;
        p->out->mmap[i].type = read_u32(entry + 16);
    }
    p->out->mmap_count = count;
    return NULL;
}

static const char *parse_mmap(mb2_parser_t *p, size_t off, size_t size)
{
    const uint8_t *tag = p->base + off;

    /* Two maps could disagree, and there is no telling which is right. */
    if (p->seen_mmap) {
        return "multiboot2: duplicate tag 6 (memory map)";
    }
    if (size < MB2_MMAP_FIXED_SIZE) {
        return "multiboot2: tag 6 (memory map) is too small for entry_size and entry_version";
    }
    /* entry_size lets newer loaders append fields; we read only the first 24 bytes. */
    uint32_t entry_size = read_u32(tag + 8);
    if (entry_size < MB2_MMAP_MIN_ENTRY_SIZE || entry_size % 8 != 0) {
        return "multiboot2: tag 6 (memory map) entry_size is below 24 or not a multiple of 8";
    }
    size_t bytes = size - MB2_MMAP_FIXED_SIZE;
    if (bytes % entry_size != 0) {
        return "multiboot2: tag 6 (memory map) entries do not fit the tag exactly";
    }
    size_t count = bytes / entry_size;
    /* As no map at all: no memory to run on (found by fuzz_multiboot2). */
    if (count == 0) {
        return "multiboot2: tag 6 (memory map) has no entries";
    }
    if (count > MB2_MAX_MMAP) {
        return "multiboot2: too many memory map entries (more than " MB2_STR(MB2_MAX_MMAP) ")";
    }
    p->seen_mmap = true;
    return parse_mmap_entries(p, tag + MB2_MMAP_FIXED_SIZE, count, entry_size);
}

static const char *parse_tag(mb2_parser_t *p, uint32_t type, size_t off, size_t size)
{
    switch (type) {
    case MB2_TAG_CMDLINE:
        return parse_cmdline(p, off, size);
    case MB2_TAG_BOOTLOADER:
        return parse_bootloader(p, off, size);
    case MB2_TAG_MODULE:
        return parse_module(p, off, size);
    case MB2_TAG_MMAP:
        return parse_mmap(p, off, size);
    default:
        /* Unknown types are legitimate: loaders add tags we have no use for. */
        return NULL;
    }
}

static const char *parse_tags(mb2_parser_t *p)
{
    size_t off = MB2_HEADER_SIZE;

    /*
     * off stays 8-aligned and total is a multiple of 8, so a tag header
     * either fits completely or off has reached total.
     */
    while (off < p->total) {
        uint32_t type = read_u32(p->base + off);
        uint32_t size = read_u32(p->base + off + 4);
        if (size < MB2_TAG_HEADER_SIZE) {
            return "multiboot2: tag size is smaller than the 8-byte tag header";
        }
        if (size > p->total - off) {
            return past_end_message(type);
        }
        if (type == MB2_TAG_END) {
            if (size != MB2_TAG_HEADER_SIZE) {
                return "multiboot2: tag 0 (end) has a size other than 8";
            }
            return NULL;
        }
        const char *err = parse_tag(p, type, off, size);
        if (err != NULL) {
            return err;
        }
        off += ALIGN_UP((size_t)size, 8);
    }
    return "multiboot2: missing end tag";
}

static const char *check_header(const uint8_t *base, size_t avail)
{
    if (base == NULL) {
        return "multiboot2: information pointer is NULL";
    }
    if (avail < MB2_HEADER_SIZE) {
        return "multiboot2: fewer bytes available than the 8-byte header";
    }
    uint32_t total = read_u32(base);
    if (total < MB2_MIN_TOTAL_SIZE) {
        return "multiboot2: total_size is smaller than 16";
    }
    if (total > avail) {
        return "multiboot2: total_size exceeds the bytes available";
    }
    if (total % 8 != 0) {
        return "multiboot2: total_size is not a multiple of 8";
    }
    return NULL;
}

/* Unused slots are zeroed so a caller never sees stale data from before. */
static void reset_info(mb2_info_t *out, uint32_t total)
{
    out->total_size = total;
    out->cmdline = empty_string;
    out->bootloader = empty_string;
    out->mmap_count = 0;
    out->module_count = 0;
    for (size_t i = 0; i < MB2_MAX_MMAP; i++) {
        out->mmap[i].base = 0;
        out->mmap[i].length = 0;
        out->mmap[i].type = 0;
    }
    for (size_t i = 0; i < MB2_MAX_MODULES; i++) {
        out->modules[i].start = 0;
        out->modules[i].end = 0;
        out->modules[i].cmdline = empty_string;
    }
}

const char *mb2_parse(const void *info, size_t avail, mb2_info_t *out)
{
    const uint8_t *base = info;

    if (out == NULL) {
        return "multiboot2: output pointer is NULL";
    }
    const char *err = check_header(base, avail);
    if (err != NULL) {
        return err;
    }
    mb2_parser_t p = {
        .base = base,
        .total = read_u32(base),
        .out = out,
        .seen_cmdline = false,
        .seen_bootloader = false,
        .seen_mmap = false,
    };
    reset_info(out, (uint32_t)p.total);
    err = parse_tags(&p);
    if (err != NULL) {
        return err;
    }
    if (!p.seen_mmap) {
        return "multiboot2: no memory map tag";
    }
    return NULL;
}
