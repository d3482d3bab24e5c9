/*
 * The operations the side-by-side benchmark times, one iteration each.
 * Every one returns 0 when it did what it should (bench runs each once,
 * checked, before timing it: a benchmark of a failing call times the
 * failure).
 */
#ifndef BENCH_OPS_H
#define BENCH_OPS_H

#include "system.h"

#define TINY_PROGRAM "/sbin/bench-idle" /* with "exit": returns at once */

/* Sets up the file, the echo child of the pipe round trip, and the system
 * for the container start. 0, or -1. */
int ops_prepare(bench_system_t system);

/* Stops the echo child. */
void ops_finish(void);

int op_getpid(void);
int op_pipe_roundtrip(void);
int op_open_close(void);
int op_stat(void);
int op_read_4k(void);
int op_read_1m(void);
int op_mmap_touch_1m(void);
int op_fork_exit_wait(void);
int op_fork_exec_wait(void);
int op_spawn_wait(void);
int op_container_start(void);

#endif
