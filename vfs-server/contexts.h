/*
 * VFS root contexts by request: VFS_CONTEXT_CREATE on a process's session,
 * and the requests on a context capability (mount, bind, mkdir -p,
 * read-only, close, prepare a spawn at a cwd, masked and read-only paths,
 * open into the holder's table, the console). Capabilities and handles as
 * in ctx_handles.h; paths inside as in ctx_paths.h; docs/protocols/vfs.md
 * "Contexts".
 */
#ifndef VFS_CONTEXTS_H
#define VFS_CONTEXTS_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "request.h"

/* Whether process pid is jailed (or unknown to the process table: refused
 * alike), read from proc-server's table page. */
bool contexts_caller_jailed(int pid);

/* VFS_CONTEXT_CREATE. *reply_cap: a slot the reply carries (the new
 * context's capability), for the caller to delete once it is sent. */
int64_t contexts_session_request(client_t *c, const request_t *req, cptr_t *reply_cap);

/* A request that arrived with an object badge (any label). */
int64_t contexts_object_request(uint64_t badge, const request_t *req, cptr_t *reply_cap);

#endif
