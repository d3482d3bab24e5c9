/* mount(2), umount2(2) and the gate to pivot_root(2): flag checks, file
 * system creation, the core's calls. */
#include "mount_ops.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "devfs.h"
#include "proc_table.h"
#include "procfs.h"
#include "ramfs.h"
#include "resolve.h"
#include "root_ops.h"

static vfs_clock_fn ramfs_clock;
static const rootctx_t *boot_ctx;

void mount_ops_init(vfs_clock_fn clock, const rootctx_t *boot)
{
    ramfs_clock = clock;
    boot_ctx = boot;
}

vfs_clock_fn mount_ops_clock(void)
{
    return ramfs_clock;
}

/* A string of descriptor desc, len bytes (VFS_NO_STRING: none, out[0] = 0). */
int mount_ops_string_arg(const request_t *req, unsigned desc, uint64_t len,
                         char out[VFS_MOUNT_STRING_MAX + 1], bool *present)
{
    *present = len != VFS_NO_STRING;
    out[0] = '\0';
    if (!*present) {
        return 0;
    }
    int err = request_string_len(req, desc, len, VFS_MOUNT_STRING_MAX);
    if (err != 0) {
        return err;
    }
    if (request_copy_in(desc, 0, out, len) != 0) {
        return -EFAULT;
    }
    out[len] = '\0';
    return request_string_bytes(out, len);
}

static int resolve_arg(client_t *c, const char *path, size_t len, unsigned flags, vfs_path_t *out)
{
    resolve_req_t r = {c->ctx, &c->root, &c->cwd, path, len, flags};
    return resolve_path(&r, out);
}

/* A ramfs or tmpfs; size= is a quota of its own, inside the context's, so
 * a write must fit both (ENOSPC), as tmpfs's size inside a memory cgroup. */
static int new_ramfs(const char *type, const rootctx_t *ctx, const vfs_ctx_mount_args_t *args,
                     vfs_fs_t **out)
{
    ramfs_opts_t opts = {.type = strcmp(type, "tmpfs") == 0 ? "tmpfs" : "ramfs",
                         .root_mode = args != NULL && args->has_mode ? args->mode : 01777,
                         .quota = ctx->quota,
                         .clock = ramfs_clock};
    if (args != NULL && args->bytes != 0 &&
        (opts.quota = quota_new_within(args->bytes, ctx->quota)) == NULL) {
        return -ENOMEM;
    }
    int err = ramfs_new(&opts, out);
    if (opts.quota != ctx->quota) {
        quota_put(opts.quota); /* the file system holds its own reference */
    }
    return err;
}

/* A new instance of a file system type, or -ENODEV. */
int mount_ops_new_fs(const char *type, const rootctx_t *ctx, const vfs_ctx_mount_args_t *opts,
                     vfs_fs_t **out)
{
    if (strcmp(type, "proc") == 0) {
        return procfs_new(out);
    }
    if (strcmp(type, "ramfs") == 0 || strcmp(type, "tmpfs") == 0) {
        return new_ramfs(type, ctx, opts, out);
    }
    if (devfs_is_type(type)) {
        /* the host console only in the boot context's (docs/protocols/vfs.md, devfs) */
        devfs_opts_t opts = {.type = type,
                             .devices =
                                 ctx == boot_ctx ? devfs_default_devices : devfs_context_devices,
                             .quota = ctx->quota,
                             .clock = ramfs_clock};
        return devfs_new(&opts, out);
    }
    return -ENODEV;
}

static int mount_new(client_t *c, const vfs_path_t *target, const char *type, const char *source,
                     unsigned flags, const vfs_ctx_mount_args_t *opts)
{
    vfs_fs_t *fs;
    int err = mount_ops_new_fs(type, c->ctx, opts, &fs);
    if (err != 0) {
        return err;
    }
    err = rootctx_mount(c->ctx, target, fs, flags, source[0] != '\0' ? source : type);
    vfs_fs_put(fs); /* the mount holds its own reference */
    return err;
}

static int mount_bind(client_t *c, const vfs_path_t *target, const char *source, bool has_source,
                      unsigned flags)
{
    if (!has_source || source[0] == '\0') {
        return has_source ? -ENOENT : -EFAULT;
    }
    vfs_path_t from;
    int err = resolve_arg(c, source, strlen(source), 0, &from);
    if (err == 0) {
        /* a copy of a mount without the locked mounts on it would show
         * what they hide (a masked file, say): refused as Linux does */
        err = rootctx_bind_reveals_locked(&from) ? -EINVAL
                                                 : rootctx_bind(c->ctx, target, &from, flags);
        path_put(&from);
    }
    return err;
}

/* mount(2)'s data: options for a new tmpfs only (size=, mode=); for
 * anything else a non-empty string is -EINVAL rather than ignored. */
static int mount_data(uint64_t len, unsigned long flags, const char *type,
                      vfs_ctx_mount_args_t *out)
{
    *out = (vfs_ctx_mount_args_t){0};
    if (len == 0) {
        return 0;
    }
    if ((flags & (MS_REMOUNT | MS_BIND)) || strcmp(type, "tmpfs") != 0) {
        return -EINVAL;
    }
    char data[VFS_MOUNT_STRING_MAX + 1];
    if (request_copy_in(3, 0, data, len) != 0) {
        return -EFAULT;
    }
    data[len] = '\0';
    int err = request_string_bytes(data, len);
    return err != 0 ? err : vfs_tmpfs_options(data, len, out);
}

static int64_t do_mount(client_t *c, const request_t *req)
{
    unsigned long flags;
    uint64_t data_len;
    int err = vfs_mount_args(req, &flags, &data_len);
    if (err != 0) {
        return err;
    }
    char path[VFS_PATH_MAX], source[VFS_MOUNT_STRING_MAX + 1], type[VFS_MOUNT_STRING_MAX + 1];
    size_t len;
    bool has_source, has_type;
    vfs_ctx_mount_args_t opts;
    err = request_path(req, path, &len);
    if (err == 0) {
        err = mount_ops_string_arg(req, 1, req->mr[1], source, &has_source);
    }
    if (err == 0) {
        err = mount_ops_string_arg(req, 2, req->mr[2], type, &has_type);
    }
    if (err == 0) {
        err = mount_data(data_len, flags, type, &opts);
    }
    if (err != 0) {
        return err;
    }
    vfs_path_t target;
    if ((err = resolve_arg(c, path, len, 0, &target)) != 0) {
        return err;
    }
    unsigned mflags = (flags & MS_RDONLY) ? MOUNT_RDONLY : 0;
    if (flags & MS_REMOUNT) {
        err = rootctx_remount(c->ctx, &target, mflags, MOUNT_CALLER_INSIDE);
    } else if (flags & MS_BIND) {
        err = mount_bind(c, &target, source, has_source, mflags);
    } else if (!has_type) {
        err = -EFAULT;
    } else {
        err = mount_new(c, &target, type, source, mflags, &opts);
    }
    path_put(&target);
    return err;
}

static int64_t do_umount(client_t *c, const request_t *req)
{
    uint64_t flags = req->mr[0];
    if (vfs_umount_flags(flags) != 0) {
        return -EINVAL;
    }
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    if (err != 0) {
        return err;
    }
    vfs_path_t target;
    err = resolve_arg(c, path, len, (flags & UMOUNT_NOFOLLOW) ? RESOLVE_NOFOLLOW : 0, &target);
    if (err != 0) {
        return err;
    }
    /* What shows at the target is the top of whatever is mounted on it, even
     * where the name resolved to the directory under it ("." after
     * pivot_root(".", "."), which runc follows with umount2(".", MNT_DETACH)). */
    vfs_path_t top = target;
    path_cross_mounts(c->ctx, &top);
    if (!path_equal(&top, &target)) {
        path_get(&top);
        path_put(&target);
        target = top;
    }
    err = rootctx_umount(c->ctx, &target, (flags & MNT_DETACH) ? UMOUNT_DETACH : 0,
                         MOUNT_CALLER_INSIDE);
    path_put(&target);
    return err;
}

/* A process of a container without CAP_SYS_ADMIN (proc-server's record
 * says so, as it says jail) may neither mount nor unmount. */
static bool may_mount(const client_t *c)
{
    proc_record_t rec;
    return proc_table_lookup(c->pid, &rec) && (rec.flags & PROC_RECORD_NO_ADMIN) == 0;
}

int64_t mount_ops_dispatch(client_t *c, const request_t *req)
{
    if (!may_mount(c)) {
        return -EPERM;
    }
    switch (req->label) {
    case VFS_MOUNT:
        return do_mount(c, req);
    case VFS_UMOUNT:
        return do_umount(c, req);
    case VFS_PIVOT_ROOT:
        return root_ops_pivot(c, req);
    default:
        return -ENOSYS;
    }
}
