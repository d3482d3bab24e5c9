/* Requests of two names: renameat2, linkat, symlinkat (protocol/vfs.h). */
#ifndef VFS_NAME_OPS_H
#define VFS_NAME_OPS_H

#include "client.h"
#include "request.h"

int64_t name_ops_dispatch(client_t *c, const request_t *req);

#endif
