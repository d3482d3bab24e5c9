/*
 * CPU time by sampling, as Linux's tick accounting does: each timer tick
 * is charged to whatever it finds running. Nothing is added to the system
 * call or IPC paths; the price is a resolution of one tick.
 */
#ifndef CAPSULE_KERNEL_CPU_TIME_H
#define CAPSULE_KERNEL_CPU_TIME_H

#include <stdbool.h>

#include "object/tcb.h"

/* Charges the tick that interrupted user mode (the current thread) or the
 * idle loop. */
void cpu_time_tick(bool from_user);

/* Nanoseconds `t` ran, and nanoseconds servers ran while holding the
 * reply capability of a Call of `t` (the work done on its behalf). */
uint64_t cpu_time_run_ns(const tcb_t *t);
uint64_t cpu_time_served_ns(const tcb_t *t);

#endif
