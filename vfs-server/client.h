/*
 * What vfs-server keeps per process (a client), keyed by global PID:
 * its root context, root and current directory, umask and descriptors.
 * proc-server creates and ends clients as processes come and go.
 */
#ifndef VFS_CLIENT_H
#define VFS_CLIENT_H

#include <sys/types.h>

#include "ctx_handles.h"
#include "file.h"
#include "fsops.h"
#include "mount.h"

typedef struct client {
    int pid;
    struct client *next; /* in its hash bucket */
    rootctx_t *ctx;
    vfs_path_t root, cwd;
    mode_t umask;
    fd_table_t fds;
    char *exe;                /* the running executable's path (/proc/<pid>/exe); NULL: unknown */
    char *exe_next;           /* the one the exec under way read, until proc-server commits it */
    vfs_path_t exe_file;      /* held, counted in exec_users: the file its image came from */
    vfs_path_t exe_next_file; /* held: the file the exec under way read */
    ctx_handles_t handles;    /* contexts it holds (not copied by fork; dropped by exec) */
    rootctx_t *spawn_ctx;     /* held: its next spawn's context (VFS_CTX_PREPARE_SPAWN) */
    vfs_path_t spawn_cwd;     /* held: that spawn's cwd inside spawn_ctx; empty: its root */
    quota_t *quota;           /* held once charged: ctx's quota pays for this record */
} client_t;

client_t *client_find(int pid);

/* A first process attached to `ctx` at its root, fds 0-2 on `console`
 * (a held path, may be NULL), or a copy of `parent` (fork). */
int client_create(int pid, rootctx_t *ctx, const vfs_path_t *console, const client_t *parent);
void client_destroy(int pid);

/* Where a spawned process starts (VFS_PROC_SPAWN). */
typedef struct client_spawn {
    client_t *spawner;     /* gives descriptors 0-2; its prepared spawn is used up */
    const client_t *tmpl;  /* NULL, or the process whose place the child takes */
    const vfs_path_t *cwd; /* with tmpl: the child's cwd instead of tmpl's (NULL: tmpl's) */
    bool spawner_jailed;   /* a prepared context is refused to a jailed spawner */
    file_t *fds[3];        /* the spawner's descriptions to give as 0, 1, 2 (NULL: none) */
} client_spawn_t;
/*
 * Creates the client of spawned process pid: with a template, a copy of
 * the template's place (context, root, cwd, umask: as if the template had
 * spawned it), at s->cwd if given (resolved inside by the caller); else in the context the spawner
 * prepared, at the cwd it named there (-EPERM if the spawner is jailed, -ENOENT if that cwd left
 * the context's root since); else a copy of the spawner's place. The
 * spawner's prepared spawn is used up in every case. Only the given
 * descriptors are open in the child.
 */
int client_spawn(int pid, const client_spawn_t *s);
/* Drops a prepared spawn (context and cwd). */
void client_drop_spawn(client_t *c);
/* exec: the context handles and a prepared spawn go with the old image
 * (its capabilities went with its CSpace). */
void client_drop_objects(client_t *c);

/* pivot_root's move of every process of ctx whose root or cwd is from
 * (both not held here) to to. */
void clients_repoint(const rootctx_t *ctx, const vfs_path_t *from, const vfs_path_t *to);

/* Records path (copied; NULL: its name is not known) and file (held) as the
 * executable an exec is reading; the first one of a new process counts at
 * once (spawn has no commit). */
void client_exe_read(client_t *c, const char *path, const vfs_path_t *file);
/* The exec committed: the executable it read is now the process's. */
void client_exe_commit(client_t *c);

/* The caller view the core's operations take. */
vfs_caller_t client_caller(const client_t *c);

#endif
