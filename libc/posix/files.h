/* The file system calls of a process: requests to vfs-server. */
#ifndef CAPSULE_POSIX_FILES_H
#define CAPSULE_POSIX_FILES_H

#include "runtime.h"

/* The result for rax, or -ENOSYS if `f` is not a file call. */
int64_t files_dispatch(const syscall_frame_t *f);

#endif
