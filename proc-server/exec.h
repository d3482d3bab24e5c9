/*
 * execve: the packed arguments are checked, the file is read through
 * vfs-server as the process would open it (a "#!" script one level deep),
 * the new image is built aside, and only then do O_CLOEXEC descriptors
 * close and the old image go.
 */
#ifndef PROC_SERVER_EXEC_H
#define PROC_SERVER_EXEC_H

#include "process.h"
#include "requests.h"

/* REQUEST_DEFERRED on success (the caller is gone), else -errno. */
int64_t exec_request(process_t *proc, const request_t *req);

#endif
