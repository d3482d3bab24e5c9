/*
 * A scope's memory pool: the kernel pool a container's memory comes from.
 *
 * PROC_SCOPE_SET_MEMORY gives a scope a pool split from its nearest ancestor
 * that has one (the root pool if none) with the requested ceiling. Every
 * process created in the scope or in a sub-scope without a pool of its own
 * (spawn, fork, exec's new image) gets its pool split from it, so everything
 * the container's processes hold is charged to it, and exhausting it fails
 * allocations inside the container only (docs/protocols/proc.md).
 *
 * The pool's capability is a slot of proc-server's (scope->memory_pool, 0 for
 * none); it goes when the scope is freed, after every process of it.
 */
#ifndef PROC_SERVER_SCOPE_MEMORY_H
#define PROC_SERVER_SCOPE_MEMORY_H

#include <stdint.h>

#include "scope.h"
#include "task.h"

#define SCOPE_MEMORY_MIN (1ull << 20) /* below this not even a shell starts */
/* What proc-server keeps back for its own growth (records, handles, pages
 * it maps to build tasks), beyond what it holds at boot. */
#define PROC_SERVER_HEADROOM (16ull << 20)
/* The kernel nests pools 16 deep, the root pool at depth 0: a scope's pool
 * may be at most 14 deep so that its processes' pools (one deeper) fit. */
#define SCOPE_MEMORY_MAX_DEPTH 14

/*
 * Hooks the pool's release into the freeing of scopes, and gives the root
 * scope the pool every process and container draws on: the root pool less
 * what it holds now and `kept_back` (the servers' ceilings and proc-server's
 * headroom), so processes together can never make a server's or
 * proc-server's allocation fail. On a machine too small for that, half of
 * what is left.
 */
void scope_memory_init(scope_t *root, uint64_t kept_back);

/*
 * Sets scope's memory ceiling to `bytes` (0: none, its processes then use
 * their ancestors' pool). -EINVAL for the root scope, bytes below
 * SCOPE_MEMORY_MIN or above the ceiling it would be split from; -EBUSY once
 * the scope or a sub-scope has a process, or a sub-scope has a pool of its
 * own; -ENOSPC when its pool would be deeper than SCOPE_MEMORY_MAX_DEPTH;
 * -ENOMEM. On an error nothing
 * changes.
 */
int scope_memory_set(scope_t *scope, uint64_t bytes);

/* The bytes scope's pool holds (Pool_Info's used), or -ENODATA without one. */
int64_t scope_memory_usage(const scope_t *scope);

/* The bytes a process of `scope` whose pool is `task_pool` could still
 * make: the least any pool it is charged to has left. */
uint64_t scope_memory_room(const scope_t *scope, cptr_t task_pool);

/* Creates the objects of a new process of `scope` (task_create) with a pool
 * allowed `budget` bytes at most, split from the scope's pool. */
int scope_memory_task_create(const scope_t *scope, task_t *t, uint64_t budget, unsigned cnode_bits);

#endif
