#include "root_ops.h"

#include <errno.h>

#include "proc_table.h"
#include "resolve.h"

static int resolve_dir(client_t *c, const char *path, size_t len, vfs_path_t *out)
{
    resolve_req_t r = {c->ctx, &c->root, &c->cwd, path, len, RESOLVE_DIRECTORY};
    return resolve_path(&r, out);
}

static bool may_chroot(const client_t *c)
{
    proc_record_t rec;
    return proc_table_lookup(c->pid, &rec) && (rec.flags & PROC_RECORD_NO_CHROOT) == 0;
}

/* Linux leaves the cwd where it was, even outside the new root: `..` from
 * there still stops at the context's root, which no process can leave. */
int64_t root_ops_chroot(client_t *c, const request_t *req)
{
    if (!may_chroot(c)) {
        return -EPERM;
    }
    char path[VFS_PATH_MAX];
    size_t len;
    int err = request_path(req, path, &len);
    vfs_path_t to;
    if (err != 0 || (err = resolve_dir(c, path, len, &to)) != 0) {
        return err;
    }
    path_put(&c->root);
    c->root = to;
    return 0;
}

int64_t root_ops_pivot(client_t *c, const request_t *req)
{
    static char new_path[VFS_PATH_MAX], old_path[VFS_PATH_MAX]; /* too big for the stack */
    size_t new_len;
    uint64_t old_len = req->length > 2 ? req->mr[2] >> 32 : 0;
    int err = request_path(req, new_path, &new_len);
    if (err == 0) {
        err = request_second_path(req, old_len, old_path);
    }
    vfs_path_t new_root, put_old;
    if (err != 0 || (err = resolve_dir(c, new_path, new_len, &new_root)) != 0) {
        return err;
    }
    if ((err = resolve_dir(c, old_path, (size_t)old_len, &put_old)) == 0) {
        vfs_path_t old_root = rootctx_root(c->ctx);
        err = rootctx_pivot(c->ctx, &c->root, &new_root, &put_old);
        if (err == 0) {
            clients_repoint(c->ctx, &old_root, &new_root);
        }
        path_put(&put_old);
    }
    path_put(&new_root);
    return err;
}
