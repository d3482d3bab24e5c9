/*
 * mount(2) and umount2(2) from a process (VFS_MOUNT, VFS_UMOUNT), in the
 * caller's own context, on top of the mount core (mount.h).
 */
#ifndef VFS_MOUNT_OPS_H
#define VFS_MOUNT_OPS_H

#include <stdint.h>

#include "client.h"
#include "request.h"
#include "vnode.h"

/* The clock new ramfs/tmpfs instances stamp their files with. */
void mount_ops_init(vfs_clock_fn clock);

/* Serves labels 0x230..0x23f; -ENOSYS for the unknown ones. */
int64_t mount_ops_dispatch(client_t *c, const request_t *req);

#endif
