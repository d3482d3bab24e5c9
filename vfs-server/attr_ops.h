/* Requests that change a file's attributes or flush it: fchmodat,
 * fchownat, truncate, ftruncate, utimensat, fsync (protocol/vfs.h). */
#ifndef VFS_ATTR_OPS_H
#define VFS_ATTR_OPS_H

#include "client.h"
#include "request.h"

int64_t attr_ops_dispatch(client_t *c, const request_t *req);

#endif
