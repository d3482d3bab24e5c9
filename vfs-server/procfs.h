/*
 * procfs: the "proc" file system type. Its tree lives in ramfs vnodes that
 * its refresh hook (vnode.h) rewrites from the process-table page
 * (proc_table.h) and vfs-server's own clients just before a name in it is
 * looked up or a directory listed. So a file's text is fixed when it is
 * opened (a later lookup makes a new vnode), and the core's resolver,
 * readlink and getdents need nothing procfs-specific.
 *
 *   /proc/self                        symlink to the reader's PID (as its scope numbers it)
 *   /proc/mounts                      the reader's context, from its root
 *   /proc/uptime, /proc/loadavg, /proc/stat   (procfs_text.h says what is measured)
 *   /proc/meminfo                     MemTotal, from the table's header
 *   /proc/<pid>/{stat,status,cmdline,comm}
 *   /proc/<pid>/{exe,cwd}             symlinks (while vfs-server has the client)
 *   /proc/<pid>/root                  symlink: its root seen from the reader's (absent if
 *                                     not below it)
 *   /proc/<pid>/mounts                its context's table, from its root
 *   /proc/<pid>/fd/<n>                symlinks to what the descriptor was opened as
 *
 * Who reads: vfs-server is single-threaded, and the IPC layer names the
 * process a request comes from (procfs_set_reader) before serving it.
 * Every <pid> is the reader's own scope's number, and only the processes
 * of its scope and below are there (proc_view.h); NULL (proc-server's
 * requests) reads as the root scope.
 */
#ifndef VFS_PROCFS_H
#define VFS_PROCFS_H

#include <stdbool.h>

#include "client.h"
#include "vnode.h"

/* A new procfs instance; the caller holds its one reference. */
int procfs_new(vfs_fs_t **out);

/* The process on whose behalf the next lookups happen (NULL: none). */
void procfs_set_reader(const client_t *c);

#endif
