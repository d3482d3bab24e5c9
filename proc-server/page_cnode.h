/*
 * A CNode of proc-server's holding one region's pages of a process (its
 * stack, its heap), slot by page, made on the first page and doubled as
 * the region grows, all charged to the process's pool.
 */
#ifndef PROC_SERVER_PAGE_CNODE_H
#define PROC_SERVER_PAGE_CNODE_H

#include <stdint.h>

#include "capsule/server.h"
#include "task.h"

/* Makes sure *cnode (CAP_NULL: none yet; a proc-server slot) of 2^*bits
 * slots has slot `slot`: created from `pool` with 2^min_bits slots, or
 * doubled. 0 or -errno, with *cnode and *bits as they were. */
int page_cnode_make_room(cptr_t pool, cptr_t *cnode, unsigned *bits, unsigned min_bits,
                         uint64_t slot);

/* A fork: copies each page of the parent's region CNode `from` (2^from_bits
 * slots) into the same slot of the child's region (*cnode, *bits, made as
 * page_cnode_make_room makes it), copied and mapped at the same address.
 * 0 or -errno. */
int page_cnode_clone(task_t *child, cptr_t *cnode, unsigned *bits, unsigned min_bits, cptr_t from,
                     unsigned from_bits);

#endif
