/*
 * The `containers` debug listing (protocol/debug.h DEBUG_CONTAINERS): every
 * scope below the root — a registered container or a scope not registered
 * yet — with its container ID, state, PID 1, process count and limit, the
 * VFS context and hostname context its PID 1 is attached to, the kernel
 * memory its processes use, and whether PID 1 is jailed.
 */
#ifndef PROC_SERVER_DEBUG_CONTAINERS_H
#define PROC_SERVER_DEBUG_CONTAINERS_H

#include "capsule/debug_text.h"
#include "capsule/server.h"
#include "process.h"

/* The id of the VFS context global_pid is attached to, asked of
 * vfs-server over vfs (DEBUG_VFS_CONTEXT_OF); -1 when it has none or
 * cannot say. */
long long debug_context_of(cptr_t vfs, int global_pid);

/* vfs: proc-server's vfs-server session, asked for each PID 1's context. */
void debug_containers(const proc_table_t *tab, cptr_t vfs, debug_text_t *t);

#endif
