/* A server's standard output and error: the kernel log. */
#ifndef CAPSULE_SERVER_LOG_H
#define CAPSULE_SERVER_LOG_H

#include <stdint.h>

int64_t log_write(int64_t fd, uint64_t buf, uint64_t len);
int64_t log_writev(int64_t fd, uint64_t iov, uint64_t count);

#endif
