/*
 * Changing where a process's `/` is: chroot(2) moves one process's root
 * inside its context; pivot_root(2) changes which mount is the context's
 * root for every process in it. Neither can lead outside the context.
 */
#ifndef VFS_ROOT_OPS_H
#define VFS_ROOT_OPS_H

#include <stdint.h>

#include "client.h"
#include "request.h"

/* VFS_CHROOT: -EPERM for a process without CAP_SYS_CHROOT (its record says). */
int64_t root_ops_chroot(client_t *c, const request_t *req);
/* VFS_PIVOT_ROOT; mount_ops_dispatch has checked the caller may mount. */
int64_t root_ops_pivot(client_t *c, const request_t *req);

#endif
