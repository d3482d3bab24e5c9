#define _GNU_SOURCE /* AT_EMPTY_PATH, AT_NO_AUTOMOUNT */
#include "request_check.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>

#include "file.h"
#include "protocol/vfs.h"
#include "ramfs.h"
#include "resolve.h"

#define MOUNT_MAGIC_MASK 0xffff0000ul /* old callers put MS_MGC_VAL here */
/* Flags with nothing to do here: MS_SILENT only quiets Linux's log, and
 * with no set-user-ID programs every mount is already nosuid. */
#define MOUNT_FLAGS_HARMLESS (MS_SILENT | MS_NOSUID)
#define MOUNT_FLAGS_KNOWN (MS_RDONLY | MS_REMOUNT | MS_BIND | MOUNT_FLAGS_HARMLESS)

int request_path_len(const request_t *req, uint64_t *len)
{
    uint64_t n = req->length > 3 ? req->mr[3] : 0;
    if (n >= VFS_PATH_MAX) {
        return -ENAMETOOLONG;
    }
    if (req->descriptors < 1 && n > 0) {
        return -EFAULT;
    }
    *len = n;
    return 0;
}

int request_string_len(const request_t *req, unsigned desc, uint64_t len, uint64_t max)
{
    if (len > max) {
        return -ENAMETOOLONG;
    }
    return req->descriptors <= desc ? -EFAULT : 0;
}

int request_string_bytes(const char *buf, size_t len)
{
    return memchr(buf, '\0', len) != NULL ? -EINVAL : 0;
}

int vfs_rw_args(const request_t *req, bool seekable, vfs_rw_args_t *out)
{
    if (req->descriptors < 1 || req->length < 2) {
        return -EFAULT;
    }
    /* Linux moves at most INT32_MAX bytes per call */
    out->count = req->mr[1] > INT32_MAX ? INT32_MAX : req->mr[1];
    out->flags = req->mr[3];
    if (out->flags & ~(VFS_RW_AT | VFS_RW_NOWAIT | VFS_RW_SIGTTIN_IGNORED)) {
        return -EINVAL;
    }
    out->positional = (out->flags & VFS_RW_AT) != 0;
    out->at = req->mr[2];
    if (out->positional && (!seekable || (int64_t)out->at < 0)) {
        return !seekable ? -ESPIPE : -EINVAL;
    }
    return 0;
}

int vfs_seek(uint64_t whence, int64_t cur, int64_t end, int64_t off, int64_t *pos)
{
    int64_t base;
    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = cur;
        break;
    case SEEK_END:
        base = end;
        break;
    default:
        return -EINVAL;
    }
    /* both directions checked before adding: the sum must not overflow */
    if ((off > 0 && base > INT64_MAX - off) || (off < 0 && base < INT64_MIN - off) ||
        base + off < 0) {
        return -EINVAL;
    }
    *pos = base + off;
    return 0;
}

int vfs_at_flags(int flags, int allowed, unsigned *resolve_flags)
{
    if (flags & ~allowed) {
        return -EINVAL;
    }
    *resolve_flags = ((flags & AT_SYMLINK_NOFOLLOW) ? RESOLVE_NOFOLLOW : 0) |
                     ((flags & AT_EMPTY_PATH) ? RESOLVE_EMPTY_PATH : 0);
    return 0;
}

int vfs_rename_flags(uint32_t flags)
{
    const uint32_t known = RAMFS_RENAME_NOREPLACE | RAMFS_RENAME_EXCHANGE;
    /* RENAME_WHITEOUT is not supported; the two exclude each other */
    return (flags & ~known) || flags == known ? -EINVAL : 0;
}

int vfs_dup3_args(const request_t *req, int64_t *newfd)
{
    int64_t fd = (int64_t)req->mr[1];
    if (req->mr[2] & ~(uint64_t)O_CLOEXEC) {
        return -EINVAL;
    }
    if (fd != -1 && (fd < 0 || fd >= FD_MAX)) {
        return -EBADF;
    }
    if (fd != -1 && fd == (int64_t)req->mr[0]) {
        return -EINVAL;
    }
    *newfd = fd;
    return 0;
}

int vfs_poll_args(const request_t *req, uint64_t *nfds, bool *wait)
{
    if (req->mr[0] > POLL_FDS_MAX || (req->mr[1] & ~VFS_POLL_WAIT)) {
        return -EINVAL;
    }
    if (req->mr[0] > 0 && req->descriptors < 1) {
        return -EFAULT;
    }
    *nfds = req->mr[0];
    *wait = (req->mr[1] & VFS_POLL_WAIT) != 0;
    return 0;
}

int vfs_pipe2_args(const request_t *req, int *flags)
{
    if (req->mr[0] & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK)) {
        return -EINVAL;
    }
    if (req->descriptors < 1) {
        return -EFAULT;
    }
    *flags = (int)req->mr[0];
    return 0;
}

int vfs_mount_flags(uint64_t mr0, unsigned long *flags)
{
    unsigned long f = mr0;
    if ((f & MOUNT_MAGIC_MASK) == MS_MGC_VAL) {
        f &= ~MOUNT_MAGIC_MASK;
    }
    if (f & ~(unsigned long)MOUNT_FLAGS_KNOWN) {
        return -EINVAL;
    }
    *flags = f;
    return 0;
}

int vfs_ctx_mount_args(uint64_t mr0, bool tmpfs, vfs_ctx_mount_args_t *out)
{
    const uint64_t mode_bits = 07777ull << VFS_CTX_MOUNT_MODE_SHIFT;
    const uint64_t pages_bits = 0xffffffffull << VFS_CTX_MOUNT_PAGES_SHIFT;
    uint64_t options = mr0 & (mode_bits | VFS_CTX_MOUNT_HAS_MODE | pages_bits);
    if ((mr0 & ~(options | MS_RDONLY)) != 0 || (options != 0 && !tmpfs) ||
        ((mr0 & mode_bits) != 0 && !(mr0 & VFS_CTX_MOUNT_HAS_MODE))) {
        return -EINVAL;
    }
    *out = (vfs_ctx_mount_args_t){
        .rdonly = (mr0 & MS_RDONLY) != 0,
        .has_mode = (mr0 & VFS_CTX_MOUNT_HAS_MODE) != 0,
        .mode = (uint32_t)((mr0 & mode_bits) >> VFS_CTX_MOUNT_MODE_SHIFT),
        .bytes = (mr0 >> VFS_CTX_MOUNT_PAGES_SHIFT) * VFS_CTX_MOUNT_PAGE,
    };
    return 0;
}

/* N[kmg] as tmpfs reads a size, in whole pages. */
static int tmpfs_size(const char *s, size_t len, uint64_t *bytes)
{
    const uint64_t max_pages = 0xffffffffull; /* what VFS_CTX_MOUNT can carry */
    uint64_t v = 0;
    size_t i = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > max_pages * VFS_CTX_MOUNT_PAGE) {
            return -EINVAL;
        }
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    size_t digits = i;
    unsigned shift = 0;
    if (digits > 0 && i + 1 == len) {
        char unit = (char)(s[i] | 0x20);
        shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 64;
        i++;
    }
    if (digits == 0 || i != len || shift == 64 || v > (max_pages * VFS_CTX_MOUNT_PAGE) >> shift) {
        return -EINVAL;
    }
    v <<= shift;
    *bytes = (v + VFS_CTX_MOUNT_PAGE - 1) / VFS_CTX_MOUNT_PAGE * VFS_CTX_MOUNT_PAGE;
    return 0;
}

static int tmpfs_mode(const char *s, size_t len, uint32_t *mode)
{
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '7' || (v = v * 8 + (uint32_t)(s[i] - '0')) > 07777) {
            return -EINVAL;
        }
    }
    *mode = v;
    return len > 0 ? 0 : -EINVAL;
}

int vfs_tmpfs_options(const char *s, size_t len, vfs_ctx_mount_args_t *out)
{
    vfs_ctx_mount_args_t a = {0};
    for (size_t at = 0; at <= len;) {
        const char *end = memchr(s + at, ',', len - at);
        size_t n = end != NULL ? (size_t)(end - (s + at)) : len - at;
        const char *o = s + at;
        int err = 0;
        if (n > 5 && memcmp(o, "size=", 5) == 0) {
            err = tmpfs_size(o + 5, n - 5, &a.bytes);
        } else if (n > 5 && memcmp(o, "mode=", 5) == 0) {
            err = tmpfs_mode(o + 5, n - 5, &a.mode);
            a.has_mode = true;
        } else if (n != 0) {
            err = -EINVAL;
        }
        if (err != 0) {
            return err;
        }
        at += n + 1;
    }
    *out = a;
    return 0;
}

int vfs_mount_args(const request_t *req, unsigned long *flags, uint64_t *data_len)
{
    uint64_t len = req->mr[0] >> 32;
    if (vfs_mount_flags(req->mr[0] & 0xffffffffull, flags) != 0 || len > VFS_MOUNT_STRING_MAX) {
        return -EINVAL;
    }
    *data_len = len;
    return len > 0 && req->descriptors < 4 ? -EFAULT : 0;
}

int vfs_umount_flags(uint64_t mr0)
{
    /* MNT_FORCE and MNT_EXPIRE mean nothing here */
    return mr0 & ~(uint64_t)(MNT_DETACH | UMOUNT_NOFOLLOW) ? -EINVAL : 0;
}

int vfs_utimens_args(const request_t *req, bool *given)
{
    if (req->mr[2] > 1) {
        return -EINVAL;
    }
    *given = req->mr[2] != 0;
    return *given && req->descriptors < 2 ? -EFAULT : 0;
}

int vfs_spawn_template_args(const request_t *req, vfs_spawn_template_t *out)
{
    uint64_t word = req->length > 3 ? req->mr[3] : 0;
    uint64_t pid = word & 0xffffffffu;
    *out =
        (vfs_spawn_template_t){0, (size_t)((word >> 32) & 0xffff), (word & VFS_SPAWN_FOREIGN) != 0};
    if (word >> 49 != 0 || pid >= INT32_MAX || (pid == 0 && (out->cwd_len != 0 || out->foreign))) {
        *out = (vfs_spawn_template_t){0, 0, false};
        return -EINVAL;
    }
    out->pid = (int)pid;
    return 0;
}
