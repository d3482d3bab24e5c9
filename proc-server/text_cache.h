/*
 * Which executables proc-server keeps the read-only pages of, and how many
 * process images map each (the bookkeeping only: text_frames.c holds the
 * frames). An entry is found by the file's identity as vfs-server gives it
 * (device, inode, content version, size): a file written since has another
 * version, so it is never served from an entry of its old content.
 *
 * An entry nobody maps any more stays, as a cache for the next exec of the
 * file, unless a newer version of the file has been seen (it can never be
 * found again) or more than `idle_max` entries are idle; idle entries are
 * also the ones given up, least recently used first, when the frames'
 * pool is full (text_cache_evict_idle). An entry in use is never freed.
 */
#ifndef PROC_SERVER_TEXT_CACHE_H
#define PROC_SERVER_TEXT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t dev, ino; /* which file */
    uint64_t version;  /* which content of it (never 0) */
    uint64_t size;
} text_key_t;

typedef struct text_entry {
    text_key_t key;
    uint32_t users;     /* process images mapping its frames */
    bool stale;         /* a newer version of the file was seen */
    uint64_t last_used; /* the cache's clock when last acquired or released */
    void *frames;       /* the owner's record of its frames (NULL: none yet) */
    struct text_entry *next;
} text_entry_t;

struct text_cache;
/* Frees what `e->frames` holds; the cache frees the entry itself. */
typedef void (*text_free_fn)(struct text_cache *c, text_entry_t *e);

typedef struct text_cache {
    text_entry_t *head;
    size_t count; /* entries */
    size_t idle;  /* of them, with no user */
    size_t idle_max;
    uint64_t clock;
    text_free_fn free_frames;
} text_cache_t;

void text_cache_init(text_cache_t *c, size_t idle_max, text_free_fn free_frames);

/* The entry of `key` with one user more: the one there is, or a new one
 * without frames. Entries of other versions of the same file become stale
 * (and go now if idle). NULL for a key of version 0 or out of memory. */
text_entry_t *text_cache_acquire(text_cache_t *c, const text_key_t *key);

/* One user more for an entry already in use (a fork of an image using it). */
void text_cache_hold(text_cache_t *c, text_entry_t *e);

/* One user fewer (NULL: nothing). At none the entry is freed if stale, else
 * kept; the least recently used idle entries go beyond idle_max. */
void text_cache_release(text_cache_t *c, text_entry_t *e);

/* Frees the least recently used idle entry: true if there was one. */
bool text_cache_evict_idle(text_cache_t *c);

#endif
