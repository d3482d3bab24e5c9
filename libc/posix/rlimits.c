/*
 * Resource limits, kept in the process (a fork copies them). The real ones
 * are reported: RLIMIT_NOFILE is vfs-server's descriptor table (FD_MAX,
 * 256), RLIMIT_STACK how far proc-server grows the stack (8 MiB); no other
 * resource has a limit in Capsule, so the rest are RLIM_INFINITY. A limit may be lowered, and a
 * soft one raised up to its hard one; raising a hard limit is refused (-EPERM) even for root, since
 * nothing could honour it. Lowered limits are reported but only NOFILE's
 * ceiling is enforced (by vfs-server). exec starts again from these values
 * (Linux keeps them): docs/runtimes.md lists both departures.
 */
#include "rlimits.h"

#include <errno.h>
#include <sys/resource.h>

#include "process.h"
#include "protocol/posix_stack.h"
#include "runtime.h"

#define NOFILE_MAX 256 /* vfs-server's FD_MAX */

typedef struct {
    uint64_t cur, max;
} limit_t;

static limit_t limits[RLIM_NLIMITS];
static bool limits_set;

RUNTIME static void limits_init(void)
{
    for (int i = 0; i < RLIM_NLIMITS; i++) {
        limits[i] = (limit_t){RLIM_INFINITY, RLIM_INFINITY};
    }
    limits[RLIMIT_NOFILE] = (limit_t){NOFILE_MAX, NOFILE_MAX};
    /* how far proc-server lets the stack grow on demand */
    limits[RLIMIT_STACK] = (limit_t){POSIX_STACK_LIMIT, POSIX_STACK_LIMIT};
    limits_set = true;
}

RUNTIME int64_t limits_prlimit(uint64_t pid, uint64_t resource, uint64_t new_addr,
                               uint64_t old_addr)
{
    if (resource >= RLIM_NLIMITS) {
        return -EINVAL;
    }
    if ((int32_t)pid != 0 && (int32_t)pid != process_getpid()) {
        return -ESRCH; /* another process's limits are not reachable from here */
    }
    if (!limits_set) {
        limits_init();
    }
    limit_t want;
    if (new_addr != 0) {
        if (user_copy_in(&want, new_addr, sizeof(want)) != 0) {
            return -EFAULT;
        }
        if (want.cur > want.max) {
            return -EINVAL;
        }
        if (want.max > limits[resource].max) {
            return -EPERM;
        }
    }
    if (old_addr != 0 && user_put(old_addr, &limits[resource], sizeof(limit_t)) != 0) {
        return -EFAULT;
    }
    if (new_addr != 0) {
        limits[resource] = want;
    }
    return 0;
}
