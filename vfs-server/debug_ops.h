/*
 * vfs-server's part of the debug protocol (protocol/debug.h): the root
 * contexts, one context's mounts and one process's open files. Asked only
 * by proc-server, which checked the caller's debug capability.
 */
#ifndef VFS_DEBUG_OPS_H
#define VFS_DEBUG_OPS_H

#include <stdint.h>

#include "request.h"

/* A request with a debug label: -EPERM unless it came from proc-server. */
int64_t debug_ops_dispatch(uint64_t badge, const request_t *req);

/* proc-server's request `label` is being served: vfs-server faults here if
 * DEBUG_VFS_CRASH armed it for that label (test images only). */
void debug_ops_crash_point(uint64_t label);

#endif
