/*
 * Standard output and error of a server go to the kernel log; there is no
 * standard input.
 */
#include <errno.h>
#include <sys/uio.h>

#include "capsule/server.h"
#include "log.h"
#include "runtime.h"

#define IOV_MAX_COUNT 1024

RUNTIME int64_t log_write(int64_t fd, uint64_t buf, uint64_t len)
{
    if (fd != 1 && fd != 2) {
        return -EBADF;
    }
    if (len > INT64_MAX) {
        return -EINVAL;
    }
    if (len > 0 && debug_write(CAP_INIT_DEBUG, (const char *)buf, len) != KERR_OK) {
        return -EIO;
    }
    return (int64_t)len;
}

RUNTIME int64_t log_writev(int64_t fd, uint64_t iov_addr, uint64_t count)
{
    if (count > IOV_MAX_COUNT) {
        return -EINVAL;
    }
    const struct iovec *iov = (const struct iovec *)iov_addr;
    int64_t total = 0;
    for (uint64_t i = 0; i < count; i++) {
        int64_t n = log_write(fd, (uint64_t)iov[i].iov_base, iov[i].iov_len);
        if (n < 0) {
            return total > 0 ? total : n;
        }
        total += n;
    }
    return total;
}
