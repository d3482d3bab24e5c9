/*
 * Idle containers: up to IDLE_CONTAINERS_MAX of the bench bundle, each
 * with /sbin/bench-idle as PID 1 and kept alive, created one after the
 * other through the library (bench_container.h) and timed one by one
 * (create + start), until the target or the first error (ENOMEM: today's
 * processes are too big for a thousand in 512 MiB). Then what each costs
 * in the kernel and the servers beyond its processes' pools, from the
 * machine's free frames, and everything is deleted again.
 */
#ifndef PROCBENCH_CONTAINER_IDLE_H
#define PROCBENCH_CONTAINER_IDLE_H

#define IDLE_CONTAINERS_MAX 1000

/* Prints the bench: lines; 0, or -1 after "procbench: failed: ...". */
int measure_idle_containers(void);

#endif
