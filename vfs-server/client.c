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
    if (parent->exe_file.vn != NULL) { /* a fork child runs the same image */
        path_copy(&c->exe_file, &parent->exe_file);
        c->exe_file.vn->exec_users++;
    }
}

static void drop_exe_file(client_t *c)
{
    if (c->exe_file.vn != NULL) {
        c->exe_file.vn->exec_users--;
        path_put(&c->exe_file);
    }
}

void client_drop_spawn(client_t *c)
{
    path_put(&c->spawn_cwd);
    if (c->spawn_ctx != NULL) {
        rootctx_put(c->spawn_ctx);
        c->spawn_ctx = NULL;
    }
}

void client_drop_objects(client_t *c)
{
    ctx_handles_drop_all(&c->handles);
    client_drop_spawn(c);
}

static void release(client_t *c)
{
    if (c->quota != NULL) {
        quota_uncharge(c->quota, sizeof(*c));
        quota_put(c->quota);
    }
    client_drop_objects(c);
    fd_close_all(&c->fds);
    path_put(&c->cwd);
    path_put(&c->root);
    rootctx_put(c->ctx);
    free(c->exe);
    free(c->exe_next);
    drop_exe_file(c);
    path_put(&c->exe_next_file);
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
    /* the record and its descriptor table: a container's processes pay */
    int err = quota_charge(c->ctx->quota, sizeof(*c));
    if (err != 0) {
        release(c);
        return err;
    }
    c->quota = c->ctx->quota;
    quota_get(c->quota);
    c->next = *bucket_of(pid);
    *bucket_of(pid) = c;
    return 0;
}

/* Whether a prepared cwd is still a directory below the context's root,
 * reached through its table: a lazy unmount or a removal since the
 * preparation must not start a process outside its root. */
static bool spawn_cwd_usable(rootctx_t *ctx, const vfs_path_t *cwd)
{
    vfs_path_t root = rootctx_root(ctx);
    return cwd->mnt->ctx == ctx && vnode_is_dir(cwd->vn) && path_is_under(cwd, &root);
}

/* The child's place, before its descriptors are chosen. */
static int spawn_place(int pid, const client_spawn_t *s, rootctx_t *ctx, const vfs_path_t *cwd)
{
    if (s->tmpl != NULL) {
        int err = client_create(pid, NULL, NULL, s->tmpl);
        if (err == 0 && s->cwd != NULL) {
            client_t *c = client_find(pid);
            path_put(&c->cwd);
            path_copy(&c->cwd, s->cwd);
        }
        return err;
    }
    if (ctx == NULL) {
        return client_create(pid, NULL, NULL, s->spawner);
    }
    if (s->spawner_jailed) {
        return -EPERM;
    }
    if (cwd->mnt != NULL && !spawn_cwd_usable(ctx, cwd)) {
        return -ENOENT;
    }
    int err = client_create(pid, ctx, NULL, NULL);
    if (err == 0 && cwd->mnt != NULL) {
        client_t *c = client_find(pid);
        path_put(&c->cwd);
        path_copy(&c->cwd, cwd);
    }
    return err;
}

int client_spawn(int pid, const client_spawn_t *s)
{
    /* a one-shot: taken now, whether or not the spawn succeeds */
    rootctx_t *ctx = s->spawner->spawn_ctx;
    vfs_path_t cwd = s->spawner->spawn_cwd;
    s->spawner->spawn_ctx = NULL;
    s->spawner->spawn_cwd = (vfs_path_t){NULL, NULL};
    int err = spawn_place(pid, s, ctx, &cwd);
    path_put(&cwd);
    if (ctx != NULL) {
        rootctx_put(ctx); /* the client holds its own reference */
    }
    if (err != 0) {
        return err;
    }
    client_t *c = client_find(pid);
    for (unsigned i = 0; i < 3; i++) {
        if (s->fds[i] != NULL) {
            s->fds[i]->refs++; /* the new table's, taken before the copy's go */
        }
    }
    fd_close_all(&c->fds);
    for (unsigned i = 0; i < 3; i++) {
        if (s->fds[i] != NULL) {
            fd_install(&c->fds, (int)i, s->fds[i], false);
        }
    }
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

/* Replaces a held path equal to from with a held copy of to. */
static void repoint(vfs_path_t *p, const vfs_path_t *from, const vfs_path_t *to)
{
    if (path_equal(p, from)) {
        vfs_path_t old = *p;
        path_copy(p, to);
        path_put(&old);
    }
}

void clients_repoint(const rootctx_t *ctx, const vfs_path_t *from, const vfs_path_t *to)
{
    for (unsigned b = 0; b < BUCKETS; b++) {
        for (client_t *c = buckets[b]; c != NULL; c = c->next) {
            if (c->ctx == ctx) {
                repoint(&c->root, from, to);
                repoint(&c->cwd, from, to);
            }
        }
    }
}

void client_exe_read(client_t *c, const char *path, const vfs_path_t *file)
{
    bool first = c->exe == NULL && c->exe_file.vn == NULL;
    if (path != NULL) {
        free(c->exe_next);
        c->exe_next = strdup(path);
    }
    path_put(&c->exe_next_file);
    path_copy(&c->exe_next_file, file);
    if (first) {
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
    if (c->exe_next_file.vn != NULL) {
        drop_exe_file(c);
        c->exe_file = c->exe_next_file; /* its references move along */
        c->exe_next_file = (vfs_path_t){NULL, NULL};
        c->exe_file.vn->exec_users++;
    }
}
