/*
 * A container of the tiny program, started and waited for, the way each
 * system makes one:
 *  - Capsule: the library calls `runc run` makes, through
 *    userland/procbench/bench_container.c (the bundle /containers/bench:
 *    scope, hostname context, VFS context with six mounts, held spawn,
 *    registry record, start, wait, delete);
 *  - Linux: clone(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS), in the child
 *    the same six mounts (read-only binds of /bin, /sbin, /usr; proc,
 *    devtmpfs, tmpfs) under /containers/bench/rootfs, chroot there,
 *    sethostname, execve; the parent waits.
 */
#ifndef BENCH_CONTAINER_H
#define BENCH_CONTAINER_H

#include "system.h"

#define BENCH_ROOTFS "/containers/bench/rootfs"

/* Runs argv (an absolute path inside the container) in a new container on
 * `system`: its wait status, or -errno. */
int bench_container_start(bench_system_t system, char *const argv[]);

/* Linux: clones a container's PID 1 running argv with `out` as its stdout
 * (-1: this program's) and returns at once: its PID, or -errno. */
int linux_container_spawn(char *const argv[], int out);

#endif
