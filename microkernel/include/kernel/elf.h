/*
 * Validation of static x86_64 ELF executables, shared by the kernel (which
 * loads the root task) and proc-server (which loads every program). The check
 * reads only inside the image it is given, accepts only what a loader can map
 * safely, and reports everything the loader and the initial stack need.
 * Freestanding: no allocation, no libc beyond <stdint.h> and friends.
 */
#ifndef CAPSULE_KERNEL_ELF_H
#define CAPSULE_KERNEL_ELF_H

#include "kernel/types.h"

#define ELF_MAX_SEGMENTS 16

#define ELF_SEG_READ 0x4u  /* p_flags PF_R */
#define ELF_SEG_WRITE 0x2u /* p_flags PF_W */
#define ELF_SEG_EXEC 0x1u  /* p_flags PF_X */

#define ELF_TYPE_EXEC 2u /* ET_EXEC: runs at the addresses it names */
#define ELF_TYPE_DYN 3u  /* ET_DYN without PT_INTERP: static-PIE, placed at a bias */

#define ELF_PHENT_SIZE 56u /* AT_PHENT: the only e_phentsize accepted */

/* elf_policy_t.flags */
#define ELF_ACCEPT_DYN 0x1u /* accept static-PIE (ET_DYN); otherwise ET_EXEC only */

/* Where an image may go. */
typedef struct {
    uint64_t user_min;   /* no mapped page below this */
    uint64_t user_limit; /* no mapped page at or above this (the kernel half) */
    uint64_t dyn_base;   /* ET_DYN: the image's first page goes here, rounded up to its p_align */
    uint32_t flags;      /* ELF_ACCEPT_* */
} elf_policy_t;

typedef struct {
    uint64_t vaddr;  /* p_vaddr + bias */
    uint64_t memsz;  /* p_memsz, >= filesz */
    uint64_t offset; /* p_offset in the image */
    uint64_t filesz; /* p_filesz */
    uint32_t flags;  /* ELF_SEG_* */
} elf_segment_t;

typedef struct {
    uint32_t type;        /* ELF_TYPE_EXEC or ELF_TYPE_DYN */
    uint64_t bias;        /* added (modulo 2^64) to every p_vaddr and e_entry; 0 for ET_EXEC */
    uint64_t entry;       /* e_entry + bias: AT_ENTRY and the first rip */
    uint64_t phdr;        /* AT_PHDR: where the program header table is once loaded */
    uint32_t phnum;       /* AT_PHNUM: e_phnum */
    uint32_t phent;       /* AT_PHENT: e_phentsize, always ELF_PHENT_SIZE */
    bool stack_exec;      /* PT_GNU_STACK asks for an executable stack */
    size_t segment_count; /* PT_LOAD segments, in ascending vaddr order */
    elf_segment_t segments[ELF_MAX_SEGMENTS];
} elf_image_t;

/*
 * Checks an x86_64 ELF64 executable of `size` bytes against `policy` and
 * describes it in `out`. Accepted: ET_EXEC, and ET_DYN when the policy has
 * ELF_ACCEPT_DYN; never an image with PT_INTERP (dynamically linked).
 * On success every segment, after the bias, lies inside
 * [user_min, user_limit) rounded out to whole pages, within the file,
 * page-congruent (vaddr and offset equal modulo 4096); no two segments
 * touch the same page; the entry point is inside an executable segment; the
 * program header table lies inside the file-backed part of one segment
 * (PT_PHDR names where, else the segment whose file range holds e_phoff).
 * Returns NULL on success or a static message naming the fault; on failure
 * `out` holds nothing useful.
 */
const char *elf_check(const void *image, size_t size, const elf_policy_t *policy, elf_image_t *out);

#endif
