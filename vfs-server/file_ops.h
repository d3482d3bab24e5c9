/* The requests a process makes on its files (protocol/vfs.h). */
#ifndef VFS_FILE_OPS_H
#define VFS_FILE_OPS_H

#include "client.h"
#include "request.h"

int64_t file_ops_dispatch(client_t *c, const request_t *req);

#endif
