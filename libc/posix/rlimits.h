/* Resource limits: getrlimit, setrlimit, prlimit64, served in the process. */
#ifndef CAPSULE_POSIX_RLIMITS_H
#define CAPSULE_POSIX_RLIMITS_H

#include <stdint.h>

int64_t limits_prlimit(uint64_t pid, uint64_t resource, uint64_t new_addr, uint64_t old_addr);

#endif
