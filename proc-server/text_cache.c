#include "text_cache.h"

#include <stdlib.h>

void text_cache_init(text_cache_t *c, size_t idle_max, text_free_fn free_frames)
{
    *c = (text_cache_t){.idle_max = idle_max, .free_frames = free_frames};
}

static bool same_file(const text_key_t *a, const text_key_t *b)
{
    return a->dev == b->dev && a->ino == b->ino;
}

static bool same_content(const text_key_t *a, const text_key_t *b)
{
    return same_file(a, b) && a->version == b->version && a->size == b->size;
}

static void unlink_entry(text_cache_t *c, text_entry_t *e)
{
    for (text_entry_t **p = &c->head; *p != NULL; p = &(*p)->next) {
        if (*p == e) {
            *p = e->next;
            break;
        }
    }
}

/* Takes an idle entry out and frees its frames and record. */
static void free_entry(text_cache_t *c, text_entry_t *e)
{
    unlink_entry(c, e);
    c->count--;
    c->idle--;
    if (c->free_frames != NULL) {
        c->free_frames(c, e);
    }
    free(e);
}

/* Marks every other version of key's file stale, freeing the idle ones. */
static void retire_versions(text_cache_t *c, const text_key_t *key)
{
    text_entry_t *e = c->head;
    while (e != NULL) {
        text_entry_t *next = e->next;
        if (same_file(&e->key, key) && !same_content(&e->key, key)) {
            e->stale = true;
            if (e->users == 0) {
                free_entry(c, e);
            }
        }
        e = next;
    }
}

text_entry_t *text_cache_acquire(text_cache_t *c, const text_key_t *key)
{
    if (key->version == 0) {
        return NULL;
    }
    retire_versions(c, key);
    text_entry_t *e = c->head;
    while (e != NULL && !same_content(&e->key, key)) {
        e = e->next;
    }
    if (e == NULL) {
        if ((e = calloc(1, sizeof(*e))) == NULL) {
            return NULL;
        }
        e->key = *key;
        e->next = c->head;
        c->head = e;
        c->count++;
        c->idle++; /* counted idle until text_cache_hold below */
    }
    text_cache_hold(c, e);
    return e;
}

void text_cache_hold(text_cache_t *c, text_entry_t *e)
{
    if (e->users++ == 0) {
        c->idle--;
    }
    e->last_used = ++c->clock;
}

/* The idle entry used longest ago, or NULL. */
static text_entry_t *oldest_idle(const text_cache_t *c)
{
    text_entry_t *oldest = NULL;
    for (text_entry_t *e = c->head; e != NULL; e = e->next) {
        if (e->users == 0 && (oldest == NULL || e->last_used < oldest->last_used)) {
            oldest = e;
        }
    }
    return oldest;
}

void text_cache_release(text_cache_t *c, text_entry_t *e)
{
    if (e == NULL || e->users == 0) {
        return;
    }
    e->last_used = ++c->clock;
    if (--e->users > 0) {
        return;
    }
    c->idle++;
    if (e->stale) {
        free_entry(c, e);
        return;
    }
    while (c->idle > c->idle_max) {
        free_entry(c, oldest_idle(c));
    }
}

bool text_cache_evict_idle(text_cache_t *c)
{
    text_entry_t *e = oldest_idle(c);
    if (e == NULL) {
        return false;
    }
    free_entry(c, e);
    return true;
}
