/*
 * The container benchmarks of procbench: spawn, scopes and VFS contexts,
 * through proc-server's and vfs-server's requests (capsule-client).
 */
#ifndef PROCBENCH_CONTAINERS_H
#define PROCBENCH_CONTAINERS_H

/* Makes the directories the context benchmark mounts on; checks each
 * operation once (a benchmark of a failing request would time the
 * failure). 0, or -1 after printing "procbench: failed: ...". */
int containers_prepare(void);

/* PROC_SPAWN of this program with argument "exit", then waitpid. */
void op_spawn_exit_wait(void);
/* PROC_SCOPE_CREATE, then PROC_OBJ_CLOSE of its handle (the scope goes). */
void op_scope_create_destroy(void);
/* VFS_CTX_CREATE with its root at CONTAINERS_ROOT, five mounts in it
 * (proc, tmpfs, devtmpfs, tmpfs, a bind of /etc), VFS_CTX_CLOSE. */
void op_context_create_5mounts(void);

#endif
