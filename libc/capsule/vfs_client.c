#include "capsule/vfs_client.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "capsule/syscall.h"
#include "protocol/posix_runtime.h"
#include "uapi/bootinfo.h"

int64_t capsule_vfs_raw(uint64_t cap, const capsule_vfs_raw_t *raw, uint64_t *recv)
{
    buffer_desc_t descs[3];
    unsigned count = 0;
    while (count < 3 && raw->desc[count] != NULL) {
        descs[count] = (buffer_desc_t){(uint64_t)raw->desc[count], raw->desc_len[count], DESC_READ};
        count++;
    }
    return capsule_call(cap, raw->label, raw->length, raw->mr, descs, count, recv);
}

/* A request whose path (desc 0, length in MR3) is `path`. */
static capsule_vfs_raw_t with_path(uint64_t label, const char *path)
{
    capsule_vfs_raw_t raw = {.label = label, .length = 4};
    if (path != NULL) {
        raw.mr[3] = strlen(path);
        raw.desc[0] = path;
        raw.desc_len[0] = raw.mr[3];
    }
    return raw;
}

int capsule_vfs_context_create(const char *root, capsule_obj_t *out)
{
    capsule_vfs_raw_t raw = with_path(VFS_CONTEXT_CREATE, root);
    raw.mr[0] = root != NULL ? VFS_CONTEXT_NEW_ROOT : VFS_CONTEXT_COPY;
    uint64_t slot;
    int64_t result = capsule_vfs_raw(CAP_VFS_SESSION, &raw, &slot);
    return capsule_obj_from_reply(result, slot, out);
}

/* A string as descriptor i, its length in MR[i] (VFS_NO_STRING: none). */
static void add_string(capsule_vfs_raw_t *raw, unsigned i, const char *s)
{
    raw->mr[i] = s != NULL ? strlen(s) : VFS_NO_STRING;
    raw->desc[i] = s != NULL ? s : "";
    raw->desc_len[i] = s != NULL ? raw->mr[i] : 0;
}

int capsule_vfs_context_mount(const capsule_obj_t *ctx, const char *type, const char *source,
                              const char *target, bool rdonly)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_MOUNT, target);
    raw.mr[0] = rdonly ? MS_RDONLY : 0;
    add_string(&raw, 1, source);
    add_string(&raw, 2, type);
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_mount_tmpfs(const capsule_obj_t *ctx, const char *target, bool rdonly,
                                    uint64_t size, long mode)
{
    uint64_t pages = size / VFS_CTX_MOUNT_PAGE + (size % VFS_CTX_MOUNT_PAGE != 0);
    if (pages > 0xffffffffu || mode > 07777) {
        return -EINVAL;
    }
    capsule_vfs_raw_t raw = with_path(VFS_CTX_MOUNT, target);
    raw.mr[0] = (rdonly ? MS_RDONLY : 0) | pages << VFS_CTX_MOUNT_PAGES_SHIFT;
    if (mode >= 0) {
        raw.mr[0] |= VFS_CTX_MOUNT_HAS_MODE | (uint64_t)mode << VFS_CTX_MOUNT_MODE_SHIFT;
    }
    add_string(&raw, 1, NULL);
    add_string(&raw, 2, "tmpfs");
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_bind(const capsule_obj_t *ctx, const char *source, const char *target,
                             bool rdonly)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_BIND, target);
    raw.mr[0] = rdonly ? MS_RDONLY : 0;
    add_string(&raw, 1, source);
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_label(const capsule_obj_t *ctx, const char *label)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_LABEL, label);
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_set_quota(const capsule_obj_t *ctx, uint64_t bytes)
{
    capsule_vfs_raw_t raw = {.label = VFS_CTX_SET_QUOTA, .length = 1, .mr = {bytes}};
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_mkdir(const capsule_obj_t *ctx, const char *path, unsigned mode)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_MKDIR, path);
    raw.mr[0] = mode;
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_set_rdonly(const capsule_obj_t *ctx, const char *path, bool rdonly)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_SET_RDONLY, path);
    raw.mr[0] = rdonly;
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_prepare_spawn(const capsule_obj_t *ctx, const char *cwd)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_PREPARE_SPAWN, cwd);
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_mask(const capsule_obj_t *ctx, const char *path)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_MASK, path);
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_readonly(const capsule_obj_t *ctx, const char *path)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_READONLY, path);
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_open(const capsule_obj_t *ctx, const char *path, int flags, unsigned mode)
{
    capsule_vfs_raw_t raw = with_path(VFS_CTX_OPEN, path);
    raw.mr[1] = (uint32_t)flags;
    raw.mr[2] = mode;
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

int capsule_vfs_context_set_console(const capsule_obj_t *ctx, int master_fd)
{
    capsule_vfs_raw_t raw = {.label = VFS_CTX_CONSOLE, .length = 1, .mr = {(uint64_t)master_fd}};
    return (int)capsule_vfs_raw(ctx->slot, &raw, NULL);
}

void capsule_vfs_context_close(capsule_obj_t *ctx)
{
    if (ctx->slot != 0) {
        capsule_vfs_raw_t raw = {.label = VFS_CTX_CLOSE};
        capsule_vfs_raw(ctx->slot, &raw, NULL);
        capsule_slot_delete(ctx->slot);
        capsule_slot_free(ctx->slot);
        ctx->slot = 0;
    }
}
