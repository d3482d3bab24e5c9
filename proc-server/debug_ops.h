/*
 * The debug protocol at proc-server (protocol/debug.h,
 * docs/protocols/debug.md): who holds the debug capability, the requests
 * on it, and the relay of vfs-server's and console-server's listings.
 */
#ifndef PROC_SERVER_DEBUG_OPS_H
#define PROC_SERVER_DEBUG_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "process.h"
#include "requests.h"

/* Where relayed requests go: proc-server's vfs-server session and its
 * console-server capability (CAP_NULL: none). */
void debug_ops_init(cptr_t vfs_control, cptr_t console);

/* Whether a message came on a debug capability. */
bool debug_ops_is_debug(uint64_t badge);

/* A request on a debug capability: the answer's MR0 (the text's length or
 * -errno). */
int64_t debug_ops_request(uint64_t badge, request_t *req);

/*
 * Puts the debug capability in CAP_DEBUG_SESSION of proc's new CSpace when
 * proc may debug (unjailed, root scope); 0, or -errno when that fails.
 */
int debug_ops_give(process_t *proc);
/* Whether proc may use the debug protocol: unjailed, and in the root scope
 * or in containers that each allowed it (PROC_CONTAINER_ALLOW_DEBUG). */
bool debug_ops_may_debug(const process_t *proc);

#endif
