#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 256

static client_t *buckets[BUCKETS];

static client_t **bucket_of(int pid)
{
    return &buckets[(unsigned)pid % BUCKETS];
}

client_t *client_find(int pid)
{
    for (client_t *c = *bucket_of(pid); c != NULL; c = c->next) {
        if (c->pid == pid) {
            return c;
        }
    }
    return NULL;
}

static int open_console(client_t *c, const vfs_path_t *console)
{
    for (int fd = 0; fd < 3; fd++) {
        vfs_path_t p;
        path_copy(&p, console);
        file_t *f = file_new(&p, O_RDWR, device_find(console->vn->rdev));
        if (f == NULL) {
            path_put(&p);
            return -ENOMEM;
        }
        f->name = strdup("/dev/console"); /* NULL only hides it from /proc/<pid>/fd */
        fd_install(&c->fds, fd, f, false);
    }
    return 0;
}

static void init_fresh(client_t *c, rootctx_t *ctx)
{
    rootctx_get(ctx);
    c->ctx = ctx;
    c->root = rootctx_root(ctx);
    path_get(&c->root);
    path_copy(&c->cwd, &c->root);
    c->umask = 022;
}

static void init_copy(client_t *c, const client_t *parent)
{
    rootctx_get(parent->ctx);
    c->ctx = parent->ctx;
    path_copy(&c->root, &parent->root);
    path_copy(&c->cwd, &parent->cwd);
    c->umask = parent->umask;
    fd_copy(&c->fds, &parent->fds);
    c->exe = parent->exe != NULL ? strdup(parent->exe) : NULL; /* NULL: shown as unknown */
}

void client_drop_objects(client_t *c)
{
    ctx_handles_drop_all(&c->handles);
    if (c->spawn_ctx != NULL) {
        rootctx_put(c->spawn_ctx);
        c->spawn_ctx = NULL;
    }
}

static void release(client_t *c)
{
    client_drop_objects(c);
    fd_close_all(&c->fds);
    path_put(&c->cwd);
    path_put(&c->root);
    rootctx_put(c->ctx);
    free(c->exe);
    free(c->exe_next);
    free(c);
}

int client_create(int pid, rootctx_t *ctx, const vfs_path_t *console, const client_t *parent)
{
    if (pid <= 0 || client_find(pid) != NULL) {
        return -EEXIST;
    }
    client_t *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return -ENOMEM;
    }
    c->pid = pid;
    if (parent != NULL) {
        init_copy(c, parent);
    } else {
        init_fresh(c, ctx);
        if (console != NULL && open_console(c, console) != 0) {
            release(c);
            return -ENOMEM;
        }
    }
    c->next = *bucket_of(pid);
    *bucket_of(pid) = c;
    return 0;
}

void client_destroy(int pid)
{
    for (client_t **link = bucket_of(pid); *link != NULL; link = &(*link)->next) {
        if ((*link)->pid == pid) {
            client_t *c = *link;
            *link = c->next;
            release(c);
            return;
        }
    }
}

vfs_caller_t client_caller(const client_t *c)
{
    return (vfs_caller_t){c->ctx, &c->root, &c->cwd, 0, 0, c->umask};
}

void client_exe_read(client_t *c, const char *path)
{
    free(c->exe_next);
    c->exe_next = strdup(path);
    if (c->exe == NULL) {
        client_exe_commit(c);
    }
}

void client_exe_commit(client_t *c)
{
    if (c->exe_next != NULL) {
        free(c->exe);
        c->exe = c->exe_next;
        c->exe_next = NULL;
    }
}
