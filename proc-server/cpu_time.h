/*
 * CPU time of processes. The kernel samples it per thread (TCB_ReadTimes:
 * what the thread ran, and what servers ran serving its Calls, which is
 * reported as system time); a process's own time is what its ended
 * threads left in its record (process.h) plus what its running thread has.
 */
#ifndef PROC_SERVER_CPU_TIME_H
#define PROC_SERVER_CPU_TIME_H

#include <stdint.h>

#include "capsule/kernel.h"
#include "process.h"
#include "request_check.h"

/* Adds what `tcb`'s thread ran to the process's own time: called before
 * the thread goes (exit, and exec, across which the times carry on). */
void cpu_time_collect(process_t *proc, cptr_t tcb);

/* PROC_CPU_TIMES: answers 0, then the caller's own user and system
 * nanoseconds and its waited-for children's (MR1-MR4). */
int64_t cpu_time_request(process_t *caller, request_t *req);

#endif
