/*
 * execve: the packed arguments are checked, the file is read through
 * vfs-server as the process would open it (a "#!" script one level deep),
 * the new image is built aside, and only then do O_CLOEXEC descriptors
 * close and the old image go.
 */
#ifndef PROC_SERVER_EXEC_H
#define PROC_SERVER_EXEC_H

#include "exec_args.h"
#include "process.h"
#include "requests.h"

/* Copies the `len` bytes of packed path, argv and envp the caller lent as
 * descriptor 0 into a new *buf and unpacks them into *args (which point
 * into *buf: the caller frees it once done). 0, -E2BIG, -EINVAL, -EFAULT,
 * -ENOMEM; on an error nothing is left allocated. */
int64_t exec_args_receive(uint64_t len, uint8_t **buf, exec_args_t *args);

/* REQUEST_DEFERRED on success (the caller is gone), else -errno. */
int64_t exec_request(process_t *proc, const request_t *req);

#endif
