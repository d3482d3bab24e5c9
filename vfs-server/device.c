/*
 * The devices vfs-server serves itself. The console writes to the kernel
 * log until console-server drives the UART; it has no input yet, so reading
 * it is -EIO rather than a pretended end of file.
 */
#include "device.h"

#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "capsule/server.h"

static ssize_t null_read(void *buf, size_t len)
{
    (void)buf, (void)len;
    return 0;
}

static ssize_t null_write(const void *buf, size_t len)
{
    (void)buf;
    return (ssize_t)len;
}

static ssize_t zero_read(void *buf, size_t len)
{
    memset(buf, 0, len);
    return (ssize_t)len;
}

static ssize_t full_write(const void *buf, size_t len)
{
    (void)buf, (void)len;
    return -ENOSPC;
}

static ssize_t console_read(void *buf, size_t len)
{
    (void)buf, (void)len;
    return -EIO;
}

static ssize_t console_write(const void *buf, size_t len)
{
    return debug_write(CAP_INIT_DEBUG, buf, len) == KERR_OK ? (ssize_t)len : -EIO;
}

static const device_ops_t null_dev = {"null", null_read, null_write, false};
static const device_ops_t zero_dev = {"zero", zero_read, null_write, false};
static const device_ops_t full_dev = {"full", zero_read, full_write, false};
static const device_ops_t console_dev = {"console", console_read, console_write, true};

const device_ops_t *device_find(dev_t rdev)
{
    switch (rdev) {
    case 0x103: /* makedev(1, 3) */
        return &null_dev;
    case 0x105:
        return &zero_dev;
    case 0x107:
        return &full_dev;
    case 0x501: /* makedev(5, 1) */
        return &console_dev;
    default:
        return NULL;
    }
}
