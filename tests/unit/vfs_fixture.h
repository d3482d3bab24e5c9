/*
 * Shared set-up for the vfs-server unit tests: a fake clock, ramfs instances,
 * contexts, and a "process" (root and cwd held as the IPC layer will hold them)
 * with one-line helpers over fsops and the resolver.
 */
#ifndef VFS_FIXTURE_H
#define VFS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "fsops.h"
#include "mount.h"
#include "ramfs.h"
#include "resolve.h"

typedef struct tproc {
    rootctx_t *ctx; /* held */
    vfs_path_t root, cwd;
} tproc_t;

/* Each call returns one second later than the previous one. */
struct timespec fake_clock(void);

vfs_fs_t *t_ramfs(void);
/* A context whose root is fs's root; the context holds fs, so the caller may put its own ref. */
rootctx_t *t_ctx_new(vfs_fs_t *fs);
void t_proc_init(tproc_t *p, rootctx_t *ctx);
void t_proc_fini(tproc_t *p);

int t_mkdir(tproc_t *p, const char *path);
int t_mkfile(tproc_t *p, const char *path, const char *content);
int t_symlink(tproc_t *p, const char *target, const char *path);
int t_unlink(tproc_t *p, const char *path);
int t_rmdir(tproc_t *p, const char *path);
int t_rename(tproc_t *p, const char *from, const char *to, unsigned flags);
int t_link(tproc_t *p, const char *from, const char *to);
/* Resolves from p's cwd; *out is held. */
int t_resolve(tproc_t *p, const char *path, unsigned flags, vfs_path_t *out);
int t_resolve_at(tproc_t *p, const vfs_path_t *start, const char *path, unsigned flags,
                 vfs_path_t *out);
/* The vnode path names (not following a final link), or NULL; not held. */
vnode_t *t_vn(tproc_t *p, const char *path);
int t_chdir(tproc_t *p, const char *path);
int t_chroot(tproc_t *p, const char *path);
/* p's cwd as getcwd sees it, in a static buffer, or NULL with *err set. */
const char *t_getcwd(tproc_t *p, int *err);
/* Reads the whole file at path into a static buffer (NUL-terminated). */
const char *t_read(tproc_t *p, const char *path);
/* Whether a and b name the same (mount, vnode). */
bool t_same(tproc_t *p, const char *a, const char *b);

#endif
