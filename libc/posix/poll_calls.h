/* poll, ppoll, select and pselect6: one VFS_POLL request each. */
#ifndef CAPSULE_POSIX_POLL_CALLS_H
#define CAPSULE_POSIX_POLL_CALLS_H

#include "runtime.h"

int64_t poll_dispatch(const syscall_frame_t *f);

#endif
