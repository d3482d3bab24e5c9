/*
 * Physical frame allocator. It owns two bitmaps with one bit per 4 KiB frame
 * from physical 0 to the highest usable end: `used` (set: allocated, reserved
 * or not RAM; this is what allocation searches) and `allocated` (set: handed
 * out by frame_alloc; this is what frame_free checks, so freeing a reserved
 * or never-allocated frame panics instead of silently opening it up). Both
 * live in RAM taken for them at init, reached through the direct map. It also
 * owns the free/total counters and the next-search hint.
 * Callers serialise access; there is no lock here.
 */
#include "kernel/frame_alloc.h"
#include "kernel/memory.h"
#include "kernel/panic.h"
#include "kernel/string.h"

/* The first MiB holds BIOS data, legacy ROM and the AP trampoline; never hand it out. */
#define LOW_MEMORY_FRAMES (0x100000ull >> FRAME_SHIFT)
#define WORD_BITS 64
#define NO_FRAME SIZE_MAX

static uint64_t *used;
static uint64_t *allocated;
static size_t frame_count; /* frames covered by the bitmaps */
static size_t bitmap_first;
static size_t bitmap_frames;
static size_t free_frames;
static size_t total_frames;
static size_t next_search; /* where the next search starts, so allocation need not rescan from 0 */

static bool bit(const uint64_t *map, size_t f)
{
    return (map[f / WORD_BITS] >> (f % WORD_BITS)) & 1;
}

static void set_bits(uint64_t *map, size_t first, size_t end, bool value)
{
    for (size_t f = first; f < end; f++) {
        if (value)
            map[f / WORD_BITS] |= 1ull << (f % WORD_BITS);
        else
            map[f / WORD_BITS] &= ~(1ull << (f % WORD_BITS));
    }
}

/* The counters follow the used bitmap, so ranges may overlap freely. */
static void mark_free(size_t first, size_t end)
{
    for (size_t f = first; f < end; f++) {
        if (bit(used, f)) {
            set_bits(used, f, f + 1, false);
            free_frames++;
        }
    }
}

static void mark_used(size_t first, size_t end)
{
    for (size_t f = first; f < end; f++) {
        if (!bit(used, f)) {
            set_bits(used, f, f + 1, true);
            free_frames--;
        }
    }
}

/* First frame in [f, limit) whose bit in `map` equals `value`, or `limit`.
 * Skips whole words so long uniform stretches cost one load per 64 frames. */
static size_t find_bit(const uint64_t *map, size_t f, size_t limit, bool value)
{
    while (f < limit) {
        uint64_t word = value ? map[f / WORD_BITS] : ~map[f / WORD_BITS];
        uint64_t candidates = word & (~0ull << (f % WORD_BITS));

        if (candidates != 0) {
            size_t hit = f - f % WORD_BITS + (size_t)__builtin_ctzll(candidates);
            return hit < limit ? hit : limit;
        }
        f = f - f % WORD_BITS + WORD_BITS;
    }
    return limit;
}

/* First fit: lowest run of `count` free frames lying wholly in [from, limit). */
static size_t find_run(size_t from, size_t limit, size_t count)
{
    size_t f = from;

    while (f < limit) {
        f = find_bit(used, f, limit, false);
        if (limit - f < count)
            return NO_FRAME;
        size_t taken = find_bit(used, f, f + count, true);
        if (taken == f + count)
            return f;
        f = taken + 1;
    }
    return NO_FRAME;
}

/* Whole frames inside a usable range: the start rounds up and the end down,
 * because a partial frame is not entirely RAM. */
static bool usable_span(const phys_range_t *r, size_t *first, size_t *end)
{
    uint64_t top = ALIGN_DOWN(r->base + r->length, FRAME_SIZE);

    /* base <= top keeps ALIGN_UP(base) from wrapping past 2^64. */
    if (r->base > top || ALIGN_UP(r->base, FRAME_SIZE) >= top)
        return false;
    *first = ALIGN_UP(r->base, FRAME_SIZE) >> FRAME_SHIFT;
    *end = top >> FRAME_SHIFT;
    return true;
}

/* Frames touched by a reserved range: any partial frame counts as reserved. */
static void reserved_span(const phys_range_t *r, size_t *first, size_t *end)
{
    uint64_t top = r->base + r->length;

    if (r->length == 0) {
        *first = *end = 0;
        return;
    }
    *first = r->base >> FRAME_SHIFT;
    *end = (top >> FRAME_SHIFT) + ((top & (FRAME_SIZE - 1)) != 0);
}

static const char *check_ranges(const phys_range_t *ranges, size_t count, const char *overflow)
{
    if (ranges == NULL && count != 0)
        return "frame_alloc: range list is NULL";
    for (size_t i = 0; i < count; i++) {
        if (ranges[i].length > UINT64_MAX - ranges[i].base)
            return overflow;
    }
    return NULL;
}

static bool overlaps_reserved(size_t first, size_t end, const phys_range_t *reserved,
                              size_t reserved_count, size_t *skip_to)
{
    for (size_t i = 0; i < reserved_count; i++) {
        size_t r_first;
        size_t r_end;

        reserved_span(&reserved[i], &r_first, &r_end);
        if (r_first < end && first < r_end) {
            *skip_to = r_end;
            return true;
        }
    }
    return false;
}

/* The bitmaps go in the first usable stretch above 1 MiB that no reserved
 * range touches; each clash moves the candidate past that reservation, so the
 * search always moves forward and ends. */
static bool place_bitmap(const phys_range_t *usable, size_t usable_count,
                         const phys_range_t *reserved, size_t reserved_count)
{
    for (size_t i = 0; i < usable_count; i++) {
        size_t first;
        size_t end;

        if (!usable_span(&usable[i], &first, &end))
            continue;
        size_t f = first > LOW_MEMORY_FRAMES ? first : LOW_MEMORY_FRAMES;
        size_t skip_to;

        while (f < end && end - f >= bitmap_frames) {
            if (!overlaps_reserved(f, f + bitmap_frames, reserved, reserved_count, &skip_to)) {
                bitmap_first = f;
                return true;
            }
            f = skip_to;
        }
    }
    return false;
}

static void reset_state(void)
{
    used = NULL;
    allocated = NULL;
    frame_count = 0;
    bitmap_first = 0;
    bitmap_frames = 0;
    free_frames = 0;
    total_frames = 0;
    next_search = 0;
}

static size_t highest_usable_frame(const phys_range_t *usable, size_t usable_count)
{
    size_t top = 0;

    for (size_t i = 0; i < usable_count; i++) {
        size_t first;
        size_t end;

        if (usable_span(&usable[i], &first, &end) && end > top)
            top = end;
    }
    return top;
}

/* Everything starts used (holes between ranges are not RAM, and the spare
 * bits past frame_count must never look free); then RAM is opened up and what
 * must not be handed out is closed again. Nothing starts allocated. */
static void fill_bitmaps(const phys_range_t *usable, size_t usable_count,
                         const phys_range_t *reserved, size_t reserved_count, size_t words)
{
    memset(used, 0xff, words * sizeof(uint64_t));
    memset(allocated, 0, words * sizeof(uint64_t));
    for (size_t i = 0; i < usable_count; i++) {
        size_t first;
        size_t end;

        if (usable_span(&usable[i], &first, &end))
            mark_free(first, end);
    }
    for (size_t i = 0; i < reserved_count; i++) {
        size_t first;
        size_t end;

        reserved_span(&reserved[i], &first, &end);
        mark_used(first, end < frame_count ? end : frame_count);
    }
    mark_used(0, LOW_MEMORY_FRAMES < frame_count ? LOW_MEMORY_FRAMES : frame_count);
    mark_used(bitmap_first, bitmap_first + bitmap_frames);
}

const char *frame_alloc_init(const phys_range_t *usable, size_t usable_count,
                             const phys_range_t *reserved, size_t reserved_count)
{
    const char *err;

    /* A failed init leaves an allocator that has nothing to give. */
    reset_state();
    err = check_ranges(usable, usable_count, "frame_alloc: usable range overflows 64 bits");
    if (err != NULL)
        return err;
    err = check_ranges(reserved, reserved_count, "frame_alloc: reserved range overflows 64 bits");
    if (err != NULL)
        return err;

    frame_count = highest_usable_frame(usable, usable_count);
    if (frame_count == 0)
        return "frame_alloc: no usable memory";

    size_t words = (frame_count + WORD_BITS - 1) / WORD_BITS;

    /* Two bitmaps back to back: used, then allocated. */
    bitmap_frames = (2 * words * sizeof(uint64_t) + FRAME_SIZE - 1) / FRAME_SIZE;
    if (!place_bitmap(usable, usable_count, reserved, reserved_count)) {
        reset_state();
        return "frame_alloc: no unreserved memory above 1 MiB for the frame bitmap";
    }
    used = phys_to_virt((paddr_t)bitmap_first << FRAME_SHIFT);
    allocated = used + words;
    fill_bitmaps(usable, usable_count, reserved, reserved_count, words);

    if (free_frames == 0) {
        reset_state();
        return "frame_alloc: no usable memory outside the reserved ranges";
    }
    total_frames = free_frames;
    return NULL;
}

paddr_t frame_alloc(size_t count)
{
    if (count == 0 || count > free_frames)
        return 0;

    size_t start = find_run(next_search, frame_count, count);

    /* Wrap once: runs starting below the hint end before hint + count. */
    if (start == NO_FRAME) {
        size_t limit = next_search + count - 1;
        start = find_run(0, limit < frame_count ? limit : frame_count, count);
    }
    if (start == NO_FRAME)
        return 0;

    mark_used(start, start + count);
    set_bits(allocated, start, start + count, true);
    next_search = start + count;

    /* Frame 0 is in the first MiB, which is always used, so 0 can mean failure. */
    paddr_t pa = (paddr_t)start << FRAME_SHIFT;
    memset(phys_to_virt(pa), 0, count * FRAME_SIZE);
    return pa;
}

void frame_free(paddr_t base, size_t count)
{
    if (count == 0)
        return;
    ASSERT(IS_ALIGNED(base, FRAME_SIZE));

    size_t first = base >> FRAME_SHIFT;

    ASSERT(first < frame_count && count <= frame_count - first);
    /* Every frame must have come from frame_alloc: anything else is a double
     * free or a reserved frame. Checked before changing anything so the
     * bitmaps are intact for the panic. */
    ASSERT(find_bit(allocated, first, first + count, false) == first + count);

    set_bits(allocated, first, first + count, false);
    mark_free(first, first + count);
    /* Reuse the lowest freed frame first: it is likely still in the cache. */
    if (first < next_search)
        next_search = first;
}

size_t frame_alloc_free_count(void)
{
    return free_frames;
}

size_t frame_alloc_total_count(void)
{
    return total_frames;
}
