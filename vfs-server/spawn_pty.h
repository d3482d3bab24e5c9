/*
 * runc exec -t (VFS_PROC_PTY): a pseudo-terminal pair from the devfs of
 * the container a spawned process has joined, opened in that process's own
 * place, its slave the process's descriptors 0-2 and controlling terminal,
 * its master a descriptor of the spawner (docs/runc.md, "exec").
 */
#ifndef VFS_SPAWN_PTY_H
#define VFS_SPAWN_PTY_H

#include <stdint.h>

#include "client.h"

/* Opens the pair from child's /dev/ptmx and /dev/pts/N (resolved from its
 * root), installs the slave as child's 0, 1 and 2 (which must be free:
 * -EBUSY) and the master as the spawner's lowest free descriptor
 * (close-on-exec), and makes the slave child's controlling terminal when
 * child leads a session without one. Returns that descriptor, or -errno
 * with nothing left open anywhere (-ENXIO: no pair to be had there). */
int64_t spawn_pty_open(client_t *child, client_t *spawner);

#endif
