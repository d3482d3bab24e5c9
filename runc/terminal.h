/*
 * process.terminal: the container's pseudo-terminal, made in its own devfs
 * (every container's devfs numbers its own pairs), and the foreground
 * relay between runc's terminal and that pty's master
 * (notes/containers.md, "Verbs"; docs/runc.md).
 */
#ifndef RUNC_TERMINAL_H
#define RUNC_TERMINAL_H

#include "capsule/proc_client.h"

typedef struct {
    int master; /* runc's end */
    int slave;  /* PID 1's descriptors 0-2 */
} terminal_t;

/* Opens a pair from the context's /dev/ptmx, unlocked, its slave opened
 * from the context's /dev/pts/N, and makes that slave the container's
 * /dev/console. 0 or -errno (nothing left open). */
int terminal_make(const capsule_obj_t *ctx, terminal_t *out);

/* Relays runc's stdin to master and master to runc's stdout until pid
 * (PID 1) has exited and its output is written; returns its status as an
 * exit code (128+N for a death by signal N). With a terminal as stdin,
 * that terminal is raw meanwhile (restored on every exit path runc can
 * catch) and its window size is copied to the pty on each SIGWINCH. tick
 * runs after every wake-up (runc forwards its signals there). */
int terminal_relay(int master, int pid, void (*tick)(void *), void *arg);

#endif
