/*
 * An entry's frames live in a CNode of its own, created in the text pool,
 * slot i holding page i of the file: deleting that CNode deletes the
 * entry's capabilities, and a frame no process maps any more goes with it.
 * Pages are made on first use, so only pages some image maps read-only are
 * ever frames of the entry.
 */
#include "text_frames.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text_cache.h"
#include "uapi/objects.h"
#include "uapi/vm.h"

#define FILL_SCRATCH 0x300000100000ull /* task.c's scratch pages lie below */
#define CNODE_BITS_MAX 16

typedef struct {
    cptr_t cnode; /* proc-server's slot */
    uint64_t pages;
    uint8_t *present; /* a bit per page */
} entry_frames_t;

typedef struct {
    uint32_t slot, index;
} text_page_t;

struct text_use {
    text_entry_t *entry;
    text_page_t *pages; /* by slot, ascending: the loader hands slots out in order */
    size_t count, cap;
};

static cptr_t text_pool = CAP_NULL;
static text_cache_t cache;

static void free_frames(text_cache_t *c, text_entry_t *e)
{
    (void)c;
    entry_frames_t *f = e->frames;
    if (f == NULL) {
        return;
    }
    cnode_delete(CAP_INIT_CNODE, f->cnode); /* its last capability: the CNode goes */
    slot_free(f->cnode);
    free(f->present);
    free(f);
    e->frames = NULL;
}

int text_frames_init(cptr_t parent_pool)
{
    text_cache_init(&cache, TEXT_IDLE_MAX, free_frames);
    cptr_t slot = slot_alloc();
    if (slot == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t err = pool_split(parent_pool, TEXT_POOL_BUDGET, CAP_INIT_CNODE, slot);
    if (err != KERR_OK) {
        slot_free(slot);
        return errno_from_kerr(err);
    }
    text_pool = slot;
    return 0;
}

/* Creates an object in the text pool into proc-server's `slot`, giving up
 * idle entries while the pool is full. */
static kerr_t create_in_pool(obj_type_t type, unsigned bits, cptr_t slot)
{
    kerr_t err;
    while ((err = pool_create(text_pool, type, bits, CAP_INIT_CNODE, slot)) == KERR_NO_MEMORY &&
           text_cache_evict_idle(&cache)) {
    }
    return err;
}

static unsigned bits_for(uint64_t pages)
{
    unsigned bits = 1;
    while (bits < CNODE_BITS_MAX && (1ull << bits) < pages) {
        bits++;
    }
    return bits;
}

/* The entry's record, with its CNode, made on its first page. */
static entry_frames_t *entry_frames(text_entry_t *e)
{
    if (e->frames != NULL) {
        return e->frames;
    }
    uint64_t pages = (e->key.size + PAGE_SIZE - 1) / PAGE_SIZE;
    entry_frames_t *f = calloc(1, sizeof(*f));
    uint8_t *present = calloc((pages + 7) / 8, 1);
    cptr_t slot = slot_alloc();
    if (f == NULL || present == NULL || slot == CAP_NULL || pages > (1ull << CNODE_BITS_MAX) ||
        create_in_pool(OBJ_CNODE, bits_for(pages), slot) != KERR_OK) {
        free(f);
        free(present);
        slot_free(slot);
        return NULL;
    }
    *f = (entry_frames_t){slot, pages, present};
    e->frames = f;
    return f;
}

/* Makes page `index` of the file a frame of the entry, filled from image. */
static int make_page(entry_frames_t *f, uint64_t index, const uint8_t *image, size_t size)
{
    cptr_t frame = slot_alloc();
    if (frame == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t err = create_in_pool(OBJ_FRAME, 0, frame);
    if (err == KERR_OK &&
        (err = vspace_map(CAP_INIT_VSPACE, frame, FILL_SCRATCH, MAP_READ | MAP_WRITE)) == KERR_OK) {
        uint64_t offset = index * PAGE_SIZE;
        size_t len = size - offset < PAGE_SIZE ? size - offset : PAGE_SIZE;
        memcpy((void *)FILL_SCRATCH, image + offset, len); /* the rest is zero already */
        vspace_unmap(CAP_INIT_VSPACE, frame);
        err = cnode_move(f->cnode, index, CAP_INIT_CNODE, frame);
    }
    cnode_delete(CAP_INIT_CNODE, frame); /* empty after the move */
    slot_free(frame);
    if (err != KERR_OK) {
        return errno_from_kerr(err);
    }
    f->present[index / 8] |= 1u << (index % 8);
    return 0;
}

text_use_t *text_use_create(const vfs_exec_identity_t *id)
{
    if (text_pool == CAP_NULL || id == NULL) {
        return NULL;
    }
    text_key_t key = {id->dev, id->ino, id->version, id->size};
    text_use_t *u = calloc(1, sizeof(*u));
    if (u == NULL) {
        return NULL;
    }
    if ((u->entry = text_cache_acquire(&cache, &key)) == NULL) {
        free(u);
        return NULL;
    }
    return u;
}

static bool reserve(text_use_t *u)
{
    if (u->count < u->cap) {
        return true;
    }
    size_t cap = u->cap == 0 ? 64 : 2 * u->cap;
    text_page_t *pages = realloc(u->pages, cap * sizeof(*pages));
    if (pages == NULL) {
        return false;
    }
    u->pages = pages;
    u->cap = cap;
    return true;
}

int text_use_map(text_use_t *u, task_t *t, uint64_t index, const uint8_t *image, size_t size,
                 uint64_t vaddr, unsigned rights)
{
    entry_frames_t *f = entry_frames(u->entry);
    if (f == NULL || index >= f->pages || (uint64_t)size != u->entry->key.size ||
        (rights & MAP_WRITE) || !reserve(u)) {
        return -ENOMEM;
    }
    if (!(f->present[index / 8] & (1u << (index % 8)))) {
        int err = make_page(f, index, image, size);
        if (err != 0) {
            return err;
        }
    }
    uint64_t slot = t->next_slot;
    int err = task_map_shared_from(t, f->cnode, index, vaddr, rights);
    if (err == 0) {
        u->pages[u->count++] = (text_page_t){(uint32_t)slot, (uint32_t)index};
    }
    return err;
}

text_use_t *text_use_clone(const text_use_t *u, int *err)
{
    *err = 0;
    if (u == NULL) {
        return NULL;
    }
    text_use_t *copy = calloc(1, sizeof(*copy));
    text_page_t *pages = u->count > 0 ? malloc(u->count * sizeof(*pages)) : NULL;
    if (copy == NULL || (u->count > 0 && pages == NULL)) {
        free(copy);
        free(pages);
        *err = -ENOMEM;
        return NULL;
    }
    if (u->count > 0) {
        memcpy(pages, u->pages, u->count * sizeof(*pages));
    }
    *copy = (text_use_t){u->entry, pages, u->count, u->count};
    text_cache_hold(&cache, u->entry);
    return copy;
}

bool text_use_page_at(const text_use_t *u, uint64_t slot, uint64_t *index)
{
    size_t lo = 0, hi = u != NULL ? u->count : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u->pages[mid].slot == slot) {
            *index = u->pages[mid].index;
            return true;
        }
        if (u->pages[mid].slot < slot) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

int text_use_clone_frame(const text_use_t *u, task_t *t, uint64_t slot, uint64_t index,
                         const cnode_identity_t *id)
{
    const entry_frames_t *f = u->entry->frames;
    return task_place_shared(t, f->cnode, index, slot, id->map_vaddr,
                             (unsigned)id->map_rights & ~MAP_WRITE);
}

void text_use_release(text_use_t *u)
{
    if (u == NULL) {
        return;
    }
    text_cache_release(&cache, u->entry);
    free(u->pages);
    free(u);
}
