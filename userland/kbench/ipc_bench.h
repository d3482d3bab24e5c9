/* IPC and notification benchmarks (ipc_bench.c). */
#ifndef KBENCH_IPC_BENCH_H
#define KBENCH_IPC_BENCH_H

#define BENCH_PRIORITY 100

void ipc_benchmarks(void);

#endif
