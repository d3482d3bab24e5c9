/*
 * libFuzzer target for the multiboot2 information parser (kernel/multiboot2.c).
 *
 * The input is copied into a heap buffer of exactly its size so that ASan
 * reports any read past what the parser was told it may read.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/multiboot2.h"

/* strlen reads every byte up to the NUL, so ASan sees an unterminated string. */
static void walk_string(const char *s, const uint8_t *buf, size_t size)
{
    if (s == NULL) {
        abort();
    }
    size_t len = strlen(s);
    /* Non-empty strings can only come from the information itself. */
    if (len > 0 && ((const uint8_t *)s < buf || (const uint8_t *)s + len >= buf + size)) {
        abort();
    }
}

static void check_result(const mb2_info_t *out, const uint8_t *buf, size_t size)
{
    if (out->mmap_count == 0 || out->mmap_count > MB2_MAX_MMAP) {
        abort();
    }
    if (out->module_count > MB2_MAX_MODULES) {
        abort();
    }
    if (out->total_size > size) {
        abort();
    }
    walk_string(out->cmdline, buf, size);
    walk_string(out->bootloader, buf, size);
    for (size_t i = 0; i < out->module_count; i++) {
        if (out->modules[i].start > out->modules[i].end) {
            abort();
        }
        walk_string(out->modules[i].cmdline, buf, size);
    }
    for (size_t i = 0; i < out->mmap_count; i++) {
        if (out->mmap[i].length > UINT64_MAX - out->mmap[i].base) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mb2_info_t out;
    uint8_t *buf = malloc(size > 0 ? size : 1);

    if (buf == NULL) {
        return 0;
    }
    if (size > 0) {
        memcpy(buf, data, size);
    }
    if (mb2_parse(buf, size, &out) == NULL) {
        check_result(&out, buf, size);
    }
    free(buf);
    return 0;
}
