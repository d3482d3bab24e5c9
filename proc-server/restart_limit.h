/*
 * How often a server may be rebuilt (docs/restart.md): a server that
 * faults again when it was already restarted RESTART_LIMIT_COUNT times
 * within RESTART_LIMIT_WINDOW_NS stays stopped, rather than being rebuilt
 * in a loop. Pure (the caller passes the monotonic time), unit-tested on
 * the host.
 */
#ifndef PROC_SERVER_RESTART_LIMIT_H
#define PROC_SERVER_RESTART_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RESTART_LIMIT_COUNT 5
#define RESTART_LIMIT_WINDOW_NS 10000000000ull /* 10 s */

typedef struct {
    uint64_t at[RESTART_LIMIT_COUNT]; /* the last restarts' times, a ring */
    unsigned next;                    /* where the next one goes: the oldest */
    unsigned count;                   /* how many the ring holds */
} restart_limit_t;

/* A fault at `now_ns`: true (and the restart is counted) if the server may
 * be rebuilt, false if it was restarted RESTART_LIMIT_COUNT times in the
 * RESTART_LIMIT_WINDOW_NS before now. */
bool restart_limit_allow(restart_limit_t *limit, uint64_t now_ns);

#endif
