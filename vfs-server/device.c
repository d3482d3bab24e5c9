/*
 * The devices vfs-server serves itself, and the terminals console-server
 * serves. The console writes to the kernel log until console-server drives
 * the UART; it has no input yet, so reading it is -EIO rather than a
 * pretended end of file. Pseudo-terminals exist only with console-server.
 */
#include "device.h"

#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <stdio.h>
#include <sys/stat.h>

#include "capsule/server.h"
#include "console_forward.h"
#include "devfs.h"
#include "proc_table.h"
#include "protocol/console.h"
#include "ramfs.h"
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

static const device_ops_t null_dev = {.name = "null", .read = null_read, .write = null_write};
static const device_ops_t zero_dev = {.name = "zero", .read = zero_read, .write = null_write};
static const device_ops_t full_dev = {.name = "full", .read = zero_read, .write = full_write};
static const device_ops_t console_dev = {.name = "console",
                                         .read = console_read,
                                         .write = console_write,
                                         .is_tty = true,
                                         .terminal = CONSOLE_TERMINAL_CONSOLE};
static const device_ops_t random_dev = {
    .name = "random", .read = random_dev_read, .write = random_dev_write};
static const device_ops_t urandom_dev = {
    .name = "urandom", .read = random_dev_read, .write = random_dev_write};

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
 * Pseudo-terminals: console-server keeps the pairs; here each open end is
 * a driver whose terminal word names it in the forwarded requests. The
 * slave's node pts/N is made in the devfs instance /dev/ptmx was opened
 * through when the pair is made and removed when its master closes, so a
 * container's /dev/pts lists only its own pairs, and opening a slave node
 * asks console-server for pair N of the node's own instance.
 */
#define PTY_MAJOR_SLAVE 136
#define PTY_SLOTS (CONSOLE_TERMINAL_SLOT_MASK + 1)
#define PTS_NAME_MAX 12

static device_ops_t pty_ends[PTY_SLOTS][2]; /* [slot][0: slave, 1: master] */

static vnode_t *pts_dir(vfs_fs_t *fs)
{
    vnode_t *dir;
    return ramfs_lookup(fs->root, "pts", 3, &dir) == 0 && vnode_is_dir(dir) ? dir : NULL;
}

/* Removes pts/N if it is still the node made for it (a user may have
 * replaced it). */
static void remove_pts_node(vfs_fs_t *fs, unsigned index)
{
    char name[PTS_NAME_MAX];
    int len = snprintf(name, sizeof(name), "%u", index);
    vnode_t *dir = pts_dir(fs), *node;
    if (dir != NULL && ramfs_lookup(dir, name, (size_t)len, &node) == 0 && S_ISCHR(node->mode) &&
        node->rdev == makedev(PTY_MAJOR_SLAVE, index)) {
        ramfs_unlink(dir, name, (size_t)len);
    }
}

static void pty_end_close(const device_ops_t *ops)
{
    uint64_t slot = ops->terminal & CONSOLE_TERMINAL_SLOT_MASK;
    bool master = (ops->terminal & CONSOLE_TERMINAL_MASTER) != 0;
    console_forward_pty_close(ops->terminal);
    if (master && ops->pts_fs != NULL) {
        device_ops_t *m = &pty_ends[slot][1];
        remove_pts_node(m->pts_fs, m->pts_index);
        m->pts_fs = NULL;
    }
}

static const device_ops_t *pty_end(uint64_t slot, bool master)
{
    device_ops_t *d = &pty_ends[slot][master ? 1 : 0];
    *d = (device_ops_t){
        .name = master ? "ptmx" : "pts",
        .read = console_read,
        .write = console_write,
        .is_tty = true,
        .terminal = (master ? CONSOLE_TERMINAL_MASTER : CONSOLE_TERMINAL_SLAVE) | slot,
        .close = pty_end_close,
    };
    return d;
}

/* /dev/ptmx: a new pair in `fs`, and its slave's node pts/N (0620, group
 * tty, as devpts makes it: grantpt has nothing left to do). */
static int open_ptmx(vfs_fs_t *fs, bool unlocked, const device_ops_t **out)
{
    int64_t r = console_forward_pty_open(fs->dev, unlocked);
    if (r < 0) {
        return (int)r;
    }
    uint64_t slot = (uint64_t)r & CONSOLE_TERMINAL_SLOT_MASK;
    unsigned index = (unsigned)((uint64_t)r >> 8);
    char name[PTS_NAME_MAX];
    int len = snprintf(name, sizeof(name), "%u", index);
    vnode_t *dir = pts_dir(fs);
    if (dir != NULL) {
        /* -EEXIST: a name the user made there first; the pair still works */
        ramfs_mknod(dir, name, (size_t)len, S_IFCHR | 0620, makedev(PTY_MAJOR_SLAVE, index), 0, 5,
                    NULL);
    }
    device_ops_t *m = (device_ops_t *)pty_end(slot, true);
    m->pts_fs = fs;
    m->pts_index = index;
    *out = m;
    return 0;
}

static int open_pts(vfs_fs_t *fs, unsigned index, const device_ops_t **out)
{
    int64_t slot = console_forward_pty_open_slave(fs->dev, index);
    if (slot < 0) {
        return slot == -ENOENT ? -ENXIO : (int)slot;
    }
    *out = pty_end((uint64_t)slot, false);
    return 0;
}

/*
 * /dev/tty: the caller's controlling terminal, the console or a pair's
 * slave. console-server alone knows which session a terminal belongs to
 * (TIOCSCTTY, TIOCNOTTY, a hangup and a session leader's exit change it
 * there), so it is asked at each open rather than remembered here, where a
 * forwarded ioctl's answer is never seen.
 */
static int open_tty(int pid, const device_ops_t **out)
{
    proc_record_t me;
    if (!console_forwarded() || !proc_table_lookup(pid, &me) || me.sid <= 0) {
        return -ENXIO; /* the kernel log is nobody's controlling terminal */
    }
    int64_t word = console_forward_ctty(me.sid);
    if (word < 0) {
        return word == -ENXIO ? -ENXIO : (int)word;
    }
    if (word == CONSOLE_TERMINAL_CONSOLE) {
        *out = &console_dev;
        return 0;
    }
    *out = pty_end((uint64_t)word & CONSOLE_TERMINAL_SLOT_MASK, false);
    return 0;
}

int device_open(int pid, const vnode_t *node, const device_ops_t **out)
{
    dev_t rdev = node->rdev;
    if (rdev == 0x500) { /* makedev(5, 0) */
        return open_tty(pid, out);
    }
    bool pty = rdev == 0x502 || major(rdev) == PTY_MAJOR_SLAVE;
    if (pty && (!console_forwarded() || !devfs_is_instance(node->fs))) {
        return -ENXIO; /* pairs live in devfs instances, and in console-server */
    }
    if (rdev == 0x502) {
        return open_ptmx(node->fs, false, out);
    }
    if (major(rdev) == PTY_MAJOR_SLAVE) {
        return open_pts(node->fs, minor(rdev), out);
    }
    *out = device_find(rdev);
    return *out != NULL ? 0 : -ENXIO;
}

int device_open_ptmx_unlocked(const vnode_t *node, const device_ops_t **out)
{
    if (node->rdev != 0x502 || !console_forwarded() || !devfs_is_instance(node->fs)) {
        return -ENXIO;
    }
    return open_ptmx(node->fs, true, out);
}
