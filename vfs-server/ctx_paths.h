/*
 * Paths inside a VFS root context, for the requests a runtime makes on a
 * context capability: resolving from the context's root (never from the
 * holder's), a spawn's cwd, and the masked and read-only paths a container
 * config asks for (linux.maskedPaths, linux.readonlyPaths). Everything is
 * done by vfs-server inside the context: nothing of the container (its own
 * /dev/null, say) is ever used to hide something (CVE-2025-31133).
 *
 * Pure code over the core: no IPC, tested on the host.
 */
#ifndef VFS_CTX_PATHS_H
#define VFS_CTX_PATHS_H

#include <stddef.h>

#include "mount.h"
#include "vnode.h"

/* path (len bytes) resolved inside ctx from its root, flags RESOLVE_*:
 * `..` at the root stays there and symlinks never lead outside. Held. */
int ctx_paths_resolve(rootctx_t *ctx, const char *path, size_t len, unsigned flags,
                      vfs_path_t *out);

/*
 * A spawn's working directory: path (absolute, -EINVAL otherwise) resolved
 * inside ctx to a directory (-ENOENT, -ENOTDIR). len 0: the root, *out left
 * empty. Held.
 */
int ctx_paths_cwd(rootctx_t *ctx, const char *path, size_t len, vfs_path_t *out);

/*
 * maskedPaths: what path (absolute) names inside ctx is hidden by a locked
 * read-only mount of a new, empty file system instance: a directory shows
 * as an empty read-only directory, anything else as an empty read-only
 * regular file (reads give 0 bytes, writes EROFS). A path that does not
 * exist (-ENOENT, -ENOTDIR on the way) is fine and changes nothing.
 * clock stamps the instance (may be NULL).
 */
int ctx_paths_mask(rootctx_t *ctx, const char *path, size_t len, vfs_clock_fn clock);

/*
 * readonlyPaths: path (absolute) inside ctx becomes a locked read-only bind
 * of itself; a mount's root is made locked and read-only in place (the
 * mounts on it stay). A missing path is fine and changes nothing. -EBUSY
 * when locked mounts (masks) lie below a path that is no mount's root: the
 * bind, not recursive, would uncover them; readonly paths go first, as
 * runc applies them.
 */
int ctx_paths_readonly(rootctx_t *ctx, const char *path, size_t len);

#endif
