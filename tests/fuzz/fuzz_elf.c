/*
 * libFuzzer target for the ELF64 executable checker (kernel/elf.c).
 *
 * The input is copied into a heap buffer of exactly its size so that ASan
 * reports any read past what the checker was told it may read. Whenever the
 * checker accepts an image, every promise elf.h makes about the result is
 * re-checked here and a broken one aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/elf.h"

#define USER_MIN 0x10000ull
#define USER_LIMIT 0x7fffffffe000ull
#define PAGE 4096ull

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

static void check_result(const elf_image_t *out, size_t size)
{
    bool entry_ok = false;

    if (out->segment_count == 0 || out->segment_count > ELF_MAX_SEGMENTS) {
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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static elf_image_t out;
    uint8_t *buf = malloc(size > 0 ? size : 1);

    if (buf == NULL) {
        return 0;
    }
    if (size > 0) {
        memcpy(buf, data, size);
    }
    if (elf_check(buf, size, USER_MIN, USER_LIMIT, &out) == NULL) {
        check_result(&out, size);
    }
    free(buf);
    return 0;
}
