/*
 * fork: a new process whose address space, capabilities and registers are
 * copies of its parent's, taken while the parent waits in its request.
 */
#ifndef PROC_SERVER_FORK_H
#define PROC_SERVER_FORK_H

#include "process.h"

/* Returns the child's PID in the parent's numbering, or -errno (-EAGAIN
 * over a scope's limit, -ENOMEM); on an error nothing is left behind. */
int fork_process(process_t *parent);

#endif
