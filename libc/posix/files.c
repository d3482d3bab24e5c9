/*
 * File system calls become vfs-server requests on the process's session.
 * Buffers and paths are lent to the server as bulk-copy descriptors: the
 * kernel copies straight between the program and the server. A path's
 * length is measured here (user_strnlen, -EFAULT on a bad pointer) and
 * sent in MR3. The legacy calls map onto their *at forms. poll and select
 * are in poll.c.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "capsule/kernel.h"
#include "name_calls.h"
#include "stat_calls.h"
#include "poll_calls.h"
#include "signals.h"
#include "process.h"
#include "protocol/ioctl.h"
#include "protocol/posix_runtime.h"
#include "protocol/posix_stack.h"
#include "protocol/proc.h"
#include "protocol/signal_page.h"
#include "protocol/vfs.h"

int64_t user_strnlen(const char *s, size_t max);

#define IOV_MAX_COUNT 1024

RUNTIME static sys_result_t vfs_request(uint64_t label, uint64_t mr0, uint64_t mr1, uint64_t mr2,
                                        uint64_t mr3, unsigned descriptors)
{
    uint64_t info = msginfo_with(msginfo_make(label, 4), 0, descriptors);
    return sys_call(CAP_VFS_SESSION, info, mr0, mr1, mr2, mr3);
}

RUNTIME int64_t vfs_call(uint64_t label, uint64_t mr0, uint64_t mr1, uint64_t mr2, uint64_t mr3,
                         unsigned descriptors)
{
    sys_result_t r = vfs_request(label, mr0, mr1, mr2, mr3, descriptors);
    return r.err == KERR_OK ? (int64_t)r.mr[0] : runtime_ipc_error(r.err);
}

/* A write to a pipe without readers: the writer gets SIGPIPE, as on Linux;
 * its default action ends the process, so `yes | head -1` ends. */
RUNTIME static void raise_sigpipe(void)
{
    int64_t pid = process_getpid();
    if (pid > 0) {
        process_simple(PROC_KILL, (uint64_t)pid, SIGPIPE);
    }
}

RUNTIME void lend(unsigned desc, uint64_t addr, uint64_t len, uint64_t flags)
{
    user_touch(addr, len); /* the server's copy takes no fault */
    ipc_buffer->descriptors[desc] = (buffer_desc_t){addr, len, flags};
}

/* Lends the NUL-terminated path at `addr` as descriptor 0; its length. */
RUNTIME int64_t lend_path(uint64_t addr)
{
    int64_t len = user_strnlen((const char *)addr, VFS_PATH_MAX);
    if (len < 0) {
        return len;
    }
    if (len >= VFS_PATH_MAX) {
        return -ENAMETOOLONG;
    }
    lend(0, addr, (uint64_t)len + 1, DESC_READ);
    return len;
}

RUNTIME int64_t path_call(uint64_t label, uint64_t path, uint64_t mr0, uint64_t mr1, uint64_t mr2,
                          unsigned extra_descriptors)
{
    int64_t len = lend_path(path);
    if (len < 0) {
        return len;
    }
    return vfs_call(label, mr0, mr1, mr2, (uint64_t)len, 1 + extra_descriptors);
}

/* Whether this process ignores or blocks `sig` (its signal page says): a
 * terminal then lets it change settings from the background (SIGTTOU), or
 * answers its background read -EIO (SIGTTIN). */
RUNTIME static bool ignores_or_blocks(int sig)
{
    const volatile signal_page_t *page = (const volatile signal_page_t *)SIGNAL_PAGE_VADDR;
    return page->actions[sig - 1].handler == SIGNAL_HANDLER_IGNORE ||
           (page->blocked & SIGNAL_BIT(sig)) != 0;
}

/* The argument of a known ioctl is lent in the size its shape gives (the
 * larger direction); any other goes without one and the server says
 * -ENOTTY. */
RUNTIME static int64_t ioctl_call(uint64_t fd, uint64_t cmd, uint64_t arg)
{
    cmd = (uint32_t)cmd; /* Linux's command is an unsigned int: musl passes an int, sign-extended */
    const ioctl_shape_t *shape = ioctl_shape(cmd);
    unsigned descriptors = 0;
    if (shape != NULL && (shape->in_size != 0 || shape->out_size != 0)) {
        uint64_t size = shape->in_size > shape->out_size ? shape->in_size : shape->out_size;
        uint64_t flags =
            (shape->in_size != 0 ? DESC_READ : 0) | (shape->out_size != 0 ? DESC_WRITE : 0);
        lend(0, arg, size, flags);
        descriptors = 1;
    }
    uint64_t flags = ignores_or_blocks(SIGTTOU) ? VFS_IOCTL_SIGTTOU_IGNORED : 0;
    return vfs_call(VFS_IOCTL, fd, cmd, arg, flags, descriptors);
}

/* One read or write; `flags` VFS_RW_NOWAIT or 0. */
RUNTIME static int64_t transfer(uint64_t label, uint64_t fd, uint64_t buf, uint64_t len,
                                uint64_t flags)
{
    if (len == 0) {
        return 0;
    }
    lend(0, buf, len, label == VFS_READ ? DESC_WRITE : DESC_READ);
    if (label == VFS_READ && ignores_or_blocks(SIGTTIN)) {
        flags |= VFS_RW_SIGTTIN_IGNORED; /* for a terminal's job control */
    }
    sys_result_t r = vfs_request(label, fd, len, 0, flags, 1);
    int64_t result = r.err == KERR_OK ? (int64_t)r.mr[0] : runtime_ipc_error(r.err);
    /* a count written before the last reader left comes with the flag */
    bool flagged = msginfo_length(r.info) >= 2 && (r.mr[1] & VFS_WRITE_SIGPIPE);
    if (label == VFS_WRITE && r.err == KERR_OK && (result == -EPIPE || flagged)) {
        raise_sigpipe();
    }
    return result;
}

RUNTIME static int64_t transfer_at(uint64_t label, uint64_t fd, uint64_t buf, uint64_t len,
                                   uint64_t offset)
{
    if ((int64_t)offset < 0) {
        return -EINVAL;
    }
    if (len == 0) {
        return 0;
    }
    lend(0, buf, len, label == VFS_READ ? DESC_WRITE : DESC_READ);
    return vfs_call(label, fd, len, offset, VFS_RW_AT, 1);
}

RUNTIME static int64_t transfer_vector(uint64_t label, uint64_t fd, uint64_t iov_addr,
                                       uint64_t count)
{
    if (count > IOV_MAX_COUNT) {
        return -EINVAL;
    }
    int64_t total = 0;
    for (uint64_t i = 0; i < count; i++) {
        struct iovec iov;
        if (user_copy_in(&iov, iov_addr + i * sizeof(iov), sizeof(iov)) != 0) {
            return total > 0 ? total : -EFAULT;
        }
        /* after some bytes, a read part only takes what is there (a pipe
         * must not wait for more, as one readv on Linux does not) */
        uint64_t flags = label == VFS_READ && total > 0 ? VFS_RW_NOWAIT : 0;
        int64_t n = transfer(label, fd, (uint64_t)iov.iov_base, iov.iov_len, flags);
        if (n < 0) {
            return total > 0 ? total : n;
        }
        total += n;
        if ((uint64_t)n < iov.iov_len) {
            break;
        }
    }
    return total;
}

RUNTIME static int64_t stat_at(int64_t dirfd, uint64_t path, uint64_t statbuf, uint64_t flags)
{
    lend(1, statbuf, sizeof(struct stat), DESC_WRITE);
    return path_call(VFS_FSTATAT, path, (uint64_t)dirfd, flags, 0, 1);
}

RUNTIME static int64_t access_at(int64_t dirfd, uint64_t path, uint64_t mode)
{
    if (mode & ~(uint64_t)(R_OK | W_OK | X_OK)) {
        return -EINVAL;
    }
    struct stat st;
    lend(1, (uint64_t)&st, sizeof(st), DESC_WRITE);
    int64_t err = path_call(VFS_FSTATAT, path, (uint64_t)dirfd, 0, 0, 1);
    if (err != 0) {
        return err;
    }
    /* there is one user, root: only execution needs a mode bit */
    return (mode & X_OK) && !(st.st_mode & 0111) && !S_ISDIR(st.st_mode) ? -EACCES : 0;
}

RUNTIME static int64_t readlink_at(int64_t dirfd, uint64_t path, uint64_t buf, uint64_t size)
{
    if ((int64_t)size <= 0) {
        return -EINVAL;
    }
    lend(1, buf, size, DESC_WRITE);
    return path_call(VFS_READLINKAT, path, (uint64_t)dirfd, size, 0, 1);
}

RUNTIME static int64_t getcwd_call(uint64_t buf, uint64_t size)
{
    if (size == 0) {
        return -ERANGE;
    }
    lend(0, buf, size, DESC_WRITE);
    return vfs_call(VFS_GETCWD, size, 0, 0, 0, 1);
}

RUNTIME static int64_t dup2_call(uint64_t oldfd, uint64_t newfd)
{
    if (oldfd == newfd) {
        /* dup2 to itself checks the descriptor and changes nothing */
        int64_t flags = vfs_call(VFS_FCNTL, oldfd, F_GETFD, 0, 0, 0);
        return flags < 0 ? flags : (int64_t)newfd;
    }
    return vfs_call(VFS_DUP3, oldfd, newfd, 0, 0, 0);
}

RUNTIME static int64_t pipe_call(uint64_t fds, uint64_t flags)
{
    lend(0, fds, 2 * sizeof(int), DESC_WRITE);
    return vfs_call(VFS_PIPE2, flags, 0, 0, 0, 1);
}

/* Lends the string at addr as descriptor desc; its length, or
 * VFS_NO_STRING for NULL (the server bounds it). */
RUNTIME static int64_t lend_string(unsigned desc, uint64_t addr)
{
    if (addr == 0) {
        return (int64_t)VFS_NO_STRING;
    }
    int64_t len = user_strnlen((const char *)addr, VFS_MOUNT_STRING_MAX + 1);
    if (len < 0) {
        return len;
    }
    if (len > VFS_MOUNT_STRING_MAX) {
        return -ENAMETOOLONG;
    }
    lend(desc, addr, (uint64_t)len, DESC_READ);
    return len;
}

/* mount(2). Its data string goes to vfs-server as descriptor 3, which
 * takes a new tmpfs's size= and mode= and refuses any other option
 * (EINVAL) rather than ignore it. Flags above the low 32 bits are no
 * flag Capsule knows: EINVAL, as vfs-server answers unknown flags. */
RUNTIME static int64_t mount_call(uint64_t source, uint64_t target, uint64_t type, uint64_t flags,
                                  uint64_t data)
{
    int64_t data_len = data != 0 ? lend_string(3, data) : 0;
    if (data_len < 0 || flags >> VFS_MOUNT_DATA_SHIFT != 0) {
        return data_len == -ENAMETOOLONG || data_len >= 0 ? -EINVAL : data_len;
    }
    int64_t source_len = lend_string(1, source);
    int64_t type_len = source_len < 0 ? source_len : lend_string(2, type);
    if (type_len < 0) {
        return type_len;
    }
    return path_call(VFS_MOUNT, target, flags | (uint64_t)data_len << VFS_MOUNT_DATA_SHIFT,
                     (uint64_t)source_len, (uint64_t)type_len, data_len > 0 ? 3 : 2);
}

RUNTIME static int64_t dispatch_paths(const syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_open:
        return path_call(VFS_OPENAT, f->a1, (uint64_t)AT_FDCWD, f->a2, f->a3, 0);
    case SYS_openat:
        return path_call(VFS_OPENAT, f->a2, f->a1, f->a3, f->a4, 0);
    case SYS_stat:
        return stat_at(AT_FDCWD, f->a1, f->a2, 0);
    case SYS_lstat:
        return stat_at(AT_FDCWD, f->a1, f->a2, AT_SYMLINK_NOFOLLOW);
    case SYS_newfstatat:
        return stat_at((int64_t)f->a1, f->a2, f->a3, f->a4);
    case SYS_fstat:
        return stat_at((int64_t)f->a1, (uint64_t) "", f->a2, AT_EMPTY_PATH);
    case SYS_access:
        return access_at(AT_FDCWD, f->a1, f->a2);
    case SYS_faccessat:
        return access_at((int64_t)f->a1, f->a2, f->a3);
    case SYS_mkdir:
        return path_call(VFS_MKDIRAT, f->a1, (uint64_t)AT_FDCWD, f->a2, 0, 0);
    case SYS_mkdirat:
        return path_call(VFS_MKDIRAT, f->a2, f->a1, f->a3, 0, 0);
    case SYS_unlink:
        return path_call(VFS_UNLINKAT, f->a1, (uint64_t)AT_FDCWD, 0, 0, 0);
    case SYS_rmdir:
        return path_call(VFS_UNLINKAT, f->a1, (uint64_t)AT_FDCWD, AT_REMOVEDIR, 0, 0);
    case SYS_unlinkat:
        return path_call(VFS_UNLINKAT, f->a2, f->a1, f->a3, 0, 0);
    case SYS_chdir:
        return path_call(VFS_CHDIR, f->a1, 0, 0, 0, 0);
    case SYS_readlink:
        return readlink_at(AT_FDCWD, f->a1, f->a2, f->a3);
    case SYS_readlinkat:
        return readlink_at((int64_t)f->a1, f->a2, f->a3, f->a4);
    case SYS_mount:
        return mount_call(f->a1, f->a2, f->a3, f->a4, f->a5);
    case SYS_umount2:
        return path_call(VFS_UMOUNT, f->a1, f->a2, 0, 0, 0);
    case SYS_statx:
    case SYS_statfs:
    case SYS_fstatfs:
        return stat_calls_dispatch(f);
    default:
        return name_calls_dispatch(f);
    }
}

RUNTIME int64_t files_dispatch(const syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_read:
        return transfer(VFS_READ, f->a1, f->a2, f->a3, 0);
    case SYS_write:
        return transfer(VFS_WRITE, f->a1, f->a2, f->a3, 0);
    case SYS_pread64:
        return transfer_at(VFS_READ, f->a1, f->a2, f->a3, f->a4);
    case SYS_pwrite64:
        return transfer_at(VFS_WRITE, f->a1, f->a2, f->a3, f->a4);
    case SYS_readv:
        return transfer_vector(VFS_READ, f->a1, f->a2, f->a3);
    case SYS_writev:
        return transfer_vector(VFS_WRITE, f->a1, f->a2, f->a3);
    case SYS_close:
        return vfs_call(VFS_CLOSE, f->a1, 0, 0, 0, 0);
    case SYS_lseek:
        return vfs_call(VFS_LSEEK, f->a1, f->a2, f->a3, 0, 0);
    case SYS_ioctl:
        return ioctl_call(f->a1, f->a2, f->a3);
    case SYS_pipe:
        return pipe_call(f->a1, 0);
    case SYS_pipe2:
        return pipe_call(f->a1, f->a2);
    case SYS_poll:
    case SYS_ppoll:
    case SYS_select:
    case SYS_pselect6:
        return poll_dispatch(f);
    case SYS_dup:
        return vfs_call(VFS_DUP3, f->a1, (uint64_t)-1, 0, 0, 0);
    case SYS_dup2:
        return dup2_call(f->a1, f->a2);
    case SYS_dup3:
        return vfs_call(VFS_DUP3, f->a1, f->a2, f->a3, 0, 0);
    case SYS_fcntl:
        return vfs_call(VFS_FCNTL, f->a1, f->a2, f->a3, 0, 0);
    case SYS_getdents64:
        lend(0, f->a2, f->a3, DESC_WRITE);
        return vfs_call(VFS_GETDENTS64, f->a1, f->a3, 0, 0, 1);
    case SYS_getcwd:
        return getcwd_call(f->a1, f->a2);
    case SYS_umask:
        return vfs_call(VFS_UMASK, f->a1, 0, 0, 0, 0);
    default:
        return dispatch_paths(f);
    }
}
