/*
 * vfs-server's context requests for ordinary musl programs
 * (docs/protocols/vfs.md, "Contexts"): native calls on CAP_VFS_SESSION and
 * on a context's capability, which lands in the program's own slots
 * (capsule/proc_client.h). Single-threaded use only.
 *
 * Every function returns a non-negative result or -errno.
 */
#ifndef CAPSULE_VFS_CLIENT_H
#define CAPSULE_VFS_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "capsule/proc_client.h"
#include "protocol/vfs.h"

/* A new context: a copy of the caller's mount table (root NULL), or one
 * whose `/` is the directory root of the caller's context. */
int capsule_vfs_context_create(const char *root, capsule_obj_t *out);
/* A new file system of type (proc, tmpfs, ramfs, devfs) at target, a path
 * inside the context; source may be NULL. */
int capsule_vfs_context_mount(const capsule_obj_t *ctx, const char *type, const char *source,
                              const char *target, bool rdonly);
/* A tmpfs at target with tmpfs's size= (bytes, rounded up to 4 KiB pages;
 * 0: none of its own) and mode= (its root's mode; -1: 01777). -EINVAL for
 * a size past 16 TiB or a mode past 07777. */
int capsule_vfs_context_mount_tmpfs(const capsule_obj_t *ctx, const char *target, bool rdonly,
                                    uint64_t size, long mode);
/* source, a path of the caller's own context, bound at target inside. */
int capsule_vfs_context_bind(const capsule_obj_t *ctx, const char *source, const char *target,
                             bool rdonly);
/* The runtime's name for the context (the container ID), for dbg. */
int capsule_vfs_context_label(const capsule_obj_t *ctx, const char *label);
/* The most server memory the context's processes may make vfs-server hold
 * (VFS_CONTEXT_QUOTA_DEFAULT until set): -EBUSY below what it holds now. */
int capsule_vfs_context_set_quota(const capsule_obj_t *ctx, uint64_t bytes);
/* mkdir -p of path inside the context. */
int capsule_vfs_context_mkdir(const capsule_obj_t *ctx, const char *path, unsigned mode);
/* The mount whose root path (inside) is made read-only or writable. */
int capsule_vfs_context_set_rdonly(const capsule_obj_t *ctx, const char *path, bool rdonly);
/* The caller's next capsule_spawn runs its child in this context, with cwd
 * (an absolute path inside, resolved now) as its working directory; NULL:
 * the context's root. A refused cwd leaves any earlier preparation. */
int capsule_vfs_context_prepare_spawn(const capsule_obj_t *ctx, const char *cwd);
/* linux.maskedPaths: path inside reads as empty (a directory: empty) and
 * is read-only; a missing path is no error. */
int capsule_vfs_context_mask(const capsule_obj_t *ctx, const char *path);
/* linux.readonlyPaths: path inside becomes read-only; missing: no error. */
int capsule_vfs_context_readonly(const capsule_obj_t *ctx, const char *path);
/* open(2) of an absolute path inside the context into the caller's own
 * descriptor table: the fd. */
int capsule_vfs_context_open(const capsule_obj_t *ctx, const char *path, int flags, unsigned mode);
/* The container's /dev/console becomes the slave of the pseudo-terminal
 * whose master the caller has open as master_fd (from the context's own
 * /dev/ptmx, by capsule_vfs_context_open). */
int capsule_vfs_context_set_console(const capsule_obj_t *ctx, int master_fd);
/* Closes the handle (every copy of the capability then answers EBADF)
 * and frees the slot. */
void capsule_vfs_context_close(capsule_obj_t *ctx);

/* A request as it travels: up to 4 registers and 3 buffers lent (read
 * only), the reply's MR0 (-EIO if the call failed); a capability in the
 * reply lands in *recv when recv is not NULL. For tests. */
typedef struct {
    uint64_t label;
    uint64_t length;
    uint64_t mr[4];
    const void *desc[3];
    uint64_t desc_len[3];
} capsule_vfs_raw_t;
int64_t capsule_vfs_raw(uint64_t cap, const capsule_vfs_raw_t *raw, uint64_t *recv);

#endif
