/* Names and attributes of files: rename, link, symlink, chmod, chown,
 * truncate, utimensat, fsync and their *at and legacy forms. */
#ifndef CAPSULE_POSIX_NAME_CALLS_H
#define CAPSULE_POSIX_NAME_CALLS_H

#include "runtime.h"

/* The result for rax, or -ENOSYS if `f` is none of these. */
int64_t name_calls_dispatch(const syscall_frame_t *f);

#endif
