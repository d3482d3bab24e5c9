/* File system facts a process asks about: statx (from the struct stat
 * vfs-server answers) and statfs/fstatfs (VFS_STATFS). */
#ifndef CAPSULE_POSIX_STAT_CALLS_H
#define CAPSULE_POSIX_STAT_CALLS_H

#include "runtime.h"

/* The result for rax, or -ENOSYS if `f` is none of these. */
int64_t stat_calls_dispatch(const syscall_frame_t *f);

#endif
