/* Creation of ramfs instances and the check every name goes through. */
#include <errno.h>
#include <string.h>

#include "ramfs.h"

/* st_dev numbers: each instance its own, as each Linux tmpfs mount has one. */
static uint64_t ramfs_next_dev = 1;

int ramfs_check_name(const char *name, size_t len)
{
    if (len > VFS_NAME_MAX) {
        return -ENAMETOOLONG;
    }
    if (len == 0 || (len == 1 && name[0] == '.') ||
        (len == 2 && name[0] == '.' && name[1] == '.')) {
        return -EINVAL;
    }
    if (memchr(name, '/', len) != NULL || memchr(name, '\0', len) != NULL) {
        return -EINVAL;
    }
    return 0;
}

int ramfs_new(const ramfs_opts_t *opts, vfs_fs_t **out)
{
    vfs_fs_t *fs;
    int err = quota_zalloc(opts->quota, sizeof(*fs), (void **)&fs);
    if (err < 0) {
        return err;
    }
    fs->refs = 1;
    fs->type = opts->type != NULL ? opts->type : "ramfs";
    fs->next_ino = 1;
    fs->quota = opts->quota;
    fs->clock = opts->clock;
    vnode_t *root;
    err =
        vnode_alloc(fs, S_IFDIR | (opts->root_mode & 07777), opts->root_uid, opts->root_gid, &root);
    if (err < 0) {
        quota_free(opts->quota, fs, sizeof(*fs));
        return err;
    }
    quota_get(opts->quota);
    fs->dev = ramfs_next_dev++;
    root->nlink = 2;
    root->u.dir.parent = root;
    fs->root = root;
    *out = fs;
    return 0;
}
