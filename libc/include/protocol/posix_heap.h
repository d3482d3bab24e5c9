/*
 * Where a process's heap lives: from the first page above its program's
 * image up to the program break. proc-server maps its pages on first touch
 * (proc-server/heap.h), and the pages of the image's writable segments past
 * their file bytes (.bss, proc-server/zero_pages.h) too, so, as for the
 * stack (posix_stack.h), whoever lends a buffer that may lie there touches
 * its pages first: a server's copy takes no fault.
 */
#ifndef CAPSULE_PROTOCOL_POSIX_HEAP_H
#define CAPSULE_PROTOCOL_POSIX_HEAP_H

#include <stdint.h>

#include "uapi/bootinfo.h"
#include "uapi/objects.h"

/* The heap's first page: above every segment of the program's image. */
static inline uint64_t posix_heap_start(const bootinfo_t *bi)
{
    uint64_t end = 0;
    for (uint64_t i = 0; i < bi->image_segment_count && i < BOOTINFO_MAX_SEGMENTS; i++) {
        const bootinfo_segment_t *seg = &bi->image_segments[i];
        if (seg->vaddr + seg->pages * 0x1000 > end) {
            end = seg->vaddr + seg->pages * 0x1000;
        }
    }
    return end;
}

/* Touches every page of [addr, addr + len) that lies in the heap
 * [start, brk). */
static inline void posix_heap_touch(uint64_t addr, uint64_t len, uint64_t start, uint64_t brk)
{
    uint64_t end = addr + len, top = (brk + 0xfff) & ~0xfffull;
    if (len == 0 || end < addr || addr >= top || end <= start) {
        return;
    }
    uint64_t from = addr > start ? addr : start, to = end < top ? end : top;
    for (uint64_t page = from & ~0xfffull; page < to; page += 0x1000) {
        (void)*(volatile const uint8_t *)page;
    }
}

/* Touches every page of [addr, addr + len) that lies in a writable segment
 * of the program's image. */
static inline void posix_image_touch(const bootinfo_t *bi, uint64_t addr, uint64_t len)
{
    for (uint64_t i = 0; i < bi->image_segment_count && i < BOOTINFO_MAX_SEGMENTS; i++) {
        const bootinfo_segment_t *seg = &bi->image_segments[i];
        if (seg->rights & MAP_WRITE) {
            posix_heap_touch(addr, len, seg->vaddr, seg->vaddr + seg->pages * 0x1000);
        }
    }
}

#endif
