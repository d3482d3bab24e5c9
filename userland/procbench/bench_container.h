/*
 * A container of the benchmark bundle (/containers/bench, the config
 * image/containers/bench/config.json) made through the library calls runc
 * makes (runc/create.c, verbs.c verb_run), without runc's command line and
 * config parsing: a scope (pids limit 64), a hostname context, a VFS
 * context rooted at the bundle's rootfs (labelled with the ID) with the
 * config's six mounts, PID 1 spawned held (PROC_SPAWN_SUSPENDED |
 * PROC_SPAWN_SEARCH, without the admin and kill rights), the registry
 * record. No handle is kept but the scope's.
 */
#ifndef PROCBENCH_BENCH_CONTAINER_H
#define PROCBENCH_BENCH_CONTAINER_H

#include <stdint.h>

#include "capsule/container_client.h"

#define BENCH_BUNDLE "/containers/bench"

typedef struct {
    capsule_obj_t scope; /* every right */
    int pid;             /* PID 1, a child of the caller */
} bench_container_t;

/* Creates container `id` running argv (argv[0] searched through the
 * config's PATH inside the container) with stdio as its descriptors 0-2 (-1:
 * none); memory > 0 gives its scope a pool of that many bytes first. 0, or
 * -errno with nothing left behind
 * (out->scope.slot 0). */
int bench_container_create(const char *id, char *const argv[], const int stdio[3], uint64_t memory,
                           bench_container_t *out);

/* `runc run`'s remaining steps: start, wait for PID 1, delete; then the
 * scope's handle is closed. PID 1's wait status, or -errno. */
int bench_container_run(bench_container_t *c);

/* The bytes the pool of the registered container `id` holds (its
 * processes), or -errno. */
int64_t bench_container_pool_bytes(const char *id);

/* Deletes the registered container `id` (force) and reaps its PID 1. */
void bench_container_delete_id(const char *id, int pid);

#endif
