/* Named objects by name: a chained hash table that doubles (name_index.h). */
#include "name_index.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_SIZE 16

/* FNV-1a: short, and spreads IDs that differ in one character */
static uint64_t hash_name(const char *name)
{
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
        h = (h ^ *p) * 1099511628211ull;
    }
    return h;
}

static name_node_t **bucket_of(const name_index_t *index, const char *name)
{
    return &index->buckets[hash_name(name) & (index->size - 1)];
}

/* Moves every node to a table of `size` buckets; -ENOMEM (nothing changed)
 * if it cannot be allocated. */
static int rehash(name_index_t *index, size_t size)
{
    name_node_t **buckets = calloc(size, sizeof(*buckets));
    if (buckets == NULL) {
        return -ENOMEM;
    }
    name_index_t grown = {buckets, size, index->count};
    for (size_t i = 0; i < index->size; i++) {
        while (index->buckets[i] != NULL) {
            name_node_t *node = index->buckets[i];
            index->buckets[i] = node->next;
            name_node_t **b = bucket_of(&grown, node->name);
            node->next = *b;
            *b = node;
        }
    }
    free(index->buckets);
    *index = grown;
    return 0;
}

int name_index_add(name_index_t *index, name_node_t *node)
{
    if (index->buckets == NULL && rehash(index, FIRST_SIZE) != 0) {
        return -ENOMEM;
    }
    if (index->count >= index->size) {
        rehash(index, index->size * 2); /* on failure the chains only grow */
    }
    name_node_t **b = bucket_of(index, node->name);
    node->next = *b;
    *b = node;
    index->count++;
    return 0;
}

void name_index_remove(name_index_t *index, name_node_t *node)
{
    if (index->buckets == NULL) {
        return;
    }
    for (name_node_t **p = bucket_of(index, node->name); *p != NULL; p = &(*p)->next) {
        if (*p == node) {
            *p = node->next;
            node->next = NULL;
            index->count--;
            return;
        }
    }
}

name_node_t *name_index_find(const name_index_t *index, const char *name)
{
    if (index->buckets == NULL) {
        return NULL;
    }
    for (name_node_t *n = *bucket_of(index, name); n != NULL; n = n->next) {
        if (strcmp(n->name, name) == 0) {
            return n;
        }
    }
    return NULL;
}

void name_index_free(name_index_t *index)
{
    free(index->buckets);
    *index = (name_index_t){0};
}
