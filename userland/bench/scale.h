/*
 * Linux's side of procbench's idle containers (userland/procbench/
 * container_idle.c measures Capsule's): containers of the tiny program
 * without its argument (it writes a byte to its stdout and pauses), started
 * one after another and left running, up to 1,000 or until the machine's
 * free memory falls under a floor (no OOM killer in the measurement). Each
 * start is timed from clone until its byte arrives: the mounts, chroot and
 * exec in the child happen after clone returns. The rows have procbench's
 * names: container_start_1, _100, _1000 (or _max when fewer fit), each the
 * five containers nearest that rank, container_idle_count (always: 1,000
 * is a cap), and
 * container_idle_total_bytes (MemFree before the first less after the last,
 * per container). Every container is killed afterwards.
 */
#ifndef BENCH_SCALE_H
#define BENCH_SCALE_H

/* Prints the rows; 0, or -1 after "bench: failed: ...". */
int scale_linux_measure(void);

#endif
