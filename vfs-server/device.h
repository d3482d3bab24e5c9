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

typedef struct device_ops {
    const char *name;
    ssize_t (*read)(void *buf, size_t len);
    ssize_t (*write)(const void *buf, size_t len);
    bool is_tty;
} device_ops_t;

/* The driver of character device `rdev`, or NULL (-ENXIO on open). */
const device_ops_t *device_find(dev_t rdev);

/* Binds an open of character device `rdev` by process `pid` to its
 * driver: device_find's, except that /dev/tty (5,0) is the console when
 * the console is the controlling terminal of pid's session. -ENXIO when
 * there is no driver or no controlling terminal. */
int device_open(int pid, dev_t rdev, const device_ops_t **out);

#endif
