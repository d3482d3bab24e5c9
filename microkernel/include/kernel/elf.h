/*
 * Validation of static x86_64 ELF executables. The check reads only inside
 * the image it is given and accepts only what a loader can map safely.
 */
#ifndef CAPSULE_KERNEL_ELF_H
#define CAPSULE_KERNEL_ELF_H

#include "kernel/types.h"

#define ELF_MAX_SEGMENTS 16

#define ELF_SEG_READ 0x4u  /* p_flags PF_R */
#define ELF_SEG_WRITE 0x2u /* p_flags PF_W */
#define ELF_SEG_EXEC 0x1u  /* p_flags PF_X */

typedef struct {
    uint64_t vaddr;  /* p_vaddr */
    uint64_t memsz;  /* p_memsz, >= filesz */
    uint64_t offset; /* p_offset in the image */
    uint64_t filesz; /* p_filesz */
    uint32_t flags;  /* ELF_SEG_* */
} elf_segment_t;

typedef struct {
    uint64_t entry;
    size_t segment_count; /* PT_LOAD segments, in ascending vaddr order */
    elf_segment_t segments[ELF_MAX_SEGMENTS];
} elf_image_t;

/*
 * Checks an ET_EXEC x86_64 ELF64 image of `size` bytes and lists its PT_LOAD
 * segments. Every segment lies inside [user_min, user_limit), within the
 * file, page-congruent (vaddr and offset equal modulo 4096), and no two
 * segments touch the same page; the entry point is inside an executable
 * segment. Returns NULL on success or a static message naming the fault.
 */
const char *elf_check(const void *image, size_t size, uint64_t user_min, uint64_t user_limit,
                      elf_image_t *out);

#endif
