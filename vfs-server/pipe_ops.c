/*
 * The IPC side of pipes: pipe.c decides, this file moves the bytes by bulk
 * copy through the caller's reply capability, keeps a waiting caller's
 * reply capability in a slot of its own and answers it with a Send, which
 * never blocks the server. A caller that is gone (killed, or its call
 * cancelled or timed out) shows as KERR_NO_CALLER on the current reply
 * capability or KERR_INVALID_CAP on a kept one, now empty.
 */
#include "pipe_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "capsule/slots.h"
#include "poll_wait.h"

/* st_dev of pipes: one anonymous device, as Linux's pipefs has, far from
 * the numbers ramfs instances take (1, 2, ...). */
#define PIPE_DEV makedev(0, 0xff)

static cptr_t reply_cap(pipe_caller_t caller)
{
    return caller == PIPE_CALLER_CURRENT ? CAP_REPLY_CURRENT : (cptr_t)caller;
}

/* A copy of no bytes is how a kept caller is checked: it must reach the kernel. */
static int copy_result(kerr_t err, uint64_t done, size_t len)
{
    if (err == KERR_NO_CALLER || err == KERR_INVALID_CAP) {
        return -EPIPE;
    }
    return err == KERR_OK && done == len ? 0 : -EFAULT;
}

static int reply_in(pipe_caller_t caller, uint64_t offset, void *dst, size_t len)
{
    uint64_t done = 0;
    kerr_t err = reply_copy_from(reply_cap(caller), 0, offset, dst, len, &done);
    return copy_result(err, done, len);
}

static int reply_out(pipe_caller_t caller, uint64_t offset, const void *src, size_t len)
{
    uint64_t done = 0;
    kerr_t err = reply_copy_to(reply_cap(caller), 0, offset, src, len, &done);
    return copy_result(err, done, len);
}

static pipe_caller_t keep_caller(void)
{
    cptr_t slot = request_save_caller();
    return slot != CAP_NULL ? (pipe_caller_t)slot : PIPE_CALLER_NONE;
}

static void forget(pipe_caller_t caller)
{
    cnode_delete(CAP_INIT_CNODE, (cptr_t)caller); /* empty already after a Send */
    slot_free((cptr_t)caller);
}

static void answer(pipe_caller_t caller, int64_t result, unsigned flags)
{
    /* MR1: VFS_WRITE_SIGPIPE tells the runtime to raise SIGPIPE */
    uint64_t mr1 = (flags & PIPE_ANSWER_SIGPIPE) ? VFS_WRITE_SIGPIPE : 0;
    sys_send((cptr_t)caller, msginfo_make(0, 2), (uint64_t)result, mr1);
    forget(caller);
}

static const pipe_io_t reply_io = {reply_in, reply_out, keep_caller, answer, forget, poll_recheck};

static int64_t install_ends(client_t *c, pipe_t *p, int flags, int fds[2])
{
    bool cloexec = (flags & O_CLOEXEC) != 0;
    int status = flags & O_NONBLOCK;
    for (int end = 0; end < 2; end++) {
        fds[end] = fd_alloc(&c->fds, 0);
        file_t *f =
            fds[end] < 0 ? NULL : file_new_pipe(p, (end == 0 ? O_RDONLY : O_WRONLY) | status);
        if (f == NULL) {
            if (end == 1) {
                fd_close(&c->fds, fds[0]); /* the pipe goes with its last end */
            } else {
                pipe_close_end(p, false, false); /* no end yet: the pipe goes */
            }
            return fds[end] < 0 ? fds[end] : -ENOMEM;
        }
        fd_install(&c->fds, fds[end], f, cloexec);
    }
    return 0;
}

/* VFS_PIPE2: MR0 flags; descriptor 0 = int[2] (DESC_WRITE). */
int64_t pipe_ops_pipe2(client_t *c, const request_t *req)
{
    int flags;
    int err = vfs_pipe2_args(req, &flags);
    if (err != 0) {
        return err;
    }
    pipe_t *p;
    err = pipe_create(&reply_io, &p);
    if (err != 0) {
        return err;
    }
    int fds[2];
    int64_t result = install_ends(c, p, flags, fds);
    if (result == 0 && request_copy_out(0, 0, fds, sizeof(fds)) != 0) {
        fd_close(&c->fds, fds[0]);
        fd_close(&c->fds, fds[1]);
        result = -EFAULT;
    }
    return result;
}

int64_t pipe_ops_transfer(file_t *f, uint64_t len, bool write, bool nonblock)
{
    nonblock |= (f->flags & O_NONBLOCK) != 0;
    int64_t result = write ? pipe_write(f->pipe, len, nonblock) : pipe_read(f->pipe, len, nonblock);
    return result == PIPE_DEFERRED ? REQUEST_DEFERRED : result;
}

void pipe_ops_stat(const file_t *f, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_dev = PIPE_DEV;
    st->st_ino = (ino_t)f->pipe->ino;
    st->st_mode = S_IFIFO | 0600;
    st->st_nlink = 1;
    st->st_blksize = 4096; /* a page, as Linux reports for a pipe */
}
