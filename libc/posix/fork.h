/* fork, vfork and the clone flags that mean fork. */
#ifndef CAPSULE_POSIX_FORK_H
#define CAPSULE_POSIX_FORK_H

#include "runtime.h"

int64_t fork_process(syscall_frame_t *f, uint64_t child_rsp, uint64_t child_tid_addr);
int64_t fork_clone(syscall_frame_t *f);

#endif
