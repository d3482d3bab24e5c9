/*
 * A set of named objects found by name in constant time: a hash table with
 * chaining through a node embedded in each object (an intrusive index, like
 * list.h). A scope keeps its registered children in one (scope.h), so that
 * finding a container by ID does not walk every container of its parent.
 *
 * The index does not own the names: a node's name must stay unchanged while
 * the node is in it. Names are unique within an index (the caller checks).
 */
#ifndef PROC_NAME_INDEX_H
#define PROC_NAME_INDEX_H

#include <stddef.h>

typedef struct name_node {
    struct name_node *next; /* the next in its bucket */
    const char *name;
} name_node_t;

typedef struct {
    name_node_t **buckets; /* NULL while nothing was ever added */
    size_t size;           /* buckets, a power of two */
    size_t count;          /* nodes */
} name_index_t;

/* Adds node under node->name: 0, or -ENOMEM with nothing changed (only when
 * the first bucket array cannot be allocated; a failed growth keeps the
 * table as it is, merely fuller). */
int name_index_add(name_index_t *index, name_node_t *node);

/* Takes node out of the index; a node not in it is left alone. */
void name_index_remove(name_index_t *index, name_node_t *node);

/* The node called name, or NULL. */
name_node_t *name_index_find(const name_index_t *index, const char *name);

/* Frees the buckets (the nodes are the caller's); the index is empty again. */
void name_index_free(name_index_t *index);

#endif
