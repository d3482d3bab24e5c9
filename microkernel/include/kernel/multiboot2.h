/*
 * Multiboot2 boot information, parsed into a fixed structure.
 *
 * The parser reads only inside the `avail` bytes it is given and rejects any
 * malformed tag list with a message naming what was wrong.
 */
#ifndef CAPSULE_KERNEL_MULTIBOOT2_H
#define CAPSULE_KERNEL_MULTIBOOT2_H

#include "kernel/types.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u
#define MB2_MAX_MMAP 64
#define MB2_MAX_MODULES 16

#define MB2_MEMORY_AVAILABLE 1

typedef struct {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* MB2_MEMORY_AVAILABLE, or another multiboot2 type */
} mb2_mmap_entry_t;

typedef struct {
    uint64_t start;      /* physical, first byte */
    uint64_t end;        /* physical, one past the last byte */
    const char *cmdline; /* NUL-terminated, points into the parsed information */
} mb2_module_t;

typedef struct {
    uint32_t total_size;
    const char *cmdline;    /* "" when GRUB gave none */
    const char *bootloader; /* "" when GRUB gave none */
    size_t mmap_count;
    mb2_mmap_entry_t mmap[MB2_MAX_MMAP];
    size_t module_count;
    mb2_module_t modules[MB2_MAX_MODULES];
} mb2_info_t;

/*
 * Parses the multiboot2 information at `info`, of which `avail` bytes may be
 * read. Returns NULL and fills `out` on success, or a static message naming
 * the first malformation (with `out` unspecified).
 */
const char *mb2_parse(const void *info, size_t avail, mb2_info_t *out);

#endif
