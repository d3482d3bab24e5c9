/* devfs: building an instance's tree, and the mknod rule (see devfs.h). */
#include "devfs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "ramfs.h"

/* Linux's encoding of a small device number (makedev is a function in
 * glibc, where the unit tests build: not usable in an initializer) */
#define DEV(major, minor) ((dev_t)((major) << 8 | (minor)))

const devfs_device_t devfs_default_devices[] = {
    {"null", DEV(1, 3), 0666},    {"zero", DEV(1, 5), 0666},    {"full", DEV(1, 7), 0666},
    {"random", DEV(1, 8), 0666},  {"urandom", DEV(1, 9), 0666}, {"tty", DEV(5, 0), 0666},
    {"console", DEV(5, 1), 0600}, {"ptmx", DEV(5, 2), 0666},    {NULL, 0, 0},
};

const devfs_device_t devfs_context_devices[] = {
    {"null", DEV(1, 3), 0666},
    {"zero", DEV(1, 5), 0666},
    {"full", DEV(1, 7), 0666},
    {"random", DEV(1, 8), 0666},
    {"urandom", DEV(1, 9), 0666},
    {"tty", DEV(5, 0), 0666},
    {"ptmx", DEV(5, 2), 0666}, /* the OCI default devices: a container's own pseudo-terminals */
    {NULL, 0, 0},
};

static const struct {
    const char *name, *target;
} links[] = {
    {"fd", "/proc/self/fd"},
    {"stdin", "/proc/self/fd/0"},
    {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"},
};

int devfs_is_type(const char *type)
{
    return strcmp(type, "devtmpfs") == 0 || strcmp(type, "devfs") == 0;
}

static int may_mknod(const vfs_fs_t *fs, mode_t mode, dev_t rdev)
{
    const devfs_device_t *d = fs->type_data; /* the set it was created with */
    if (!S_ISCHR(mode)) {
        return -EPERM; /* devfs has no block devices */
    }
    for (; d->name != NULL; d++) {
        if (d->rdev == rdev) {
            return 0;
        }
    }
    return -EPERM;
}

static int make_tree(vnode_t *root, const devfs_opts_t *opts)
{
    int err = 0;
    for (const devfs_device_t *d = opts->devices; d->name != NULL && err == 0; d++) {
        err = ramfs_mknod(root, d->name, strlen(d->name), S_IFCHR | (d->perm & 07777), d->rdev, 0,
                          0, NULL);
    }
    if (err == 0) {
        err = ramfs_mknod(root, "pts", 3, S_IFDIR | 0755, 0, 0, 0, NULL);
    }
    if (err == 0) {
        err = ramfs_mknod(root, "shm", 3, S_IFDIR | 01777, 0, 0, 0, NULL);
    }
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]) && err == 0; i++) {
        err = ramfs_symlink(root, links[i].name, strlen(links[i].name), links[i].target,
                            strlen(links[i].target), 0, 0, NULL);
    }
    return err;
}

int devfs_set_console(vfs_fs_t *fs, unsigned pty_index)
{
    if (!devfs_is_instance(fs)) {
        return -EINVAL;
    }
    vnode_t *old;
    if (ramfs_lookup(fs->root, "console", 7, &old) == 0) {
        if (vnode_is_dir(old)) {
            return -EEXIST;
        }
        ramfs_unlink(fs->root, "console", 7);
    }
    return ramfs_mknod(fs->root, "console", 7, S_IFCHR | 0620, makedev(136, pty_index), 0, 5, NULL);
}

bool devfs_is_instance(const vfs_fs_t *fs)
{
    return fs != NULL && fs->may_mknod == may_mknod;
}

int devfs_new(const devfs_opts_t *opts, vfs_fs_t **out)
{
    const char *type =
        opts->type != NULL && strcmp(opts->type, "devfs") == 0 ? "devfs" : "devtmpfs";
    ramfs_opts_t ropts = {
        .type = type, .root_mode = 0755, .quota = opts->quota, .clock = opts->clock};
    vfs_fs_t *fs;
    int err = ramfs_new(&ropts, &fs);
    if (err != 0) {
        return err;
    }
    fs->type_data = opts->devices;
    fs->may_mknod = may_mknod;
    if ((err = make_tree(fs->root, opts)) != 0) {
        vfs_fs_put(fs);
        return err;
    }
    *out = fs;
    return 0;
}
