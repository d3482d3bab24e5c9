/*
 * The initrd reader: unpacks a cpio "newc" archive (magic 070701, or 070702
 * whose checksums are not verified) into a ramfs directory.
 *
 * The archive is untrusted: every offset and size is checked against the
 * archive's length before it is used. Names are taken relative to the target
 * directory; "." and empty components are skipped, while ".." components, a
 * path through a symlink or a non-directory, and bad names are refused for that
 * entry. Missing parent directories are created (mode 0755). An existing
 * non-directory is replaced; an existing directory keeps its entries and takes
 * the archive's mode, owner and mtime. Hard links are made for regular files
 * sharing (ino, device) with nlink > 1, the data going to the shared file.
 *
 * A bad entry is reported and skipped, and the good ones are kept. A broken
 * header (bad magic or hex digits, sizes past the end of the archive) ends the
 * walk, since nothing after it can be located.
 */
#ifndef VFS_CPIO_H
#define VFS_CPIO_H

#include <stddef.h>
#include <stdint.h>

#include "vnode.h"

/* Told about each bad entry: its offset in the archive, its name ("" if unknown) and why. */
typedef void (*cpio_report_fn)(void *arg, uint64_t offset, const char *name, const char *why);

typedef struct cpio_stats {
    unsigned entries; /* entries unpacked */
    unsigned bad;     /* entries reported and skipped */
} cpio_stats_t;

/*
 * Unpacks data[0..size) into dir. Returns 0 if the archive was read to its
 * TRAILER!!! (even if entries were skipped), -EINVAL if it broke off before,
 * -ENOTDIR if dir is not a directory. report may be NULL; stats may be NULL.
 */
int cpio_unpack(const void *data, size_t size, vnode_t *dir, cpio_report_fn report, void *arg,
                cpio_stats_t *stats);

#endif
