#define _GNU_SOURCE /* O_PATH */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

/* The console-server instance descriptions are opened on now (file.h). */
static uint32_t tty_epoch;

void file_tty_epoch_advance(void)
{
    tty_epoch++;
}

bool file_tty_stale(const file_t *f)
{
    return f->dev != NULL && f->dev->is_tty && f->console_epoch != tty_epoch;
}

/* A zeroed description charged to the requester's quota (quota.h), or NULL. */
static file_t *file_alloc(void)
{
    quota_t *q = quota_owner(NULL);
    file_t *f;
    if (quota_zalloc(q, sizeof(*f), (void **)&f) != 0) {
        return NULL;
    }
    f->quota = q;
    quota_get(q);
    return f;
}

file_t *file_new(vfs_path_t *path, int flags, const device_ops_t *dev)
{
    file_t *f = file_alloc();
    if (f == NULL) {
        return NULL;
    }
    f->refs = 1;
    f->path = *path;
    f->flags = flags;
    f->dev = dev;
    f->console_epoch = tty_epoch;
    return f;
}

file_t *file_new_pipe(pipe_t *p, int flags)
{
    file_t *f = file_alloc();
    if (f == NULL) {
        return NULL;
    }
    f->refs = 1;
    f->flags = flags;
    f->pipe = p;
    pipe_open_end(p, file_reads(f), file_writes(f));
    return f;
}

bool file_reads(const file_t *f)
{
    return (f->flags & O_ACCMODE) != O_WRONLY && !(f->flags & O_PATH);
}

bool file_writes(const file_t *f)
{
    return (f->flags & O_ACCMODE) != O_RDONLY && !(f->flags & O_PATH);
}

void file_put(file_t *f)
{
    if (f == NULL || --f->refs > 0) {
        return;
    }
    if (f->pipe != NULL) {
        /* may answer waiters of the pipe, so only after f left its table */
        pipe_close_end(f->pipe, file_reads(f), file_writes(f));
    } else {
        /* a pseudo-terminal end: console-server is told, unless the pair
         * died with an earlier instance (its slot may be a new pair's) */
        if (f->dev != NULL && f->dev->close != NULL && !file_tty_stale(f)) {
            f->dev->close(f->dev);
        }
        path_put(&f->path);
    }
    free(f->name);
    quota_t *q = f->quota;
    quota_free(q, f, sizeof(*f));
    quota_put(q);
}

int fd_alloc(const fd_table_t *t, int min)
{
    for (int fd = min < 0 ? 0 : min; fd < FD_MAX; fd++) {
        if (t->files[fd] == NULL) {
            return fd;
        }
    }
    return -EMFILE;
}

file_t *fd_get(const fd_table_t *t, int64_t fd)
{
    return fd >= 0 && fd < FD_MAX ? t->files[fd] : NULL;
}

void fd_install(fd_table_t *t, int fd, file_t *f, bool cloexec)
{
    file_t *old = t->files[fd];
    t->files[fd] = f;
    t->cloexec[fd] = cloexec;
    file_put(old); /* last: closing a pipe end may look at the tables */
}

int fd_close(fd_table_t *t, int64_t fd)
{
    file_t *f = fd_get(t, fd);
    if (f == NULL) {
        return -EBADF;
    }
    t->files[fd] = NULL;
    t->cloexec[fd] = false;
    file_put(f);
    return 0;
}

void fd_close_all(fd_table_t *t)
{
    for (int fd = 0; fd < FD_MAX; fd++) {
        fd_close(t, fd);
    }
}

void fd_close_on_exec(fd_table_t *t)
{
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (t->cloexec[fd]) {
            fd_close(t, fd);
        }
    }
}

void fd_copy(fd_table_t *dst, const fd_table_t *src)
{
    for (int fd = 0; fd < FD_MAX; fd++) {
        dst->files[fd] = src->files[fd];
        dst->cloexec[fd] = src->cloexec[fd];
        if (dst->files[fd] != NULL) {
            dst->files[fd]->refs++;
        }
    }
}
