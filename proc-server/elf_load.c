#include "elf_load.h"

#include <errno.h>

#include "text_frames.h"
#include "zero_pages.h"
#include "uapi/objects.h"
#include "uapi/vm.h"

#define LOAD_LIMIT BOOTINFO_VADDR /* the boot-info page and stack lie above */

static unsigned segment_rights(uint32_t flags)
{
    unsigned rights = MAP_READ;
    if (flags & ELF_SEG_WRITE) {
        rights |= MAP_WRITE;
    }
    if (flags & ELF_SEG_EXEC) {
        rights |= MAP_EXEC;
    }
    return rights;
}

/* Whether page `page` of a read-only segment can be the file's own frame:
 * it holds file bytes and needs no zeroed tail (bytes of the file beyond
 * the segment may show in it, as with Linux's mmap). */
static bool page_shareable(const elf_segment_t *seg, uint64_t page, size_t size)
{
    uint64_t file_end = seg->vaddr + seg->filesz;
    int64_t file_offset = (int64_t)seg->offset + (int64_t)(page - seg->vaddr);
    bool needs_zeroing = seg->memsz > seg->filesz && page + PAGE_SIZE > file_end;
    return page < file_end && !needs_zeroing && file_offset >= 0 &&
           (uint64_t)file_offset + PAGE_SIZE <= ALIGN_UP(size, PAGE_SIZE);
}

/* Copies the part of page `page` that the segment's file bytes cover. */
static int copy_page(task_t *t, const elf_segment_t *seg, const uint8_t *image, uint64_t page,
                     unsigned rights)
{
    uint64_t start = page > seg->vaddr ? page : seg->vaddr;
    uint64_t file_end = seg->vaddr + seg->filesz;
    uint64_t end = page + PAGE_SIZE < file_end ? page + PAGE_SIZE : file_end;
    size_t len = end > start ? end - start : 0;
    const uint8_t *src = image + seg->offset + (start - seg->vaddr);
    return task_map_new(t, page, rights, len > 0 ? src : NULL, len, start - page);
}

/* Maps page `index` of the file, shared: from the boot module's frames, or
 * the text cache's (which may have no room: then the page is copied). */
static int share_page(task_t *t, const elf_segment_t *seg, const uint8_t *image, size_t size,
                      const slot_range_t *file_frames, uint64_t page, unsigned rights)
{
    uint64_t index = (seg->offset + (page - seg->vaddr)) / PAGE_SIZE;
    if (file_frames != NULL) {
        return task_map_shared(t, file_frames->first + index, page, rights);
    }
    int err = text_use_map(t->text, t, index, image, size, page, rights);
    return err == -ENOMEM ? copy_page(t, seg, image, page, rights) : err;
}

static int load_segment(task_t *t, const elf_segment_t *seg, const uint8_t *image, size_t size,
                        const slot_range_t *file_frames)
{
    unsigned rights = segment_rights(seg->flags);
    bool shareable = (file_frames != NULL || t->text != NULL) && !(seg->flags & ELF_SEG_WRITE);
    uint64_t end = ALIGN_UP(seg->vaddr + seg->memsz, PAGE_SIZE);
    /* the pages past the file's bytes of a writable segment: all zeros,
     * made on first touch when the task allows it (zero_pages.h) */
    uint64_t zero_from = ALIGN_UP(seg->vaddr + seg->filesz, PAGE_SIZE);
    if (!(seg->flags & ELF_SEG_WRITE) || zero_from >= end) {
        zero_from = end;
    }
    for (uint64_t page = ALIGN_DOWN(seg->vaddr, PAGE_SIZE); page < end; page += PAGE_SIZE) {
        if (page == zero_from && zero_pages_reserve(t, page, (end - page) / PAGE_SIZE, rights)) {
            break;
        }
        int err;
        if (shareable && page_shareable(seg, page, size)) {
            err = share_page(t, seg, image, size, file_frames, page, rights);
        } else {
            err = copy_page(t, seg, image, page, rights);
        }
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

int elf_load(task_t *t, const uint8_t *image, size_t size, const slot_range_t *file_frames,
             const elf_policy_t *policy, elf_image_t *out, const char **why)
{
    static const elf_policy_t exec_only = {USER_MAP_MIN, LOAD_LIMIT, 0, 0};
    *why = elf_check(image, size, policy != NULL ? policy : &exec_only, out);
    if (*why != NULL) {
        return -ENOEXEC;
    }
    t->info->image_frames.first = t->next_slot;
    for (size_t i = 0; i < out->segment_count; i++) {
        const elf_segment_t *seg = &out->segments[i];
        uint64_t first = ALIGN_DOWN(seg->vaddr, PAGE_SIZE);
        t->info->image_segments[i] = (bootinfo_segment_t){
            first, (ALIGN_UP(seg->vaddr + seg->memsz, PAGE_SIZE) - first) / PAGE_SIZE,
            segment_rights(seg->flags)};
        int err = load_segment(t, seg, image, size, file_frames);
        if (err != 0) {
            return err;
        }
    }
    t->info->image_segment_count = out->segment_count;
    t->info->image_frames.count = t->next_slot - t->info->image_frames.first;
    return 0;
}
