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
#include "console_forward.h"
#include "proc_table.h"
#include "random_dev.h"

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
static const device_ops_t random_dev = {"random", random_dev_read, random_dev_write, false};
static const device_ops_t urandom_dev = {"urandom", random_dev_read, random_dev_write, false};

const device_ops_t *device_find(dev_t rdev)
{
    switch (rdev) {
    case 0x103: /* makedev(1, 3) */
        return &null_dev;
    case 0x105:
        return &zero_dev;
    case 0x107:
        return &full_dev;
    case 0x108:
        return &random_dev;
    case 0x109:
        return &urandom_dev;
    case 0x501: /* makedev(5, 1) */
        return &console_dev;
    default:
        return NULL;
    }
}

/*
 * /dev/tty: the caller's controlling terminal. The console is the only
 * terminal, and console-server alone knows which session it belongs to
 * (TIOCSCTTY, TIOCNOTTY and a session leader's exit change it there), so
 * it is asked at each open rather than remembered here, where a forwarded
 * ioctl's answer is never seen.
 */
static int open_tty(int pid, const device_ops_t **out)
{
    proc_record_t me;
    if (!console_forwarded() || !proc_table_lookup(pid, &me)) {
        return -ENXIO; /* the kernel log is nobody's controlling terminal */
    }
    int64_t session = console_forward_session();
    if (session <= 0 || session != me.sid) {
        return -ENXIO;
    }
    *out = &console_dev;
    return 0;
}

int device_open(int pid, dev_t rdev, const device_ops_t **out)
{
    if (rdev == 0x500) { /* makedev(5, 0) */
        return open_tty(pid, out);
    }
    *out = device_find(rdev);
    return *out != NULL ? 0 : -ENXIO;
}
