/*
 * mount(2) and umount2(2) from a process (VFS_MOUNT, VFS_UMOUNT), in the
 * caller's own context, on top of the mount core (mount.h).
 */
#ifndef VFS_MOUNT_OPS_H
#define VFS_MOUNT_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "request.h"
#include "request_check.h"
#include "vnode.h"

/* The clock new ramfs/tmpfs instances stamp their files with; the boot
 * context, the only one whose devfs mounts show the host console. */
void mount_ops_init(vfs_clock_fn clock, const rootctx_t *boot);
/* That clock, for other instances vfs-server makes (masks). */
vfs_clock_fn mount_ops_clock(void);

/* A string of descriptor desc, len bytes (VFS_NO_STRING: none, *present
 * false, out[0] = 0): -ENAMETOOLONG, -EFAULT, -EINVAL (a NUL inside). */
int mount_ops_string_arg(const request_t *req, unsigned desc, uint64_t len,
                         char out[VFS_MOUNT_STRING_MAX + 1], bool *present);
/* A new instance of file system type (proc, ramfs, tmpfs, devfs), or
 * -ENODEV; a tmpfs with `opts` (may be NULL) gets their root mode and a
 * quota of its own inside ctx's (size=). */
int mount_ops_new_fs(const char *type, const rootctx_t *ctx, const vfs_ctx_mount_args_t *opts,
                     vfs_fs_t **out);

/* Serves labels 0x230..0x23f; -ENOSYS for the unknown ones. */
int64_t mount_ops_dispatch(client_t *c, const request_t *req);

#endif
