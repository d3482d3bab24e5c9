/* Logging the -ENOSYS reports of processes (enosys_log.h). */
#include "enosys_log.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "capsule/enosys_filter.h"
#include "log_limit.h"

static bool enabled;
static log_limit_t limit;

void enosys_log_init(const char *kernel_cmdline, uint64_t max)
{
    enabled = enosys_cmdline_has_word(kernel_cmdline, max, ENOSYS_LOG_WORD);
}

int64_t enosys_log_request(const process_t *caller, uint64_t nr)
{
    if (!enabled) {
        return 0;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    uint64_t dropped;
    if (!log_limit_take(&limit, now, &dropped)) {
        return 0;
    }
    if (dropped > 0) {
        fprintf(stderr, "proc-server: %lu unsupported-system-call reports suppressed\n", dropped);
    }
    fprintf(stderr, "proc-server: pid %d (%s): unsupported system call %lu, answered ENOSYS\n",
            proc_global_pid(caller), caller->comm, nr);
    return 0;
}
