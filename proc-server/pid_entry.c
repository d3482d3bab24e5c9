/*
 * PID entries and the (scope, number) hash table that finds them. The table
 * grows when it gets crowded; if growing fails it simply stays crowded, so
 * allocation never fails because of the table.
 */
#include "pid_entry.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "scope.h"

#define PID_HASH_INITIAL_BUCKETS 256

static size_t pid_hash_index(const pid_hash_t *hash, const scope_t *scope, int nr)
{
    uint64_t key = (uint64_t)(uintptr_t)scope ^ ((uint64_t)(unsigned)nr * 0x9e3779b97f4a7c15ull);
    key ^= key >> 29;
    return (size_t)(key & (hash->bucket_count - 1));
}

int pid_hash_init(pid_hash_t *hash)
{
    hash->buckets = calloc(PID_HASH_INITIAL_BUCKETS, sizeof(*hash->buckets));
    if (hash->buckets == NULL) {
        return -ENOMEM;
    }
    hash->bucket_count = PID_HASH_INITIAL_BUCKETS;
    hash->nr_count = 0;
    return 0;
}

void pid_hash_fini(pid_hash_t *hash)
{
    free(hash->buckets);
    hash->buckets = NULL;
    hash->bucket_count = 0;
}

/* Doubles the buckets when there are more numbers than buckets; best effort. */
static void pid_hash_maybe_grow(pid_hash_t *hash)
{
    if (hash->nr_count < hash->bucket_count) {
        return;
    }
    size_t old_count = hash->bucket_count;
    pid_nr_t **old = hash->buckets;
    pid_nr_t **buckets = calloc(old_count * 2, sizeof(*buckets));
    if (buckets == NULL) {
        return;
    }
    hash->buckets = buckets;
    hash->bucket_count = old_count * 2;
    for (size_t i = 0; i < old_count; i++) {
        pid_nr_t *n = old[i];
        while (n != NULL) {
            pid_nr_t *next = n->hash_next;
            size_t b = pid_hash_index(hash, n->scope, n->nr);
            n->hash_next = buckets[b];
            buckets[b] = n;
            n = next;
        }
    }
    free(old);
}

static pid_nr_t *pid_hash_lookup(const pid_hash_t *hash, const scope_t *scope, int nr)
{
    pid_nr_t *n = hash->buckets[pid_hash_index(hash, scope, nr)];
    while (n != NULL && (n->scope != scope || n->nr != nr)) {
        n = n->hash_next;
    }
    return n;
}

static void pid_hash_insert(pid_hash_t *hash, pid_nr_t *n)
{
    size_t b = pid_hash_index(hash, n->scope, n->nr);
    n->hash_next = hash->buckets[b];
    hash->buckets[b] = n;
    hash->nr_count++;
}

static void pid_hash_remove(pid_hash_t *hash, pid_nr_t *n)
{
    pid_nr_t **link = &hash->buckets[pid_hash_index(hash, n->scope, n->nr)];
    while (*link != n) {
        assert(*link != NULL);
        link = &(*link)->hash_next;
    }
    *link = n->hash_next;
    hash->nr_count--;
}

/* The first free number of scope at or after its cursor, or 0 if every one is taken. */
static int pid_find_free_nr(const pid_hash_t *hash, const scope_t *scope, int pid_max)
{
    int nr = scope->next_nr;
    for (int tries = 0; tries < pid_max; tries++) {
        if (nr >= pid_max) {
            nr = 2;
        }
        if (pid_hash_lookup(hash, scope, nr) == NULL) {
            return nr;
        }
        nr++;
    }
    return 0;
}

int pid_entry_alloc(pid_hash_t *hash, scope_t *scope, int pid_max, pid_entry_t **out)
{
    pid_entry_t *entry = calloc(1, sizeof(*entry) + (scope->level + 1) * sizeof(pid_nr_t));
    if (entry == NULL) {
        return -ENOMEM;
    }
    entry->refs = 1;
    entry->level = scope->level;
    /* Pick every number first: the hash and the cursors change only once all exist. */
    const scope_t *s = scope;
    for (int level = (int)scope->level; level >= 0; level--, s = s->parent) {
        int nr = pid_find_free_nr(hash, s, pid_max);
        if (nr == 0) {
            free(entry);
            return -EAGAIN;
        }
        entry->nrs[level] = (pid_nr_t){.nr = nr, .scope = (scope_t *)s, .entry = entry};
    }
    for (unsigned level = 0; level <= entry->level; level++) {
        pid_hash_maybe_grow(hash);
        pid_hash_insert(hash, &entry->nrs[level]);
        entry->nrs[level].scope->next_nr = entry->nrs[level].nr + 1;
    }
    scope_get(scope);
    *out = entry;
    return 0;
}

void pid_entry_get(pid_entry_t *entry)
{
    assert(entry->refs > 0);
    entry->refs++;
}

void pid_entry_put(pid_hash_t *hash, pid_entry_t *entry)
{
    assert(entry->refs > 0);
    if (--entry->refs > 0) {
        return;
    }
    assert(entry->proc == NULL);
    scope_t *scope = entry->nrs[entry->level].scope;
    for (unsigned level = 0; level <= entry->level; level++) {
        pid_hash_remove(hash, &entry->nrs[level]);
    }
    free(entry);
    scope_put(scope);
}

int pid_entry_nr_in(const pid_entry_t *entry, const scope_t *scope)
{
    if (scope->level > entry->level || entry->nrs[scope->level].scope != scope) {
        return 0;
    }
    return entry->nrs[scope->level].nr;
}

pid_entry_t *pid_entry_find(const pid_hash_t *hash, const scope_t *scope, int nr)
{
    if (nr <= 0) {
        return NULL;
    }
    pid_nr_t *n = pid_hash_lookup(hash, scope, nr);
    return n != NULL ? n->entry : NULL;
}

void pid_entry_free_all(pid_hash_t *hash)
{
    /*
     * Every entry has exactly one number at level 0. Empty the buckets first,
     * gathering those numbers, then free: an entry's other numbers may sit in
     * buckets not walked yet.
     */
    pid_nr_t *level0 = NULL;
    for (size_t i = 0; i < hash->bucket_count; i++) {
        pid_nr_t *n = hash->buckets[i];
        hash->buckets[i] = NULL;
        while (n != NULL) {
            pid_nr_t *next = n->hash_next;
            if (n == &n->entry->nrs[0]) {
                n->hash_next = level0;
                level0 = n;
            }
            n = next;
        }
    }
    while (level0 != NULL) {
        pid_nr_t *next = level0->hash_next;
        free(level0->entry);
        level0 = next;
    }
    hash->nr_count = 0;
}
