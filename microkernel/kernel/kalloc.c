/*
 * Kernel object memory. It owns the slab caches: for each power-of-two size
 * class from 32 to KALLOC_SLAB_MAX bytes, a list of slabs that still have a
 * free object. A slab is one frame with its header in the first 64 bytes, so
 * kfree finds the slab by rounding the pointer down to the page. Sizes above
 * KALLOC_SLAB_MAX are whole contiguous frames straight from frame_alloc.
 * Callers serialise access; there is no lock here.
 */
#include "kernel/kalloc.h"
#include "kernel/frame_alloc.h"
#include "kernel/memory.h"
#include "kernel/panic.h"
#include "kernel/string.h"

#define MIN_CLASS_SHIFT 5  /* 32 bytes: smallest class, keeps objects 16-byte aligned */
#define MAX_CLASS_SHIFT 11 /* 2048 bytes == KALLOC_SLAB_MAX */
#define CLASS_COUNT (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define SLAB_HEADER_SIZE 64
#define SLAB_MAGIC 0x51ab0b1eu
#define MAX_OBJECTS ((FRAME_SIZE - SLAB_HEADER_SIZE) >> MIN_CLASS_SHIFT)
#define USED_WORDS ((MAX_OBJECTS + 63) / 64)

/* Objects are tracked by a bitmap in the header rather than a free list
 * threaded through the objects: a stray write into a freed object cannot
 * redirect a later allocation, and a double free is a single bit test. */
struct slab {
    struct slab *next; /* links in the class's list of slabs with free objects */
    struct slab *prev;
    uint64_t used[USED_WORDS];
    uint32_t magic;
    uint16_t class_index;
    uint16_t in_use;
};

_Static_assert(sizeof(struct slab) <= SLAB_HEADER_SIZE, "slab header outgrew its space");
_Static_assert(KALLOC_SLAB_MAX == 1 << MAX_CLASS_SHIFT, "size classes must end at the slab max");
_Static_assert(SLAB_HEADER_SIZE % 16 == 0, "objects must stay 16-byte aligned");

static struct slab *partial[CLASS_COUNT];

/* Class for 1 <= size <= KALLOC_SLAB_MAX: smallest power of two that fits. */
static unsigned class_of(size_t size)
{
    unsigned shift = MIN_CLASS_SHIFT;

    while (((size_t)1 << shift) < size)
        shift++;
    return shift - MIN_CLASS_SHIFT;
}

static size_t class_size(unsigned idx)
{
    return (size_t)1 << (idx + MIN_CLASS_SHIFT);
}

static unsigned slab_capacity(unsigned idx)
{
    return (unsigned)((FRAME_SIZE - SLAB_HEADER_SIZE) / class_size(idx));
}

/* ceil(size / FRAME_SIZE) without the overflow of size + FRAME_SIZE - 1. */
static size_t large_pages(size_t size)
{
    return size / FRAME_SIZE + (size % FRAME_SIZE != 0);
}

static void list_push(unsigned idx, struct slab *s)
{
    s->prev = NULL;
    s->next = partial[idx];
    if (s->next != NULL)
        s->next->prev = s;
    partial[idx] = s;
}

static void list_remove(unsigned idx, struct slab *s)
{
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        partial[idx] = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

/* A fresh slab: the frame comes zeroed, so every object is already free. */
static struct slab *slab_create(unsigned idx)
{
    paddr_t pa = frame_alloc(1);

    if (pa == 0)
        return NULL;
    struct slab *s = phys_to_virt(pa);
    s->magic = SLAB_MAGIC;
    s->class_index = (uint16_t)idx;
    list_push(idx, s);
    return s;
}

static unsigned first_free_object(const struct slab *s)
{
    for (unsigned w = 0; w < USED_WORDS; w++) {
        if (~s->used[w] != 0)
            return w * 64 + (unsigned)__builtin_ctzll(~s->used[w]);
    }
    return MAX_OBJECTS;
}

static void *slab_alloc(unsigned idx)
{
    struct slab *s = partial[idx] != NULL ? partial[idx] : slab_create(idx);

    if (s == NULL)
        return NULL;
    unsigned obj = first_free_object(s);
    ASSERT(obj < slab_capacity(idx));

    s->used[obj / 64] |= 1ull << (obj % 64);
    s->in_use++;
    if (s->in_use == slab_capacity(idx))
        list_remove(idx, s);

    /* Freed objects keep whatever their last owner wrote. */
    void *p = (char *)s + SLAB_HEADER_SIZE + obj * class_size(idx);
    memset(p, 0, class_size(idx));
    return p;
}

static void slab_free(void *p, unsigned idx)
{
    struct slab *s = (struct slab *)ALIGN_DOWN((uintptr_t)p, FRAME_SIZE);
    size_t offset = (uintptr_t)p - (uintptr_t)s;

    /* A page-aligned pointer is a large allocation freed with a small size. */
    ASSERT(offset >= SLAB_HEADER_SIZE);
    ASSERT(s->magic == SLAB_MAGIC);
    ASSERT(s->class_index == idx); /* freed with a size from another class */
    ASSERT((offset - SLAB_HEADER_SIZE) % class_size(idx) == 0);

    unsigned obj = (unsigned)((offset - SLAB_HEADER_SIZE) / class_size(idx));
    ASSERT(obj < slab_capacity(idx));
    ASSERT(s->used[obj / 64] & (1ull << (obj % 64))); /* double free */

    bool was_full = s->in_use == slab_capacity(idx);
    s->used[obj / 64] &= ~(1ull << (obj % 64));
    s->in_use--;

    /* An empty slab goes straight back to the frame allocator so memory
     * accounting stays exact; a full slab that gains a hole rejoins the list. */
    if (s->in_use == 0) {
        if (!was_full)
            list_remove(idx, s);
        s->magic = 0; /* a later kfree into this page must not pass as a slab */
        frame_free(virt_to_phys(s), 1);
    } else if (was_full) {
        list_push(idx, s);
    }
}

size_t kalloc_charge(size_t size)
{
    if (size == 0)
        return 0;
    /* A slab object is charged its share of the slab's frame, header
     * included, so a pool pays for all the memory its objects keep. */
    if (size <= KALLOC_SLAB_MAX) {
        unsigned capacity = slab_capacity(class_of(size));
        return (FRAME_SIZE + capacity - 1) / capacity;
    }
    /* Sizes whose page count times FRAME_SIZE would wrap can never be paid for. */
    if (size > SIZE_MAX - (FRAME_SIZE - 1))
        return SIZE_MAX;
    return large_pages(size) * FRAME_SIZE;
}

void *kalloc(size_t size)
{
    if (size == 0)
        return NULL;
    if (size <= KALLOC_SLAB_MAX)
        return slab_alloc(class_of(size));

    paddr_t pa = frame_alloc(large_pages(size));
    return pa != 0 ? phys_to_virt(pa) : NULL;
}

void kfree(void *p, size_t size)
{
    if (p == NULL)
        return;
    ASSERT(size != 0);
    if (size <= KALLOC_SLAB_MAX) {
        slab_free(p, class_of(size));
        return;
    }
    /* Slab objects never sit at a page start, so this catches a small
     * allocation freed with a large size. */
    ASSERT(IS_ALIGNED((uintptr_t)p, FRAME_SIZE));
    frame_free(virt_to_phys(p), large_pages(size));
}
