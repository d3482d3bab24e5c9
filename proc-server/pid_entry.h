/*
 * PID entries: the numbers one PID carries, one per scope level.
 *
 * A process created in a scope at level L (the root scope is level 0) gets one
 * number in that scope and one in each of its L ancestors: nrs[0] is its number
 * in the root scope — the global PID — and nrs[L] the one its own scope sees.
 * Process groups and sessions are named by the PID entry of their first leader,
 * so an entry lives on while any process, group or session still uses it
 * (reference counted), and none of its numbers can be handed out again until
 * then: a PID is never reused while its process runs, is a zombie, or still
 * names a group or session (POSIX's rule for PIDs and process group IDs).
 *
 * Every number of every live entry is in one hash table keyed by (scope,
 * number), which gives "PID N as seen from scope S" in constant time.
 *
 * Each entry holds a reference on the scope it was allocated in; a scope holds
 * one on its parent, so every scope an entry names outlives it.
 */
#ifndef PROC_PID_ENTRY_H
#define PROC_PID_ENTRY_H

#include <stddef.h>

struct scope;
struct process;
struct pid_entry;

/* One number of an entry: its value in one scope, chained in a hash bucket. */
typedef struct pid_nr {
    int nr;
    struct scope *scope;
    struct pid_entry *entry;
    struct pid_nr *hash_next;
} pid_nr_t;

typedef struct pid_entry {
    unsigned refs;        /* the process, and each group or session named by it */
    unsigned level;       /* level of the allocating scope; nrs[0..level] are valid */
    struct process *proc; /* the process with this PID; NULL once it is reaped */
    pid_nr_t nrs[];
} pid_entry_t;

typedef struct pid_hash {
    pid_nr_t **buckets;
    size_t bucket_count; /* a power of two */
    size_t nr_count;     /* numbers in the table */
} pid_hash_t;

/* Prepares an empty table; -ENOMEM leaves it unusable. */
int pid_hash_init(pid_hash_t *hash);
/* Frees the buckets; the entries are the caller's to free (pid_entry_free_all). */
void pid_hash_fini(pid_hash_t *hash);

/*
 * Allocates an entry for a new process of scope: a fresh number in scope and
 * in every ancestor, each the next one free after that scope's cursor
 * (wrapping from pid_max - 1 to 2, so only a scope's first process is its PID 1).
 * Returns 0 with *out holding one reference, -EAGAIN when some scope has no
 * free number left, -ENOMEM. On failure nothing changes, cursors included.
 */
int pid_entry_alloc(pid_hash_t *hash, struct scope *scope, int pid_max, pid_entry_t **out);

void pid_entry_get(pid_entry_t *entry);
/* Drops a reference; the last one unhashes every number and frees the entry. */
void pid_entry_put(pid_hash_t *hash, pid_entry_t *entry);

/* The entry's number in scope, or 0 when scope cannot see it (not an ancestor). */
int pid_entry_nr_in(const pid_entry_t *entry, const struct scope *scope);

/* The entry known as nr in scope, or NULL. */
pid_entry_t *pid_entry_find(const pid_hash_t *hash, const struct scope *scope, int nr);

/* Frees every entry still hashed, whatever its references (table teardown). */
void pid_entry_free_all(pid_hash_t *hash);

#endif
