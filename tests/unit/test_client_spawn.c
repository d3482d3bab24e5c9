/*
 * vfs-server's clients of spawned processes (client_spawn): a template's
 * place (runc exec joins a running container), a prepared context at the
 * cwd named inside it, or the spawner's own place; only the descriptors
 * the spawner chose, never the template's.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client.h"
#include "ctx_paths.h"
#include "vfs_fixture.h"

/* client.c opens the console through the device table: none here. */
const device_ops_t *device_find(dev_t rdev)
{
    (void)rdev;
    return NULL;
}

enum { SPAWNER = 10, TEMPLATE = 20, CHILD = 30 };

typedef struct world {
    rootctx_t *host, *ctx; /* ctx: `/` is the host's /c */
    tproc_t h;
    file_t *given; /* the spawner's fd 5 */
} world_t;

#define P(s) (s), strlen(s)

static file_t *open_file(tproc_t *p, const char *path)
{
    vfs_path_t f;
    assert_int_equal(t_resolve(p, path, 0, &f), 0);
    return file_new(&f, O_RDONLY, NULL);
}

static int setup(void **state)
{
    world_t *w = calloc(1, sizeof(*w));
    vfs_fs_t *fs = t_ramfs();
    w->host = t_ctx_new(fs);
    vfs_fs_put(fs);
    t_proc_init(&w->h, w->host);
    assert_int_equal(t_mkdir(&w->h, "/c"), 0);
    assert_int_equal(t_mkdir(&w->h, "/c/work"), 0);
    assert_int_equal(t_mkdir(&w->h, "/c/gone"), 0);
    assert_int_equal(t_mkfile(&w->h, "/host-file", "h"), 0);
    vfs_path_t c;
    assert_int_equal(t_resolve(&w->h, "/c", 0, &c), 0);
    assert_int_equal(rootctx_new(c.mnt->fs, c.vn, "c", MOUNT_LOCKED, NULL, &w->ctx), 0);
    path_put(&c);
    assert_int_equal(client_create(SPAWNER, w->host, NULL, NULL), 0);
    w->given = open_file(&w->h, "/host-file");
    fd_install(&client_find(SPAWNER)->fds, 5, w->given, false);
    /* the template: a process of the container, at /work, with fds of its own */
    assert_int_equal(client_create(TEMPLATE, w->ctx, NULL, NULL), 0);
    client_t *t = client_find(TEMPLATE);
    path_put(&t->cwd);
    assert_int_equal(ctx_paths_cwd(w->ctx, P("/work"), &t->cwd), 0);
    t->umask = 077;
    fd_install(&t->fds, 0, open_file(&w->h, "/host-file"), false);
    fd_install(&t->fds, 3, open_file(&w->h, "/host-file"), false);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world_t *w = *state;
    client_destroy(CHILD);
    client_destroy(TEMPLATE);
    client_destroy(SPAWNER);
    t_proc_fini(&w->h);
    rootctx_put(w->ctx);
    rootctx_put(w->host);
    free(w);
    return 0;
}

static client_spawn_t spawn_of(world_t *w, const client_t *tmpl)
{
    client_spawn_t s = {.spawner = client_find(SPAWNER), .tmpl = tmpl};
    s.fds[0] = w->given;
    return s;
}

static void prepare(world_t *w, const char *cwd)
{
    client_t *sp = client_find(SPAWNER);
    client_drop_spawn(sp);
    rootctx_get(w->ctx);
    sp->spawn_ctx = w->ctx;
    assert_int_equal(ctx_paths_cwd(w->ctx, cwd, strlen(cwd), &sp->spawn_cwd), 0);
}

/* The child has exactly the spawner's chosen description as fd 0. */
static void assert_only_given(world_t *w, const client_t *c)
{
    assert_ptr_equal(fd_get(&c->fds, 0), w->given);
    for (int fd = 1; fd < FD_MAX; fd++) {
        assert_null(fd_get(&c->fds, fd));
    }
}

static void test_template(void **state)
{
    world_t *w = *state;
    client_spawn_t s = spawn_of(w, client_find(TEMPLATE));
    assert_int_equal(client_spawn(CHILD, &s), 0);
    const client_t *c = client_find(CHILD), *t = client_find(TEMPLATE);
    assert_ptr_equal(c->ctx, w->ctx);
    assert_true(path_equal(&c->root, &t->root));
    assert_true(path_equal(&c->cwd, &t->cwd));
    assert_int_equal(c->umask, 077);
    assert_only_given(w, c); /* never the template's fd 3 */
}

/* runc exec --cwd: the template's place at a cwd of its own */
static void test_template_with_cwd(void **state)
{
    world_t *w = *state;
    vfs_path_t cwd;
    assert_int_equal(ctx_paths_cwd(w->ctx, P("/gone"), &cwd), 0);
    client_spawn_t s = spawn_of(w, client_find(TEMPLATE));
    s.cwd = &cwd;
    assert_int_equal(client_spawn(CHILD, &s), 0);
    const client_t *c = client_find(CHILD);
    assert_ptr_equal(c->ctx, w->ctx);
    assert_ptr_equal(c->cwd.vn, t_vn(&w->h, "/c/gone"));
    assert_ptr_equal(client_find(TEMPLATE)->cwd.vn, t_vn(&w->h, "/c/work")); /* untouched */
    path_put(&cwd);
}

static void test_template_wins_over_prepared(void **state)
{
    world_t *w = *state;
    prepare(w, "/gone");
    client_spawn_t s = spawn_of(w, client_find(TEMPLATE));
    assert_int_equal(client_spawn(CHILD, &s), 0);
    assert_true(path_equal(&client_find(CHILD)->cwd, &client_find(TEMPLATE)->cwd));
    /* the preparation was used up all the same */
    assert_null(client_find(SPAWNER)->spawn_ctx);
    assert_null(client_find(SPAWNER)->spawn_cwd.mnt);
}

static void test_prepared_cwd(void **state)
{
    world_t *w = *state;
    prepare(w, "/work");
    client_spawn_t s = spawn_of(w, NULL);
    assert_int_equal(client_spawn(CHILD, &s), 0);
    const client_t *c = client_find(CHILD);
    assert_ptr_equal(c->ctx, w->ctx);
    assert_ptr_equal(c->cwd.vn, t_vn(&w->h, "/c/work"));
    vfs_path_t root = rootctx_root(w->ctx);
    assert_true(path_equal(&c->root, &root));
    assert_only_given(w, c);
    assert_null(client_find(SPAWNER)->spawn_ctx);
}

static void test_prepared_root_and_plain(void **state)
{
    world_t *w = *state;
    prepare(w, "");
    client_spawn_t s = spawn_of(w, NULL);
    assert_int_equal(client_spawn(CHILD, &s), 0);
    vfs_path_t root = rootctx_root(w->ctx);
    assert_true(path_equal(&client_find(CHILD)->cwd, &root));
    client_destroy(CHILD);
    /* nothing prepared: the spawner's own place */
    assert_int_equal(client_spawn(CHILD, &s), 0);
    assert_ptr_equal(client_find(CHILD)->ctx, w->host);
    assert_only_given(w, client_find(CHILD));
}

static void test_prepared_refused(void **state)
{
    world_t *w = *state;
    prepare(w, "/work");
    client_spawn_t s = spawn_of(w, NULL);
    s.spawner_jailed = true;
    assert_int_equal(client_spawn(CHILD, &s), -EPERM);
    assert_null(client_find(CHILD));
    assert_null(client_find(SPAWNER)->spawn_ctx); /* used up */
    /* a cwd removed since the preparation: never a cwd outside the root */
    prepare(w, "/gone");
    assert_int_equal(t_rmdir(&w->h, "/c/gone"), 0);
    s.spawner_jailed = false;
    assert_int_equal(client_spawn(CHILD, &s), -ENOENT);
    assert_null(client_find(CHILD));
    assert_null(client_find(SPAWNER)->spawn_ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_template, setup, teardown),
        cmocka_unit_test_setup_teardown(test_template_with_cwd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_template_wins_over_prepared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepared_cwd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepared_root_and_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepared_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
