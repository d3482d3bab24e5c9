/* proc-server's requests: processes coming and going, and reading the
 * file a process is about to execute. */
#ifndef VFS_CONTROL_H
#define VFS_CONTROL_H

#include "mount.h"
#include "request.h"

/* The boot context and its console, which first processes get. */
void control_init(rootctx_t *boot_ctx, const vfs_path_t *console);

int64_t control_dispatch(const request_t *req);

#endif
