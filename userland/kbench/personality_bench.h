/* The personality-entry benchmark (personality_bench.c). */
#ifndef KBENCH_PERSONALITY_BENCH_H
#define KBENCH_PERSONALITY_BENCH_H

void personality_benchmark(void);

#endif
