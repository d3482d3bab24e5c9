/* The requests a process makes on its files (protocol/vfs.h). */
#ifndef VFS_FILE_OPS_H
#define VFS_FILE_OPS_H

#include <stdbool.h>

#include "client.h"
#include "request.h"

/* The directory a *at call is relative to: AT_FDCWD (NULL) or an open one. */
int dirfd_path(const client_t *c, int64_t dirfd, const vfs_path_t **out);

/* The name a *at request carries: its path (descriptor 0, length in MR3)
 * and, unless `cwd_only`, the directory of MR0 it is relative to. */
typedef struct {
    char path[VFS_PATH_MAX];
    size_t len;
    const vfs_path_t *dir; /* NULL: the cwd */
} name_arg_t;

int name_arg(const client_t *c, const request_t *req, bool cwd_only, name_arg_t *out);

/* The existing object a name leads to, held; RESOLVE_* `flags`. */
int resolve_name(const client_t *c, const name_arg_t *n, unsigned flags, vfs_path_t *out);

int64_t file_ops_dispatch(client_t *c, const request_t *req);

#endif
