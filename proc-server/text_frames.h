/*
 * The frames of executables' read-only pages, shared by every process image
 * running the same content of the same file (text_cache.h says which file
 * and when its frames go).
 *
 * The frames are created in proc-server's text pool, split at boot with
 * TEXT_POOL_BUDGET from the processes' pool (the root scope's), never in a
 * process's pool: teardown is by pool, so they outlive each process that
 * maps them, and they are charged once, to what all processes together may
 * hold, never to one process or container (docs/protocols/proc.md, Shared
 * executable pages). The pool's ceiling is what the cache may make
 * proc-server hold: when it is full, idle entries go, and failing that a
 * page is copied into the process's own pool, as if there were no cache.
 *
 * Each image (a task_t) that maps frames of an entry holds a text_use_t: the
 * entry (one of its users) and which of the image's CNode slots hold which
 * page of the file, so that fork gives the child the entry's frames.
 */
#ifndef PROC_SERVER_TEXT_FRAMES_H
#define PROC_SERVER_TEXT_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsule/server.h"
#include "protocol/vfs.h"
#include "task.h"

#define TEXT_POOL_BUDGET (32ull << 20)
#define TEXT_IDLE_MAX 16 /* entries kept with no user, for the next exec */

/* Creates the text pool, split from `parent_pool` (a proc-server slot);
 * without it (-ENOMEM) every page is copied. */
int text_frames_init(cptr_t parent_pool);

/* A new use of the entry of the file `id` names, for an image being built;
 * NULL when it cannot be shared (no identity, out of memory). */
text_use_t *text_use_create(const vfs_exec_identity_t *id);

/* Maps page `index` of the file (whose `size` bytes are `image`) at `vaddr`
 * of `t` with MAP_* `rights` (never MAP_WRITE): the entry's frame, made now
 * if it is the first use of the page, handed over read-only into t's next
 * slot. -ENOMEM when the pool has no room (map a copy instead). */
int text_use_map(text_use_t *u, task_t *t, uint64_t index, const uint8_t *image, size_t size,
                 uint64_t vaddr, unsigned rights);

/* A fork child's use: the same entry, one user more, the same slots. NULL
 * for none; *err -ENOMEM when `u` is not NULL but no copy could be made. */
text_use_t *text_use_clone(const text_use_t *u, int *err);

/* If slot `slot` of the image holds page *index of the entry. */
bool text_use_page_at(const text_use_t *u, uint64_t slot, uint64_t *index);

/* Gives the child `t` the entry's frame of page `index` in `slot`, mapped
 * where `id` (the parent's capability there) says, read-only. */
int text_use_clone_frame(const text_use_t *u, task_t *t, uint64_t slot, uint64_t index,
                         const cnode_identity_t *id);

/* The image is gone: one user fewer for the entry (NULL: nothing). */
void text_use_release(text_use_t *u);

#endif
