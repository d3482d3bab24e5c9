/*
 * File requests of processes, each checked field by field before anything
 * changes. Data moves by bulk copy in chunks, never through a fixed small
 * buffer the caller could overflow.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include "file_ops.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "console_forward.h"
#include "pipe_ops.h"
#include "poll_wait.h"
#include "ramfs.h"
#include "procfs_text.h"
#include "resolve.h"
#include "root_ops.h"

#define CHUNK 65536

int dirfd_path(const client_t *c, int64_t dirfd, const vfs_path_t **out)
{
    if (dirfd == AT_FDCWD) {
        *out = NULL;
        return 0;
    }
    file_t *f = fd_get(&c->fds, dirfd);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->pipe != NULL) {
        return -ENOTDIR;
    }
    *out = &f->path;
    return 0;
}

int name_arg(const client_t *c, const request_t *req, bool cwd_only, name_arg_t *out)
{
    out->dir = NULL;
    int err = request_path(req, out->path, &out->len);
    if (err == 0 && !cwd_only) {
        err = dirfd_path(c, (int32_t)req->mr[0], &out->dir);
    }
    return err;
}

int resolve_name(const client_t *c, const name_arg_t *n, unsigned flags, vfs_path_t *out)
{
    resolve_req_t r = {c->ctx, &c->root, n->dir != NULL ? n->dir : &c->cwd, n->path, n->len, flags};
    return resolve_path(&r, out);
}

/* What /proc/<pid>/fd shows for a file opened by name n: a directory's own
 * path, else the name made absolute (not resolved through symlinks). */
static char *open_name(const client_t *c, const name_arg_t *n, const vfs_path_t *opened)
{
    char buf[VFS_PATH_MAX];
    if (S_ISDIR(opened->vn->mode)) {
        return resolve_getcwd(&c->root, opened, buf, sizeof(buf)) >= 0 ? strdup(buf) : NULL;
    }
    char base[VFS_PATH_MAX] = "/";
    if ((n->len == 0 || n->path[0] != '/') &&
        resolve_getcwd(&c->root, n->dir != NULL ? n->dir : &c->cwd, base, sizeof(base)) < 0) {
        return NULL;
    }
    return procfs_join_path(base, n->path, n->len, buf, sizeof(buf)) >= 0 ? strdup(buf) : NULL;
}

static int64_t do_openat(client_t *c, const request_t *req)
{
    name_arg_t n;
    int err = name_arg(c, req, false, &n);
    if (err != 0) {
        return err;
    }
    int flags = (int)req->mr[1];
    int fd = fd_alloc(&c->fds, 0);
    if (fd < 0) {
        return fd;
    }
    vfs_caller_t caller = client_caller(c);
    vfs_name_t name = {n.dir, n.path, n.len};
    vfs_path_t opened;
    err = fsops_openat(&caller, &name, flags, (mode_t)req->mr[2] & 07777, &opened);
    if (err != 0) {
        return err;
    }
    const device_ops_t *dev = NULL;
    if (S_ISCHR(opened.vn->mode) && (err = device_open(c->pid, opened.vn, &dev)) != 0) {
        path_put(&opened);
        return err;
    }
    if (dev != NULL && !(flags & O_NOCTTY)) {
        console_forward_open_ctty(c->pid, dev); /* Linux: a leader's first terminal */
    }
    file_t *f = file_new(&opened, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC), dev);
    if (f == NULL) {
        if (dev != NULL && dev->close != NULL) {
            dev->close(dev); /* the pseudo-terminal end it opened */
        }
        path_put(&opened);
        return -ENOMEM;
    }
    f->name = open_name(c, &n, &f->path); /* NULL only hides it from /proc/<pid>/fd */
    fd_install(&c->fds, fd, f, (flags & O_CLOEXEC) != 0);
    return fd;
}

static int64_t read_file(file_t *f, uint64_t len, uint64_t *offset)
{
    if (S_ISDIR(f->path.vn->mode)) {
        return -EISDIR;
    }
    uint8_t *buf = malloc(len < CHUNK ? len : CHUNK);
    if (buf == NULL) {
        return -ENOMEM;
    }
    uint64_t done = 0;
    while (done < len) {
        size_t want = len - done < CHUNK ? len - done : CHUNK;
        ssize_t n =
            f->dev != NULL ? f->dev->read(buf, want) : ramfs_read(f->path.vn, *offset, buf, want);
        if (n <= 0 || request_copy_out(0, done, buf, (size_t)n) != 0) {
            if (done == 0 && n != 0) {
                done = n < 0 ? (uint64_t)n : (uint64_t)-EFAULT;
            }
            break;
        }
        done += (uint64_t)n;
        *offset += f->dev != NULL ? 0 : (uint64_t)n;
        if ((size_t)n < want || f->dev != NULL) {
            break; /* end of file, or a device's one transfer */
        }
    }
    free(buf);
    return (int64_t)done;
}

static int64_t write_file(file_t *f, uint64_t len, uint64_t *offset, bool positional)
{
    uint8_t *buf = malloc(len < CHUNK ? len : CHUNK);
    if (buf == NULL) {
        return -ENOMEM;
    }
    if ((f->flags & O_APPEND) && f->dev == NULL && !positional) {
        struct stat st;
        vnode_stat(f->path.vn, &st);
        *offset = (uint64_t)st.st_size;
    }
    uint64_t done = 0;
    int64_t err = 0;
    while (done < len && err == 0) {
        size_t n = len - done < CHUNK ? len - done : CHUNK;
        if ((err = request_copy_in(0, done, buf, n)) != 0) {
            break;
        }
        ssize_t w =
            f->dev != NULL ? f->dev->write(buf, n) : ramfs_write(f->path.vn, *offset, buf, n);
        if (w < 0) {
            err = w;
            break;
        }
        done += (uint64_t)w;
        *offset += f->dev != NULL ? 0 : (uint64_t)w;
    }
    free(buf);
    return done > 0 ? (int64_t)done : err;
}

static int64_t do_read_write(client_t *c, const request_t *req, bool write)
{
    file_t *f = fd_get(&c->fds, (int64_t)req->mr[0]);
    if (f == NULL || !(write ? file_writes(f) : file_reads(f))) {
        return -EBADF;
    }
    vfs_rw_args_t rw;
    int err = vfs_rw_args(req, f->dev == NULL && f->pipe == NULL, &rw);
    if (err != 0) {
        return err;
    }
    uint64_t len = rw.count;
    if (f->pipe != NULL) {
        return pipe_ops_transfer(f, len, write, (rw.flags & VFS_RW_NOWAIT) != 0);
    }
    if (f->dev != NULL && f->dev->is_tty && console_forwarded()) {
        return write ? console_forward_write(f, len) : console_forward_read(c, f, len, rw.flags);
    }
    /* pread/pwrite: VFS_RW_AT and the offset in MR2; the file's own stays */
    uint64_t *offset = rw.positional ? &rw.at : &f->offset;
    return write ? write_file(f, len, offset, rw.positional) : read_file(f, len, offset);
}

static int64_t do_lseek(client_t *c, const request_t *req)
{
    file_t *f = fd_get(&c->fds, (int64_t)req->mr[0]);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->pipe != NULL) {
        return -ESPIPE;
    }
    if (f->dev != NULL) {
        return f->dev->is_tty ? -ESPIPE : 0;
    }
    struct stat st;
    vnode_stat(f->path.vn, &st);
    int64_t pos;
    int err = vfs_seek(req->mr[2], (int64_t)f->offset, st.st_size, (int64_t)req->mr[1], &pos);
    if (err != 0) {
        return err;
    }
    f->offset = (uint64_t)pos;
    if (S_ISDIR(f->path.vn->mode) && pos == 0) {
        f->dir_pos = 0; /* rewinddir */
    }
    return pos;
}

/* fstat of a pipe end: it has no name to resolve. */
static const file_t *empty_path_pipe(const client_t *c, const request_t *req)
{
    const file_t *f = fd_get(&c->fds, (int32_t)req->mr[0]);
    bool empty_path = (req->length > 3 ? req->mr[3] : 0) == 0;
    return f != NULL && f->pipe != NULL && empty_path && (req->mr[1] & AT_EMPTY_PATH) ? f : NULL;
}

static int64_t do_fstatat(client_t *c, const request_t *req)
{
    name_arg_t n;
    int flags = (int)req->mr[1];
    const file_t *pipe_end = empty_path_pipe(c, req);
    if (pipe_end != NULL) {
        struct stat st;
        pipe_ops_stat(pipe_end, &st);
        return req->descriptors < 2 ? -EFAULT : request_copy_out(1, 0, &st, sizeof(st));
    }
    unsigned rflags;
    int err = name_arg(c, req, false, &n);
    if (err == 0) {
        err = vfs_at_flags(flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT, &rflags);
    }
    if (err == 0 && req->descriptors < 2) {
        err = -EFAULT;
    }
    if (err != 0) {
        return err;
    }
    vfs_path_t found;
    if ((err = resolve_name(c, &n, rflags, &found)) != 0) {
        return err;
    }
    struct stat st;
    vnode_stat(found.vn, &st);
    path_put(&found);
    return request_copy_out(1, 0, &st, sizeof(st));
}

typedef struct {
    uint8_t *buf;
    size_t size, used;
    bool full; /* an entry did not fit */
} dirent_sink_t;

static bool put_dirent(void *arg, const char *name, size_t len, uint64_t ino, unsigned char type,
                       uint64_t next_pos)
{
    dirent_sink_t *sink = arg;
    size_t reclen = (offsetof(struct dirent, d_name) + len + 1 + 7) & ~(size_t)7;
    if (sink->used + reclen > sink->size) {
        sink->full = true;
        return false;
    }
    struct dirent *d = (struct dirent *)(sink->buf + sink->used);
    memset(d, 0, reclen);
    d->d_ino = ino;
    d->d_off = (off_t)next_pos;
    d->d_reclen = (unsigned short)reclen;
    d->d_type = type;
    memcpy(d->d_name, name, len);
    sink->used += reclen;
    return true;
}

static int64_t do_getdents(client_t *c, const request_t *req)
{
    file_t *f = fd_get(&c->fds, (int64_t)req->mr[0]);
    if (f == NULL) {
        return -EBADF;
    }
    if (f->pipe != NULL || !S_ISDIR(f->path.vn->mode)) {
        return -ENOTDIR;
    }
    if (req->descriptors < 1) {
        return -EFAULT;
    }
    size_t size = req->mr[1] < CHUNK ? (size_t)req->mr[1] : CHUNK;
    dirent_sink_t sink = {malloc(size > 0 ? size : 1), size, 0, false};
    if (sink.buf == NULL) {
        return -ENOMEM;
    }
    uint64_t pos = f->dir_pos;
    if (pos == 0 && f->path.vn->fs->refresh != NULL) {
        f->path.vn->fs->refresh(f->path.vn, NULL, 0); /* a listing starts from what is now */
    }
    int err = ramfs_readdir(f->path.vn, &pos, put_dirent, &sink);
    if (err == 0 && sink.used == 0 && sink.full) {
        err = -EINVAL; /* the next entry does not fit the buffer */
    }
    if (err == 0) {
        err = request_copy_out(0, 0, sink.buf, sink.used);
    }
    free(sink.buf);
    if (err != 0) {
        return err;
    }
    f->dir_pos = pos;
    return (int64_t)sink.used;
}

static int64_t do_name_op(client_t *c, const request_t *req)
{
    name_arg_t n;
    int err = name_arg(c, req, req->label == VFS_CHDIR, &n);
    if (err != 0) {
        return err;
    }
    vfs_caller_t caller = client_caller(c);
    vfs_name_t name = {n.dir, n.path, n.len};
    switch (req->label) {
    case VFS_MKDIRAT:
        return fsops_mkdirat(&caller, &name, (mode_t)req->mr[1] & 07777);
    case VFS_UNLINKAT:
        return fsops_unlinkat(&caller, &name, (int)req->mr[1]);
    default: { /* VFS_CHDIR */
        vfs_path_t to;
        if ((err = fsops_chdir(&caller, &name, &to)) != 0) {
            return err;
        }
        path_put(&c->cwd);
        c->cwd = to;
        return 0;
    }
    }
}

static int64_t do_getcwd(client_t *c, const request_t *req)
{
    char buf[VFS_PATH_MAX];
    if (req->descriptors < 1) {
        return -EFAULT;
    }
    int len = resolve_getcwd(&c->root, &c->cwd, buf, sizeof(buf));
    if (len < 0) {
        return len;
    }
    size_t n = strlen(buf) + 1;
    if (n > req->mr[0]) {
        return -ERANGE;
    }
    int err = request_copy_out(0, 0, buf, n);
    return err != 0 ? err : (int64_t)n;
}

static int64_t do_dup3(client_t *c, const request_t *req)
{
    file_t *f = fd_get(&c->fds, (int64_t)req->mr[0]);
    if (f == NULL) {
        return -EBADF;
    }
    int64_t newfd;
    int err = vfs_dup3_args(req, &newfd);
    if (err != 0) {
        return err;
    }
    if (newfd == -1 && (newfd = fd_alloc(&c->fds, 0)) < 0) {
        return newfd;
    }
    f->refs++;
    fd_install(&c->fds, (int)newfd, f, req->mr[2] != 0);
    return newfd;
}

static int64_t do_fcntl(client_t *c, const request_t *req)
{
    int64_t fd = (int64_t)req->mr[0];
    file_t *f = fd_get(&c->fds, fd);
    if (f == NULL) {
        return -EBADF;
    }
    uint64_t arg = req->mr[2];
    switch (req->mr[1]) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        int newfd = fd_alloc(&c->fds, arg > FD_MAX ? FD_MAX : (int)arg);
        if (newfd < 0) {
            return arg >= FD_MAX ? -EINVAL : newfd;
        }
        f->refs++;
        fd_install(&c->fds, newfd, f, req->mr[1] == F_DUPFD_CLOEXEC);
        return newfd;
    }
    case F_GETFD:
        return c->fds.cloexec[fd] ? FD_CLOEXEC : 0;
    case F_SETFD:
        c->fds.cloexec[fd] = (arg & FD_CLOEXEC) != 0;
        return 0;
    case F_GETFL:
        return f->flags;
    case F_SETFL: {
        const int changeable = O_APPEND | O_NONBLOCK;
        f->flags = (f->flags & ~changeable) | ((int)arg & changeable);
        return 0;
    }
    default:
        return -EINVAL;
    }
}

static int64_t do_ioctl(client_t *c, const request_t *req)
{
    file_t *f = fd_get(&c->fds, (int64_t)req->mr[0]);
    if (f == NULL) {
        return -EBADF;
    }
    switch (req->mr[1]) {
    case FIOCLEX:
    case FIONCLEX:
        c->fds.cloexec[req->mr[0]] = req->mr[1] == FIOCLEX;
        return 0;
    case FIONBIO: {
        int32_t on;
        if (req->descriptors < 1 || request_copy_in(0, 0, &on, sizeof(on)) != 0) {
            return -EFAULT;
        }
        f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
        return 0;
    }
    }
    if (f->pipe != NULL && req->mr[1] == FIONREAD) {
        int available = (int)pipe_available(f->pipe);
        return req->descriptors < 1 ? -EFAULT
                                    : request_copy_out(0, 0, &available, sizeof(available));
    }
    if (f->dev != NULL && f->dev->is_tty && console_forwarded()) {
        return console_forward_ioctl(c, f, req);
    }
    return -ENOTTY; /* no other file here is a terminal */
}

static int64_t do_readlinkat(client_t *c, const request_t *req)
{
    name_arg_t n;
    int err = name_arg(c, req, false, &n);
    if (err == 0 && req->descriptors < 2) {
        err = -EFAULT;
    }
    if (err != 0) {
        return err;
    }
    vfs_path_t found;
    if ((err = resolve_name(c, &n, RESOLVE_NOFOLLOW, &found)) != 0) {
        return err;
    }
    char target[VFS_PATH_MAX];
    ssize_t got =
        S_ISLNK(found.vn->mode) ? ramfs_readlink(found.vn, target, sizeof(target)) : -EINVAL;
    path_put(&found);
    if (got < 0) {
        return got;
    }
    size_t out = (size_t)got < req->mr[1] ? (size_t)got : (size_t)req->mr[1];
    err = request_copy_out(1, 0, target, out);
    return err != 0 ? err : (int64_t)out;
}

int64_t file_ops_dispatch(client_t *c, const request_t *req)
{
    switch (req->label) {
    case VFS_OPENAT:
        return do_openat(c, req);
    case VFS_CLOSE:
        return fd_close(&c->fds, (int64_t)req->mr[0]);
    case VFS_READ:
        return do_read_write(c, req, false);
    case VFS_WRITE:
        return do_read_write(c, req, true);
    case VFS_LSEEK:
        return do_lseek(c, req);
    case VFS_FSTATAT:
        return do_fstatat(c, req);
    case VFS_GETDENTS64:
        return do_getdents(c, req);
    case VFS_MKDIRAT:
    case VFS_UNLINKAT:
    case VFS_CHDIR:
        return do_name_op(c, req);
    case VFS_GETCWD:
        return do_getcwd(c, req);
    case VFS_CHROOT:
        return root_ops_chroot(c, req);
    case VFS_DUP3:
        return do_dup3(c, req);
    case VFS_FCNTL:
        return do_fcntl(c, req);
    case VFS_IOCTL:
        return do_ioctl(c, req);
    case VFS_READLINKAT:
        return do_readlinkat(c, req);
    case VFS_PIPE2:
        return pipe_ops_pipe2(c, req);
    case VFS_POLL:
        return poll_request(c, req);
    case VFS_UMASK: {
        mode_t old = c->umask;
        c->umask = (mode_t)req->mr[0] & 0777;
        return old;
    }
    default:
        return -ENOSYS;
    }
}
