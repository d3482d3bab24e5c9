/*
 * proc-server's container registry for runtimes (docs/protocols/proc.md,
 * "Containers"): registering a scope being created under an ID, and
 * finding, starting, inspecting, signalling and deleting the containers of
 * the caller's scope. Single-threaded use only.
 *
 * Every function returns a non-negative result or -errno.
 */
#ifndef CAPSULE_CONTAINER_CLIENT_H
#define CAPSULE_CONTAINER_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "capsule/proc_client.h"

/* capsule_spawn with PROC_SPAWN_SUSPENDED or PROC_SPAWN_JOIN in flags. */
int capsule_spawn_flags(const char *path, char *const argv[], char *const envp[], const int fds[3],
                        const capsule_obj_t *scope, const capsule_obj_t *hostname, uint64_t flags);

/* capsule_spawn_flags whose child takes the VFS context, root and cwd of
 * process mounts_pid (PROC_SPAWN_MOUNTS_OF: a joined mount namespace); cwd
 * an absolute path there, or NULL for that process's cwd. */
int capsule_spawn_mounts_of(const char *path, char *const argv[], char *const envp[],
                            const int fds[3], const capsule_obj_t *scope,
                            const capsule_obj_t *hostname, uint64_t flags, int mounts_pid,
                            const char *cwd);

/* A new process beside the running container's PID 1 (PROC_SPAWN_JOIN, and
 * flags such as PROC_SPAWN_SEARCH): its scope, hostname context, files and
 * jail; cwd an absolute path inside it, or NULL for PID 1's. */
int capsule_spawn_join(const char *path, char *const argv[], char *const envp[], const int fds[3],
                       const capsule_obj_t *container, const char *cwd, uint64_t flags);
/* capsule_spawn_join with PROC_SPAWN_PTY (runc exec -t): the child's 0-2 are
 * the slave of a new pseudo-terminal pair of the container's own devfs, its
 * controlling terminal; *master is the caller's new descriptor of the
 * master. The child's PID or -errno (nothing opened). */
int capsule_spawn_join_pty(const char *path, char *const argv[], char *const envp[],
                           const capsule_obj_t *container, const char *cwd, uint64_t flags,
                           int *master);

/* Commits a create: scope (made by the caller, its PID 1 spawned suspended)
 * enters the caller's scope's registry as `id`. meta: the runtime's own
 * record text, NULL or at most PROC_CONTAINER_META_MAX bytes. */
int capsule_container_register(const capsule_obj_t *scope, const char *id, const char *bundle,
                               const char *meta);
/* The container's unjailed processes get the debug capability (the
 * bundle's org.capsule.debug): before anything runs in it, and only from a
 * caller that may debug itself (-EPERM). */
int capsule_container_allow_debug(const capsule_obj_t *scope);
/* The container `id` of the caller's scope's registry: -ENOENT. */
int capsule_container_open(const char *id, capsule_obj_t *out);
int capsule_container_start(const capsule_obj_t *c);
/* sig to its PID 1, or to every process with all. */
int capsule_container_kill(const capsule_obj_t *c, int sig, int all);
int capsule_container_delete(const capsule_obj_t *c, int force);

/* A container's record as proc-server keeps it. */
typedef struct {
    proc_container_info_t info;
    const char *id, *bundle, *meta; /* point into the buffer below */
    char *buffer;
} capsule_container_t;

/* Fills *out (free with capsule_container_free). */
int capsule_container_info(const capsule_obj_t *c, capsule_container_t *out);
void capsule_container_free(capsule_container_t *c);

/* The IDs of the caller's scope's registry: a malloc'd block of `*count`
 * NUL-terminated strings (NULL when there are none). */
int capsule_container_list(char **ids, size_t *count);

#endif
