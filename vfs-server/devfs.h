/*
 * devfs: the "devtmpfs" file system type (also accepted as "devfs"). One
 * instance per mount, so each VFS context sees only the devices of the
 * /dev it mounted (a container's /dev must never show the host's terminal:
 * docs/protocols/vfs.md, devfs). An instance is a ramfs tree made at creation:
 *
 *   null 1,3  zero 1,5  full 1,7  random 1,8  urandom 1,9   (0666)
 *   tty 5,0 (0666)  console 5,1 (0600)
 *   pts/   empty until pseudo-terminals exist
 *   shm/   1777: POSIX shared memory (shm_open) makes files here
 *   fd -> /proc/self/fd, stdin, stdout, stderr -> /proc/self/fd/0..2
 *
 * as Linux's devtmpfs with udev's links shows them. The tree is writable
 * like Linux's: files, directories, links, FIFOs and sockets may be made
 * and names removed; but a device node may be made (mknod) only for a
 * device number the instance was created with: any other is -EPERM, so a
 * process cannot reach a device its /dev was not given.
 */
#ifndef VFS_DEVFS_H
#define VFS_DEVFS_H

#include <stddef.h>
#include <sys/types.h>

#include "vnode.h"

typedef struct devfs_device {
    const char *name;
    dev_t rdev;  /* a character device */
    mode_t perm; /* permission bits of its node */
} devfs_device_t;

/* The devices of the boot context's /dev (the list above), ended by a
 * NULL name as every device list is. */
extern const devfs_device_t devfs_default_devices[];
/* Those of any other context's: no console, so a container never reads
 * what is typed at the host's (its own pty comes with the pty work). */
extern const devfs_device_t devfs_context_devices[];

typedef struct devfs_opts {
    const char *type;              /* "devtmpfs" (default) or "devfs": /proc/mounts */
    const devfs_device_t *devices; /* the instance's devices, NULL-name ended; must outlive it */
    quota_t *quota;                /* NULL: unlimited */
    vfs_clock_fn clock;            /* NULL: timestamps stay zero */
} devfs_opts_t;

/* Whether type names devfs ("devtmpfs" or "devfs"). */
int devfs_is_type(const char *type);

/* A new devfs instance holding opts' devices; the caller holds its one reference. */
int devfs_new(const devfs_opts_t *opts, vfs_fs_t **out);

/* Whether `fs` is a devfs instance (where pseudo-terminals live). */
bool devfs_is_instance(const vfs_fs_t *fs);

/*
 * A container's /dev/console (process.terminal): `console` in instance fs
 * becomes the node of its pseudo-terminal slave N (136,N, 0620, group tty),
 * made by the server in the instance's own root, never through a path a
 * container could have laid (CVE-2025-52565). A non-directory already
 * there is replaced; a directory is -EEXIST. -EINVAL if fs is no devfs.
 */
int devfs_set_console(vfs_fs_t *fs, unsigned pty_index);

#endif
