/*
 * Character devices: a device file's node names a driver by its device
 * number; opening it binds the file description to the driver's operations.
 */
#ifndef VFS_DEVICE_H
#define VFS_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct vfs_fs vfs_fs_t;
typedef struct vnode vnode_t;

typedef struct device_ops {
    const char *name;
    ssize_t (*read)(void *buf, size_t len);
    ssize_t (*write)(const void *buf, size_t len);
    bool is_tty;
    /* A terminal's CONSOLE_TERMINAL_* word in console-server's requests. */
    uint64_t terminal;
    /* Called when the last file description bound to it closes; NULL: none. */
    void (*close)(const struct device_ops *ops);
    /* A pseudo-terminal master: the devfs instance whose pts/ shows its
     * slave, kept alive by the master's file description. */
    vfs_fs_t *pts_fs;
    unsigned pts_index; /* its N */
} device_ops_t;

/* The driver of character device `rdev`, or NULL (-ENXIO on open). */
const device_ops_t *device_find(dev_t rdev);

/* Binds an open of device node `node` by process `pid` to its driver:
 * device_find's, except that /dev/tty (5,0) is the console when the
 * console is the controlling terminal of pid's session, /dev/ptmx (5,2)
 * makes a new pseudo-terminal pair in the devfs instance of `node` (and
 * its pts/N node), and a slave (136,N) opens pair N of `node`'s instance.
 * -ENXIO when there is no driver or no controlling terminal. */
int device_open(int pid, const vnode_t *node, const device_ops_t **out);

/* /dev/ptmx (node must be one, of a devfs instance: -ENXIO) opened for
 * vfs-server's own use: a new pair whose slave is unlocked at once, for
 * runc exec -t (spawn_pty.h). */
int device_open_ptmx_unlocked(const vnode_t *node, const device_ops_t **out);

#endif
