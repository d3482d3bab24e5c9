/* CPU time: getrusage, times, the CPU-time clocks and wait's rusage. */
#ifndef CAPSULE_POSIX_CPU_TIMES_H
#define CAPSULE_POSIX_CPU_TIMES_H

#include <stdint.h>

int64_t cpu_times_getrusage(int64_t who, uint64_t usage_addr);
int64_t cpu_times_times(uint64_t tms_addr);
/* clock_gettime of CLOCK_PROCESS_CPUTIME_ID or CLOCK_THREAD_CPUTIME_ID
 * (one thread per process: the same figure). */
int64_t cpu_times_clock(uint64_t ts_addr);
/* Writes a struct rusage with these times; what is not counted is 0. */
int64_t cpu_times_put_rusage(uint64_t usage_addr, uint64_t user_ns, uint64_t sys_ns);

#endif
