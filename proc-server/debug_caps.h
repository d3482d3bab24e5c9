/*
 * The debug listings that ask the kernel: `kernel` (uptime, the root pool
 * and each process's pool and thread) and `caps PID` (a process's
 * capability slots, each named in server terms).
 */
#ifndef PROC_SERVER_DEBUG_CAPS_H
#define PROC_SERVER_DEBUG_CAPS_H

#include "capsule/debug_text.h"
#include "capsule/server.h"
#include "process.h"

void debug_caps_kernel(const proc_table_t *tab, debug_text_t *t);
/* -ESRCH when global_pid names no live process; vfs: proc-server's
 * vfs-server session, asked for the process's context. */
int debug_caps_process(const proc_table_t *tab, cptr_t vfs, int global_pid, debug_text_t *t);

/* DEBUG_SERVER_CAPS: the capability slots of server `id` (DEBUG_SERVER_*),
 * each named by what proc-server gave it there (docs/restart.md lists them
 * and why); -ESRCH when no such server runs. */
int debug_caps_server(uint64_t id, debug_text_t *t);

#endif
