/*
 * Starting a container of /bin/true against starting /bin/true plainly:
 * process_start (capsule_spawn, waitpid), container_start (the library
 * calls runc makes, bench_container.h) and container_start_cli (fork,
 * exec of `/bin/runc run -b /containers/bench ID`, waitpid), in
 * alternating batches of one run, with their ratios batch by batch.
 */
#ifndef PROCBENCH_CONTAINER_START_H
#define PROCBENCH_CONTAINER_START_H

/* Runs each once, checked, then measures and prints the bench: and ratio:
 * lines. 0, or -1 after printing "procbench: failed: ...". */
int measure_container_starts(void);

#endif
