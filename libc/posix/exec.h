/* execve, served by proc-server. */
#ifndef CAPSULE_POSIX_EXEC_H
#define CAPSULE_POSIX_EXEC_H

#include "runtime.h"

/* Returns only on failure (-errno); the old image carries on. */
int64_t exec_process(uint64_t path, uint64_t argv, uint64_t envp);

#endif
