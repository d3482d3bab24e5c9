/* mmap(2) of the POSIX runtime: anonymous memory, and files by copying. */
#ifndef CAPSULE_POSIX_FILE_MAP_H
#define CAPSULE_POSIX_FILE_MAP_H

#include <stdint.h>

/*
 * mmap(2). Anonymous mappings come from the runtime's window. A private
 * mapping of a regular file opened for reading is anonymous memory filled
 * by reading the file at `offset` (bytes past the end of the file read as
 * zeros; writes stay private, as MAP_PRIVATE's copy-on-write would keep
 * them). A shared mapping of a file, or a mapping of anything but a regular
 * file, is -ENODEV: nothing here would carry writes back or show the file's
 * later changes. Other errors as Linux: -EBADF, -EACCES, -EINVAL.
 */
int64_t file_map_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd,
                      uint64_t offset);

#endif
