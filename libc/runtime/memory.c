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

#include "capsule/remap_args.h"
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
/* Where find_free_run starts: after the last run it found, and moved back
 * down to any page freed below it, so freed space is used again first and
 * the window stays about as large as what is mapped at once. Searching on from the last
 * allocation instead walked the whole 4 GiB window, each 4 MiB of it
 * mapping a metadata page that is never freed: a long-running server
 * (proc-server reads every executable into a fresh buffer) kept gaining
 * frames up to 1 MiB of metadata. */
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
    if (page < search_hint) {
        search_hint = page;
    }
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
    /* an anonymous mapping ignores the offset once it is page-aligned, as Linux */
    if ((type != MAP_PRIVATE && type != MAP_SHARED) || offset % PAGE_SIZE != 0 || (prot & ~7ull) ||
        len == 0) {
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

/* The protection of a reserved page's entry. */
RUNTIME static uint64_t entry_prot(uint32_t entry)
{
    return (entry & ENTRY_PROT_MASK) >> ENTRY_PROT_SHIFT;
}

/* What Linux calls one mapping here: [first, first + pages) all reserved
 * with one protection, in *prot. -EFAULT otherwise (part of it unmapped, or
 * it spans mappings of different protections), as mremap's lookup. */
RUNTIME static int64_t one_mapping(uint64_t addr, uint64_t len, uint64_t *first_out, uint64_t *prot)
{
    uint64_t first, pages;
    if (!window_range(addr, len, &first, &pages)) {
        return -EFAULT;
    }
    for (uint64_t i = 0; i < pages; i++) {
        uint32_t *e = entry_of(first + i, false);
        if (e == NULL || *e == 0 || (i > 0 && entry_prot(*e) != *prot)) {
            return -EFAULT;
        }
        *prot = entry_prot(*e);
    }
    *first_out = first;
    return 0;
}

/* Moves window page `from` (its frame, mapping and entry) to `to`, whose
 * entry exists and is free. */
RUNTIME static bool move_page(uint64_t from, uint64_t to)
{
    uint32_t *src = entry_of(from, false), *dst = entry_of(to, false);
    cptr_t slot = *src & ENTRY_SLOT_MASK;
    uint64_t prot = entry_prot(*src);
    if (slot != CAP_NULL && prot != PROT_NONE) {
        vspace_unmap(CAP_INIT_VSPACE, slot);
        if (vspace_map(CAP_INIT_VSPACE, slot, page_vaddr(to), map_rights(prot)) != KERR_OK) {
            vspace_map(CAP_INIT_VSPACE, slot, page_vaddr(from), map_rights(prot));
            return false;
        }
    }
    *dst = *src;
    *src = 0;
    return true;
}

/* Moves `pages` pages from `from` to the free run at `to`; on failure the
 * moved ones go back and nothing changed. */
RUNTIME static bool move_pages(uint64_t from, uint64_t to, uint64_t pages)
{
    for (uint64_t i = 0; i < pages; i++) {
        if (entry_of(to + i, true) == NULL) {
            return false; /* no metadata page: nothing moved yet */
        }
    }
    for (uint64_t i = 0; i < pages; i++) {
        if (!move_page(from + i, to + i)) {
            while (i-- > 0) {
                move_page(to + i, from + i);
            }
            return false;
        }
    }
    return true;
}

/* Gives [first, first + pages) fresh zero pages of `prot`; on failure
 * releases them again. */
RUNTIME static bool add_pages(uint64_t first, uint64_t pages, uint64_t prot)
{
    for (uint64_t i = 0; i < pages; i++) {
        if (!set_page(first + i, prot)) {
            while (i-- > 0) { /* a failed set_page left its own page free */
                release_page(first + i);
            }
            return false;
        }
    }
    return true;
}

/* A free run of `pages` pages at `*to` (or the fixed one already there);
 * moves the old mapping there and extends it to new_pages. */
RUNTIME static int64_t remap_to(uint64_t old_first, uint64_t old_pages, uint64_t to,
                                uint64_t new_pages, uint64_t prot, bool keep_old)
{
    if (!move_pages(old_first, to, old_pages)) {
        return -ENOMEM;
    }
    if (!add_pages(to + old_pages, new_pages - old_pages, prot)) {
        move_pages(to, old_first, old_pages);
        return -ENOMEM;
    }
    /* MREMAP_DONTUNMAP: the old range stays mapped, empty (fresh zero
     * pages, as an anonymous mapping reads after Linux moved its pages) */
    if (keep_old && !add_pages(old_first, old_pages, prot)) {
        memory_munmap(page_vaddr(to + old_pages), (new_pages - old_pages) * PAGE_SIZE);
        move_pages(to, old_first, old_pages);
        return -ENOMEM;
    }
    return (int64_t)page_vaddr(to);
}

/* The old mapping of mremap: -EFAULT when nothing (or not one mapping) is
 * there; old_len 0 (a duplicate of a shared mapping) is -EINVAL. */
RUNTIME static int64_t remap_source(uint64_t addr, uint64_t old_len, uint64_t *first,
                                    uint64_t *prot)
{
    if (old_len == 0) {
        uint64_t page;
        return window_range(addr, PAGE_SIZE, &page, &(uint64_t){0}) && !page_free(page) ? -EINVAL
                                                                                        : -EFAULT;
    }
    return one_mapping(addr, old_len, first, prot);
}

/* MREMAP_FIXED or MREMAP_DONTUNMAP: always to a new place, as Linux's
 * mremap_to (the destination is unmapped first, the old tail next). */
RUNTIME static int64_t remap_elsewhere(uint64_t addr, remap_lengths_t len, uint64_t flags,
                                       uint64_t new_addr)
{
    uint64_t to = 0, unused;
    if (flags & REMAP_FIXED) {
        if (!window_range(new_addr, len.new_len, &to, &unused)) {
            return -ENOMEM; /* only the mmap window holds the runtime's mappings */
        }
        memory_munmap(new_addr, len.new_len);
    }
    if (len.old_len > len.new_len) {
        memory_munmap(addr + len.new_len, len.old_len - len.new_len);
        len.old_len = len.new_len;
    }
    uint64_t first, prot = 0;
    int64_t err = remap_source(addr, len.old_len, &first, &prot);
    if (err != 0) {
        return err;
    }
    if (!(flags & REMAP_FIXED)) {
        int64_t found = find_free_run(len.new_len / PAGE_SIZE);
        if (found < 0) {
            return -ENOMEM;
        }
        to = (uint64_t)found;
    }
    return remap_to(first, len.old_len / PAGE_SIZE, to, len.new_len / PAGE_SIZE, prot,
                    (flags & REMAP_DONTUNMAP) != 0);
}

RUNTIME int64_t memory_mremap(uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t flags,
                              uint64_t new_addr)
{
    remap_lengths_t len;
    int64_t err = remap_check_args(addr, old_len, new_len, flags, new_addr, USER_LIMIT, &len);
    if (err != 0) {
        return err;
    }
    if (flags & (REMAP_FIXED | REMAP_DONTUNMAP)) {
        return remap_elsewhere(addr, len, flags, new_addr);
    }
    uint64_t first, prot = 0;
    if (len.old_len >= len.new_len) {
        /* shrinking unmaps the tail; what stays must be one mapping */
        if (len.old_len > len.new_len) {
            memory_munmap(addr + len.new_len, len.old_len - len.new_len);
        }
        err = one_mapping(addr, len.new_len, &first, &prot);
        return err != 0 ? err : (int64_t)addr;
    }
    err = remap_source(addr, len.old_len, &first, &prot);
    if (err != 0) {
        return err;
    }
    uint64_t old_pages = len.old_len / PAGE_SIZE, new_pages = len.new_len / PAGE_SIZE;
    uint64_t tail, tail_pages;
    bool room = window_range(addr + len.old_len, len.new_len - len.old_len, &tail, &tail_pages);
    for (uint64_t i = 0; room && i < tail_pages; i++) {
        room = page_free(tail + i);
    }
    if (room) {
        return add_pages(tail, tail_pages, prot) ? (int64_t)addr : -ENOMEM;
    }
    if (!(flags & REMAP_MAYMOVE)) {
        return -ENOMEM; /* cannot grow where it is, and may not move */
    }
    int64_t found = find_free_run(new_pages);
    if (found < 0) {
        return -ENOMEM;
    }
    return remap_to(first, old_pages, (uint64_t)found, new_pages, prot, false);
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

/* Two pages below the entries' window where a private copy is filled. */
#define COPY_FROM (METADATA_BASE - 2 * PAGE_SIZE)
#define COPY_TO (METADATA_BASE - PAGE_SIZE)

/* Makes the image frame in `slot` the process's own if it is shared: the
 * process holds a frame proc-server shares between the processes running
 * the same file through a capability without the Write right. A new frame
 * of its own pool with the same bytes takes the slot, as Linux gives a
 * private file mapping made writable a copy of its own. The slot is left
 * unmapped; false when memory ran out (the slot then holds what it held). */
RUNTIME static bool make_private(cptr_t slot)
{
    uint64_t type, rights, badge;
    if (cnode_identify(CAP_INIT_CNODE, slot, &type, &rights, &badge) != KERR_OK) {
        return false;
    }
    if (rights & RIGHT_WRITE) {
        return true; /* its own already */
    }
    cptr_t copy;
    if (!map_new_frame(COPY_TO, MAP_READ | MAP_WRITE, &copy)) {
        return false;
    }
    vspace_unmap(CAP_INIT_VSPACE, slot);
    bool ok = vspace_map(CAP_INIT_VSPACE, slot, COPY_FROM, MAP_READ) == KERR_OK;
    if (ok) {
        const volatile uint64_t *from = (const volatile uint64_t *)COPY_FROM;
        volatile uint64_t *to = (volatile uint64_t *)COPY_TO;
        for (uint64_t i = 0; i < PAGE_SIZE / sizeof(uint64_t); i++) {
            to[i] = from[i];
        }
        vspace_unmap(CAP_INIT_VSPACE, slot);
    }
    vspace_unmap(CAP_INIT_VSPACE, copy);
    if (ok) {
        cnode_delete(CAP_INIT_CNODE, slot);
        ok = cnode_move(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, copy) == KERR_OK;
    }
    cnode_delete(CAP_INIT_CNODE, copy); /* empty after the move */
    slot_free(copy);
    return ok;
}

/* A page of the image's .bss a POSIX process has not touched yet has an
 * empty slot: proc-server makes the page on its first fault
 * (proc-server/zero_pages.h). Touching it makes it, so that its protection
 * can change (PROT_NONE included). */
RUNTIME static void make_present(uint64_t page, cptr_t slot)
{
    uint64_t type, rights, badge;
    if (cnode_identify(CAP_INIT_CNODE, slot, &type, &rights, &badge) == KERR_OK &&
        type == OBJ_NULL) {
        (void)*(volatile const uint8_t *)page;
    }
}

/* mprotect of the program's own image (glibc protects its RELRO this way):
 * the frames stay, their mappings change; a shared page made writable
 * becomes a private copy first. */
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
        make_present(page, slot);
        if ((prot & PROT_WRITE) && !make_private(slot)) {
            return -ENOMEM;
        }
        vspace_unmap(CAP_INIT_VSPACE, slot);
        if (prot != PROT_NONE &&
            vspace_map(CAP_INIT_VSPACE, slot, page, map_rights(prot)) != KERR_OK) {
            return -EACCES;
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
