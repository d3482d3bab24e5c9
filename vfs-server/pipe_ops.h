/* Pipes as vfs-server serves them: VFS_PIPE2, reads and writes of pipe
 * ends with answers that may come later, fstat and FIONREAD. */
#ifndef VFS_PIPE_OPS_H
#define VFS_PIPE_OPS_H

#include <sys/stat.h>

#include "client.h"
#include "request.h"

int64_t pipe_ops_pipe2(client_t *c, const request_t *req);
/* A read or write of `len` bytes through the pipe end `f` (descriptor 0
 * is the caller's buffer): the count, -errno or REQUEST_DEFERRED. */
int64_t pipe_ops_transfer(file_t *f, uint64_t len, bool write, bool nonblock);
void pipe_ops_stat(const file_t *f, struct stat *st);

#endif
