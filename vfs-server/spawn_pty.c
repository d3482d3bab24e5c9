/* runc exec -t's pair, opened by vfs-server inside the joined container
 * (spawn_pty.h): runc holds no capability for a running container's
 * context, so it cannot open that devfs's /dev/ptmx itself. */
#include "spawn_pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "console_forward.h"
#include "fsops.h"
#include "protocol/console.h"

/* path opened as child would open it (from its root: an absolute path).
 * A name that is missing or no device means no pair to be had there
 * (-ENXIO), never the -ENOENT a spawner would read as "no such program". */
static int open_in(const client_t *child, const char *path, vfs_path_t *out)
{
    vfs_caller_t who = client_caller(child);
    vfs_name_t name = {NULL, path, strlen(path)};
    int err = fsops_openat(&who, &name, O_RDWR, 0, out);
    if (err == 0 && !S_ISCHR(out->vn->mode)) {
        path_put(out);
        err = -ENXIO;
    }
    return err == -ENOENT || err == -ENOTDIR ? -ENXIO : err;
}

static file_t *describe(vfs_path_t *path, const device_ops_t *dev)
{
    file_t *f = file_new(path, O_RDWR, dev);
    if (f == NULL) {
        if (dev->close != NULL) {
            dev->close(dev); /* the pair end it opened */
        }
        path_put(path);
    }
    return f;
}

/* The container's /dev/ptmx: a new pair of its devfs, unlocked. */
static int open_master(const client_t *child, file_t **out)
{
    vfs_path_t path;
    const device_ops_t *dev;
    int err = open_in(child, "/dev/ptmx", &path);
    if (err == 0 && (err = device_open_ptmx_unlocked(path.vn, &dev)) != 0) {
        path_put(&path);
    }
    if (err == 0 && (*out = describe(&path, dev)) == NULL) {
        err = -ENOMEM;
    }
    return err;
}

/* Its /dev/pts/N, which must be that pair's slave: something else mounted
 * or made at that name inside is refused, never handed out instead. */
static int open_slave(const client_t *child, const device_ops_t *master, file_t **out)
{
    char name[32];
    snprintf(name, sizeof(name), "/dev/pts/%u", master->pts_index);
    vfs_path_t path;
    const device_ops_t *dev = NULL;
    int err = open_in(child, name, &path);
    if (err == 0 && (err = device_open(child->pid, path.vn, &dev)) != 0) {
        path_put(&path);
    }
    uint64_t want = CONSOLE_TERMINAL_SLAVE | (master->terminal & CONSOLE_TERMINAL_SLOT_MASK);
    if (err == 0 && dev->terminal != want) {
        if (dev->close != NULL) {
            dev->close(dev);
        }
        path_put(&path);
        err = -ENXIO;
    }
    if (err == 0 && (*out = describe(&path, dev)) == NULL) {
        err = -ENOMEM;
    }
    return err;
}

int64_t spawn_pty_open(client_t *child, client_t *spawner)
{
    for (int i = 0; i < 3; i++) {
        if (fd_get(&child->fds, i) != NULL) {
            return -EBUSY;
        }
    }
    int fd = fd_alloc(&spawner->fds, 0);
    if (fd < 0) {
        return fd;
    }
    quota_set_requester(child->ctx->quota); /* the container pays for its pair */
    file_t *master, *slave;
    int err = open_master(child, &master);
    if (err != 0) {
        return err;
    }
    if ((err = open_slave(child, master->dev, &slave)) != 0) {
        file_put(master);
        return err;
    }
    slave->refs += 2; /* one description as 0, 1 and 2, as a shell's dup2 makes */
    for (int i = 0; i < 3; i++) {
        fd_install(&child->fds, i, slave, false);
    }
    fd_install(&spawner->fds, fd, master, true);
    console_forward_open_ctty(child->pid, slave->dev);
    return fd;
}
