/*
 * A circular doubly linked list threaded through the objects it links (an
 * intrusive list): a head is a list_node_t whose next/prev point to itself
 * when empty. No allocation, so linking and unlinking cannot fail.
 */
#ifndef PROC_LIST_H
#define PROC_LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct list_node {
    struct list_node *prev;
    struct list_node *next;
} list_node_t;

static inline void list_init(list_node_t *head)
{
    head->prev = head;
    head->next = head;
}

static inline bool list_empty(const list_node_t *head)
{
    return head->next == head;
}

static inline void list_add_tail(list_node_t *head, list_node_t *node)
{
    node->prev = head->prev;
    node->next = head;
    head->prev->next = node;
    head->prev = node;
}

/* Unlinks node and leaves it linked to itself, so a second remove is harmless. */
static inline void list_remove(list_node_t *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_init(node);
}

#define list_entry(node, type, member) ((type *)((char *)(node)-offsetof(type, member)))

#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Iteration that tolerates removing pos from the list inside the loop. */
#define list_for_each_safe(pos, tmp, head)                                                         \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);                               \
         (pos) = (tmp), (tmp) = (pos)->next)

#endif
