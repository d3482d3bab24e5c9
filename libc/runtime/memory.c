/*
 * Anonymous memory of a server: mmap, munmap, mprotect over a 4 GiB window
 * of its address space, one Frame from its own pool per page.
 *
 * Each page of the window has a 32-bit entry: whether it is reserved, its
 * protection and the slot of its frame (none while it is PROT_NONE). The
 * entries live in pages of their own, mapped on demand in a metadata
 * window, so a server that maps little pays little.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>

#include "capsule/slots.h"
#include "runtime.h"
#include "uapi/objects.h"
#include "uapi/vm.h"

#define WINDOW_BASE 0x100000000000ull
#define WINDOW_PAGES (1ull << 20)
#define ENTRIES_PER_CHUNK (PAGE_SIZE / sizeof(uint32_t))
#define CHUNK_COUNT (WINDOW_PAGES / ENTRIES_PER_CHUNK)
#define METADATA_BASE 0x0f0000000000ull

#define ENTRY_RESERVED (1u << 31)
#define ENTRY_PROT_SHIFT 24
#define ENTRY_PROT_MASK (7u << ENTRY_PROT_SHIFT)
#define ENTRY_SLOT_MASK 0xffffffu

static bool chunk_mapped[CHUNK_COUNT];
static uint64_t search_hint;
static uint64_t program_break;
static const bootinfo_t *image_info; /* the program's segments and their frames */

RUNTIME static uint32_t *chunk_entries(uint64_t chunk)
{
    return (uint32_t *)(METADATA_BASE + chunk * PAGE_SIZE);
}

RUNTIME static bool map_new_frame(uint64_t vaddr, unsigned rights, cptr_t *slot_out)
{
    cptr_t slot = slot_alloc();
    if (slot == CAP_NULL) {
        return false;
    }
    if (pool_create(CAP_INIT_POOL, OBJ_FRAME, 0, CAP_INIT_CNODE, slot) != KERR_OK) {
        slot_free(slot);
        return false;
    }
    if (vspace_map(CAP_INIT_VSPACE, slot, vaddr, rights) != KERR_OK) {
        cnode_delete(CAP_INIT_CNODE, slot);
        slot_free(slot);
        return false;
    }
    *slot_out = slot;
    return true;
}

/* The entry of window page `page`; NULL if its chunk is not mapped and
 * `create` is false or memory ran out. */
RUNTIME static uint32_t *entry_of(uint64_t page, bool create)
{
    uint64_t chunk = page / ENTRIES_PER_CHUNK;
    if (!chunk_mapped[chunk]) {
        cptr_t unused;
        if (!create ||
            !map_new_frame((uint64_t)chunk_entries(chunk), MAP_READ | MAP_WRITE, &unused)) {
            return NULL;
        }
        chunk_mapped[chunk] = true;
    }
    return &chunk_entries(chunk)[page % ENTRIES_PER_CHUNK];
}

RUNTIME static bool page_free(uint64_t page)
{
    uint32_t *e = entry_of(page, false);
    return e == NULL || *e == 0;
}

RUNTIME static unsigned map_rights(uint64_t prot)
{
    unsigned rights = MAP_READ;
    if (prot & PROT_WRITE) {
        rights |= MAP_WRITE;
    }
    if (prot & PROT_EXEC) {
        rights |= MAP_EXEC;
    }
    return rights;
}

RUNTIME static uint64_t page_vaddr(uint64_t page)
{
    return WINDOW_BASE + page * PAGE_SIZE;
}

/* Gives a reserved page the protection `prot`, with a frame unless it is
 * PROT_NONE. The frame keeps its contents across protection changes. */
RUNTIME static bool set_page(uint64_t page, uint64_t prot)
{
    uint32_t *e = entry_of(page, true);
    if (e == NULL) {
        return false;
    }
    cptr_t slot = *e & ENTRY_SLOT_MASK;
    if (slot != CAP_NULL) {
        vspace_unmap(CAP_INIT_VSPACE, slot);
        if (prot != PROT_NONE &&
            vspace_map(CAP_INIT_VSPACE, slot, page_vaddr(page), map_rights(prot)) != KERR_OK) {
            return false;
        }
    } else if (prot != PROT_NONE && !map_new_frame(page_vaddr(page), map_rights(prot), &slot)) {
        return false;
    }
    *e = ENTRY_RESERVED | (uint32_t)(prot << ENTRY_PROT_SHIFT) | (uint32_t)slot;
    return true;
}

RUNTIME static void release_page(uint64_t page)
{
    uint32_t *e = entry_of(page, false);
    if (e == NULL || *e == 0) {
        return;
    }
    cptr_t slot = *e & ENTRY_SLOT_MASK;
    if (slot != CAP_NULL) {
        vspace_unmap(CAP_INIT_VSPACE, slot);
        cnode_delete(CAP_INIT_CNODE, slot);
        slot_free(slot);
    }
    *e = 0;
}

RUNTIME static int64_t find_free_run(uint64_t pages)
{
    for (uint64_t tried = 0, start = search_hint; tried < WINDOW_PAGES;) {
        if (start + pages > WINDOW_PAGES) {
            tried += WINDOW_PAGES - start;
            start = 0;
            continue;
        }
        uint64_t n = 0;
        while (n < pages && page_free(start + n)) {
            n++;
        }
        if (n == pages) {
            search_hint = start + pages;
            return (int64_t)start;
        }
        tried += n + 1;
        start += n + 1;
    }
    return -1;
}

/* Turns [addr, addr+len) into window pages; false if it is not inside. */
RUNTIME static bool window_range(uint64_t addr, uint64_t len, uint64_t *first, uint64_t *pages)
{
    if (addr % PAGE_SIZE != 0 || len == 0 || len > WINDOW_PAGES * PAGE_SIZE) {
        return false;
    }
    uint64_t n = (len + PAGE_SIZE - 1) / PAGE_SIZE;
    if (addr < WINDOW_BASE || (addr - WINDOW_BASE) / PAGE_SIZE + n > WINDOW_PAGES) {
        return false;
    }
    *first = (addr - WINDOW_BASE) / PAGE_SIZE;
    *pages = n;
    return true;
}

RUNTIME int64_t memory_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd,
                            uint64_t offset)
{
    (void)fd;
    if (!(flags & MAP_ANONYMOUS)) {
        return -ENODEV; /* a server has no files to map */
    }
    uint64_t type = flags & MAP_TYPE;
    if ((type != MAP_PRIVATE && type != MAP_SHARED) || offset != 0 || (prot & ~7ull) || len == 0) {
        return -EINVAL;
    }
    uint64_t first, pages;
    if (flags & MAP_FIXED) {
        if (!window_range(addr, len, &first, &pages)) {
            return addr % PAGE_SIZE != 0 ? -EINVAL : -ENOMEM;
        }
        memory_munmap(addr, len);
    } else {
        if (len > WINDOW_PAGES * PAGE_SIZE) {
            return -ENOMEM;
        }
        pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
        int64_t found = find_free_run(pages);
        if (found < 0) {
            return -ENOMEM;
        }
        first = (uint64_t)found;
    }
    for (uint64_t i = 0; i < pages; i++) {
        if (!set_page(first + i, prot)) {
            memory_munmap(page_vaddr(first), i * PAGE_SIZE);
            return -ENOMEM;
        }
    }
    return (int64_t)page_vaddr(first);
}

RUNTIME int64_t memory_munmap(uint64_t addr, uint64_t len)
{
    uint64_t first, pages;
    if (addr % PAGE_SIZE != 0 || len == 0) {
        return -EINVAL;
    }
    if (!window_range(addr, len, &first, &pages)) {
        return 0; /* nothing of ours is mapped there */
    }
    for (uint64_t i = 0; i < pages; i++) {
        release_page(first + i);
    }
    return 0;
}

/* The slot of the image frame mapped at `page`, or CAP_NULL: the loader
 * hands the frames over segment after segment, page after page. */
RUNTIME static cptr_t image_frame_at(uint64_t page)
{
    uint64_t index = 0;
    for (uint64_t i = 0; image_info != NULL && i < image_info->image_segment_count; i++) {
        const bootinfo_segment_t *seg = &image_info->image_segments[i];
        if (page >= seg->vaddr && page < seg->vaddr + seg->pages * PAGE_SIZE) {
            index += (page - seg->vaddr) / PAGE_SIZE;
            return index < image_info->image_frames.count ? image_info->image_frames.first + index
                                                          : CAP_NULL;
        }
        index += seg->pages;
    }
    return CAP_NULL;
}

/* mprotect of the program's own image (glibc protects its RELRO this way):
 * the frames stay, their mappings change. */
RUNTIME static int64_t image_mprotect(uint64_t addr, uint64_t len, uint64_t prot)
{
    uint64_t end = addr + ((len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    for (uint64_t page = addr; page < end; page += PAGE_SIZE) {
        if (image_frame_at(page) == CAP_NULL) {
            return -ENOMEM;
        }
    }
    for (uint64_t page = addr; page < end; page += PAGE_SIZE) {
        cptr_t slot = image_frame_at(page);
        vspace_unmap(CAP_INIT_VSPACE, slot);
        if (prot != PROT_NONE &&
            vspace_map(CAP_INIT_VSPACE, slot, page, map_rights(prot)) != KERR_OK) {
            return -EACCES; /* e.g. write access to a frame shared read-only */
        }
    }
    return 0;
}

void memory_set_image(const bootinfo_t *bi)
{
    image_info = bi;
}

RUNTIME int64_t memory_mprotect(uint64_t addr, uint64_t len, uint64_t prot)
{
    uint64_t first, pages;
    if (addr % PAGE_SIZE != 0 || (prot & ~7ull)) {
        return -EINVAL;
    }
    if (len == 0) {
        return 0;
    }
    if (!window_range(addr, len, &first, &pages)) {
        return image_mprotect(addr, len, prot);
    }
    for (uint64_t i = 0; i < pages; i++) {
        if (page_free(first + i)) {
            return -ENOMEM; /* Linux: part of the range is not mapped */
        }
    }
    for (uint64_t i = 0; i < pages; i++) {
        if (!set_page(first + i, prot)) {
            return -ENOMEM;
        }
    }
    return 0;
}

void memory_set_break(uint64_t end)
{
    program_break = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* The heap is mmap'd: the break never moves, which brk reports by returning
 * the current break (brk never returns an error code). musl's and glibc's
 * malloc fall back to mmap. */
RUNTIME int64_t memory_brk(uint64_t addr)
{
    (void)addr;
    return (int64_t)program_break;
}
