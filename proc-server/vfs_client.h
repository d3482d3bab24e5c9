/*
 * proc-server's requests to vfs-server (its right-hand neighbour: proc-server
 * may Call it, never the other way round). Processes exist there as
 * clients keyed by global PID.
 */
#ifndef PROC_SERVER_VFS_CLIENT_H
#define PROC_SERVER_VFS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsule/server.h"
#include "protocol/vfs.h"

void vfs_client_init(cptr_t control_session);

/* console-server was restarted: vfs-server makes every descriptor of the
 * dead instance's terminals answer -EIO and subscribes to the new one
 * (docs/restart.md). 0 or -errno. */
int vfs_client_console_restarted(void);

/* After vfs-server's restart: `pid` (init) gets a client in the rebuilt boot
 * context, with no descriptors. 0 or -errno. */
int vfs_client_reattach(int pid);

/* A client for `pid`: a copy of `parent_pid`'s (fork) or, with 0, a first
 * process on the boot context's console. 0 or -errno. */
int vfs_client_create(int pid, int parent_pid);
/* A spawned process's client: the parent's context, root and cwd, and as
 * descriptors 0-2 the parent's fds[0..2] (-1: left closed). */
int vfs_client_spawn(int pid, int parent_pid, const int fds[3]);
/* The same with a template (runc exec joining a container: the global PID
 * of its PID 1): the child takes the template's context, root, cwd and
 * umask, still with the parent's fds; cwd (NULL: the template's) is an
 * absolute path resolved inside the template's place. template_pid 0 is
 * vfs_client_spawn (cwd ignored). -ESRCH if the template has no client;
 * -ENOENT, -ENOTDIR, -EINVAL (relative) for the cwd. */
int vfs_client_spawn_from(int pid, int parent_pid, int template_pid, const char *cwd,
                          const int fds[3]);
/* The same for a joined mount namespace (PROC_SPAWN_MOUNTS_OF): vfs-server
 * refuses with -EPERM a template in the boot context or in the parent's
 * own, whose root a container must never be handed. */
int vfs_client_spawn_foreign(int pid, int parent_pid, int template_pid, const char *cwd,
                             const int fds[3]);
/* pid has exited; session_leader: it led its session, whose terminals go. */
void vfs_client_exit(int pid, bool session_leader);
/* runc exec -t: a pty pair inside spawned process pid's place, the slave its
 * 0-2, the master parent_pid's (VFS_PROC_PTY). That descriptor, or -errno. */
int vfs_client_pty(int pid, int parent_pid);
int vfs_client_exec(int pid);

/* Reads the file `path` as process `pid` would open it into a malloc'd
 * buffer, and which file and content version it was into *id; returns its
 * size or -errno. */
int64_t vfs_client_read_executable(int pid, const char *path, uint8_t **data,
                                   vfs_exec_identity_t *id);

#endif
