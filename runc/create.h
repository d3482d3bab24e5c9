/*
 * `create`, in notes/containers.md's order: the whole config validated
 * (bundle_load), then a scope, a hostname context and a VFS root context,
 * the mounts in config order resolved inside the new context, PID 1
 * resolved and spawned inside it, held, and last the registration that
 * commits it. Nothing of the container runs before `start`. If runc dies
 * half-way, proc-server stops the unregistered scope it owned and vfs-server
 * drops its context: nothing half-made remains.
 */
#ifndef RUNC_CREATE_H
#define RUNC_CREATE_H

#include "bundle.h"
#include "capsule/container_client.h"

typedef struct {
    capsule_obj_t scope; /* every right: start, kill, delete, list */
    int pid;             /* PID 1, as runc numbers it */
    int master;          /* process.terminal: the pty's master, else -1 */
} container_t;

/* Creates container id from bundle b with stdio as its descriptors 0-2,
 * or, with process.terminal, a pty of its devfs (terminal.h). Prints what failed (runc: create:
 * ...) and returns -1 on an error. */
int container_create(const bundle_t *b, const char *id, const int stdio[3], container_t *out);

#endif
