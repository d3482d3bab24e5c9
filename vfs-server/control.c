#include "control.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "client.h"
#include "ramfs.h"
#include "resolve.h"

#define CHUNK 65536

static rootctx_t *boot_ctx;
static const vfs_path_t *boot_console;

void control_init(rootctx_t *ctx, const vfs_path_t *console)
{
    boot_ctx = ctx;
    boot_console = console;
}

static int pid_arg(const request_t *req, uint64_t mr)
{
    return req->length > mr && req->mr[mr] > 0 && req->mr[mr] < INT32_MAX ? (int)req->mr[mr] : 0;
}

static int64_t do_create(const request_t *req)
{
    int pid = pid_arg(req, 0);
    if (pid == 0) {
        return -EINVAL;
    }
    if (req->mr[1] == 0) {
        return client_create(pid, boot_ctx, boot_console, NULL);
    }
    const client_t *parent = client_find(pid_arg(req, 1));
    return parent != NULL ? client_create(pid, NULL, NULL, parent) : -ESRCH;
}

static int64_t do_exec(const request_t *req)
{
    client_t *c = client_find(pid_arg(req, 0));
    if (c == NULL) {
        return -ESRCH;
    }
    fd_close_on_exec(&c->fds);
    return 0;
}

static int64_t copy_file_out(vnode_t *v, uint64_t size)
{
    uint8_t *buf = malloc(CHUNK);
    if (buf == NULL) {
        return -ENOMEM;
    }
    int err = 0;
    for (uint64_t off = 0; off < size && err == 0; off += CHUNK) {
        size_t n = size - off < CHUNK ? size - off : CHUNK;
        ssize_t got = ramfs_read(v, off, buf, n);
        err = got != (ssize_t)n ? -EIO : request_copy_out(1, off, buf, n);
    }
    free(buf);
    return err;
}

/* The executable as the process itself would open it: resolved in its own
 * context, from its root and cwd. */
static int64_t do_exec_read(const request_t *req)
{
    client_t *c = client_find(pid_arg(req, 0));
    if (c == NULL) {
        return -ESRCH;
    }
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    if (err != 0) {
        return err;
    }
    resolve_req_t r = {c->ctx, &c->root, &c->cwd, path, len, 0};
    vfs_path_t found;
    if ((err = resolve_path(&r, &found)) != 0) {
        return err;
    }
    struct stat st;
    vnode_stat(found.vn, &st);
    int64_t result = S_ISREG(st.st_mode) ? st.st_size : -EACCES;
    if (result > 0 && req->descriptors >= 2 && (uint64_t)result <= req->mr[1]) {
        err = copy_file_out(found.vn, (uint64_t)result);
        result = err != 0 ? err : result;
    }
    path_put(&found);
    return result;
}

int64_t control_dispatch(const request_t *req)
{
    switch (req->label) {
    case VFS_PROC_CREATE:
        return do_create(req);
    case VFS_PROC_EXIT: {
        int pid = pid_arg(req, 0);
        if (client_find(pid) == NULL) {
            return -ESRCH;
        }
        client_destroy(pid);
        return 0;
    }
    case VFS_PROC_EXEC:
        return do_exec(req);
    case VFS_EXEC_READ:
        return do_exec_read(req);
    default:
        return -ENOSYS;
    }
}
