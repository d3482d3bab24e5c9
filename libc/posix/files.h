/* The file system calls of a process: requests to vfs-server. */
#ifndef CAPSULE_POSIX_FILES_H
#define CAPSULE_POSIX_FILES_H

#include "runtime.h"

/* The result for rax, or -ENOSYS if `f` is not a file call. */
int64_t files_dispatch(const syscall_frame_t *f);

/* One vfs-server request on the process's session; its result. */
int64_t vfs_call(uint64_t label, uint64_t mr0, uint64_t mr1, uint64_t mr2, uint64_t mr3,
                 unsigned descriptors);
/* Lends [addr, addr + len) as descriptor `desc` of the next request. */
void lend(unsigned desc, uint64_t addr, uint64_t len, uint64_t flags);
/* Lends the NUL-terminated path at `addr` as descriptor 0; its length. */
int64_t lend_path(uint64_t addr);
/* A request naming a path (descriptor 0, its length in MR3). */
int64_t path_call(uint64_t label, uint64_t path, uint64_t mr0, uint64_t mr1, uint64_t mr2,
                  unsigned extra_descriptors);

#endif
