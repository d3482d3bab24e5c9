/*
 * libFuzzer target for the ELF64 executable checker (lib/elf.c).
 *
 * The input is copied into a heap buffer of exactly its size so that ASan
 * reports any read past what the checker was told it may read. Each input is
 * checked twice: under the kernel's policy (ET_EXEC only) and under
 * proc-server's (static-PIE too, placed at a dyn_base taken from the input).
 * Whenever the checker accepts an image, every promise elf.h makes about the
 * result is re-checked here and a broken one aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/elf.h"

#define USER_MIN 0x10000ull
#define USER_LIMIT 0x7fffffffe000ull
#define PAGE 4096ull
#define DYN_BASE 0x555555554000ull

static void check_segment(const elf_segment_t *seg, size_t size)
{
    if (seg->memsz == 0 || seg->filesz > seg->memsz) {
        abort();
    }
    if (seg->offset > size || seg->filesz > size - seg->offset) {
        abort();
    }
    if (seg->vaddr % PAGE != seg->offset % PAGE) {
        abort();
    }
    if (seg->memsz > UINT64_MAX - seg->vaddr) {
        abort();
    }
    uint64_t end = seg->vaddr + seg->memsz;
    if (ALIGN_DOWN(seg->vaddr, PAGE) < USER_MIN || end > USER_LIMIT ||
        ALIGN_UP(end, PAGE) > USER_LIMIT) {
        abort();
    }
    if ((seg->flags & ~(ELF_SEG_READ | ELF_SEG_WRITE | ELF_SEG_EXEC)) != 0) {
        abort();
    }
}

/* The program header table is in memory where AT_PHDR says, copied from the file. */
static void check_phdr(const elf_image_t *out, const uint8_t *buf)
{
    uint64_t phoff;
    memcpy(&phoff, buf + 32, 8);
    for (size_t i = 0; i < out->segment_count; i++) {
        const elf_segment_t *seg = &out->segments[i];
        uint64_t in_seg = out->phdr - seg->vaddr;
        if (out->phdr >= seg->vaddr && in_seg <= seg->filesz &&
            (uint64_t)out->phnum * 56 <= seg->filesz - in_seg && seg->offset + in_seg == phoff) {
            return;
        }
    }
    abort();
}

static void check_result(const elf_image_t *out, const uint8_t *buf, size_t size,
                         const elf_policy_t *policy)
{
    bool entry_ok = false;
    uint64_t e_entry;

    if (out->segment_count == 0 || out->segment_count > ELF_MAX_SEGMENTS) {
        abort();
    }
    if (out->phent != 56 || out->phnum == 0 || out->phnum > 64) {
        abort();
    }
    if (out->type == ELF_TYPE_EXEC
            ? out->bias != 0
            : (policy->flags & ELF_ACCEPT_DYN) == 0 ||
                  ALIGN_DOWN(out->segments[0].vaddr, PAGE) < policy->dyn_base) {
        abort();
    }
    memcpy(&e_entry, buf + 24, 8);
    if (out->entry != e_entry + out->bias) {
        abort();
    }
    for (size_t i = 0; i < out->segment_count; i++) {
        const elf_segment_t *seg = &out->segments[i];
        check_segment(seg, size);
        if (i > 0) {
            const elf_segment_t *prev = &out->segments[i - 1];
            /* Sorted, and no page holds bytes of two segments. */
            if (prev->vaddr >= seg->vaddr ||
                ALIGN_UP(prev->vaddr + prev->memsz, PAGE) > ALIGN_DOWN(seg->vaddr, PAGE)) {
                abort();
            }
        }
        if ((seg->flags & ELF_SEG_EXEC) != 0 && out->entry >= seg->vaddr &&
            out->entry - seg->vaddr < seg->memsz) {
            entry_ok = true;
        }
    }
    if (!entry_ok) {
        abort();
    }
    check_phdr(out, buf);
}

static void check_with(const uint8_t *buf, size_t size, const elf_policy_t *policy)
{
    static elf_image_t out;

    if (elf_check(buf, size, policy, &out) == NULL) {
        check_result(&out, buf, size, policy);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const elf_policy_t exec_only = {USER_MIN, USER_LIMIT, 0, 0};
    elf_policy_t with_dyn = {USER_MIN, USER_LIMIT, DYN_BASE, ELF_ACCEPT_DYN};
    uint8_t *buf = malloc(size > 0 ? size : 1);

    if (buf == NULL) {
        return 0;
    }
    if (size > 0) {
        memcpy(buf, data, size);
    }
    check_with(buf, size, &exec_only);
    check_with(buf, size, &with_dyn);
    /* Bytes 8..15 of e_ident are padding the checker ignores: a dyn_base to try. */
    if (size >= 16) {
        memcpy(&with_dyn.dyn_base, buf + 8, 8);
        check_with(buf, size, &with_dyn);
    }
    free(buf);
    return 0;
}
