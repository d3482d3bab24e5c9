/*
 * CPU time calls. proc-server keeps the figures (PROC_CPU_TIMES, and the
 * reaped child's in wait's answer); the kernel samples them at its 1 ms
 * tick. User time is what the process's own thread ran, system time what
 * servers ran serving its calls. The rest of struct rusage (faults,
 * context switches, block I/O, maximum resident size) is not counted and
 * reads 0.
 */
#include "cpu_times.h"

#include <errno.h>
#include <time.h>

#include "capsule/kernel.h"
#include "process.h"
#include "protocol/posix_runtime.h"
#include "protocol/proc.h"
#include "runtime.h"
#include "signals.h"

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1
#define USER_HZ 100 /* times(2)'s clock ticks, sysconf(_SC_CLK_TCK) */
#define NS_PER_S 1000000000u

/* struct rusage as Linux lays it out on x86_64: two timevals, 14 longs. */
typedef struct {
    int64_t utime[2], stime[2];
    int64_t counters[14];
} linux_rusage_t;

typedef struct {
    uint64_t user_ns, sys_ns, child_user_ns, child_sys_ns;
} cpu_times_t;

RUNTIME static int64_t cpu_times_ask(cpu_times_t *t)
{
    sys_result_t r = sys_call(CAP_PROC_SESSION, msginfo_make(PROC_CPU_TIMES, 0), 0, 0, 0, 0);
    if (r.err != KERR_OK) {
        return runtime_ipc_error(r.err);
    }
    if ((int64_t)r.mr[0] < 0) {
        return (int64_t)r.mr[0];
    }
    *t = (cpu_times_t){r.mr[1], r.mr[2], r.mr[3], ipc_buffer->mr[4]};
    return 0;
}

RUNTIME int64_t cpu_times_put_rusage(uint64_t usage_addr, uint64_t user_ns, uint64_t sys_ns)
{
    linux_rusage_t u = {
        .utime = {(int64_t)(user_ns / NS_PER_S), (int64_t)(user_ns % NS_PER_S / 1000)},
        .stime = {(int64_t)(sys_ns / NS_PER_S), (int64_t)(sys_ns % NS_PER_S / 1000)},
    };
    return user_put(usage_addr, &u, sizeof(u));
}

RUNTIME int64_t cpu_times_getrusage(int64_t who, uint64_t usage_addr)
{
    int32_t which = (int32_t)who; /* a C int */
    if (which != RUSAGE_SELF && which != RUSAGE_THREAD && which != RUSAGE_CHILDREN) {
        return -EINVAL;
    }
    cpu_times_t t;
    int64_t err = cpu_times_ask(&t);
    if (err != 0) {
        return err;
    }
    return which == RUSAGE_CHILDREN
               ? cpu_times_put_rusage(usage_addr, t.child_user_ns, t.child_sys_ns)
               : cpu_times_put_rusage(usage_addr, t.user_ns, t.sys_ns);
}

RUNTIME int64_t cpu_times_times(uint64_t tms_addr)
{
    cpu_times_t t;
    int64_t err = cpu_times_ask(&t);
    if (err != 0) {
        return err;
    }
    const uint64_t ns_per_tick = NS_PER_S / USER_HZ;
    if (tms_addr != 0) {
        int64_t tms[4] = {(int64_t)(t.user_ns / ns_per_tick), (int64_t)(t.sys_ns / ns_per_tick),
                          (int64_t)(t.child_user_ns / ns_per_tick),
                          (int64_t)(t.child_sys_ns / ns_per_tick)};
        err = user_put(tms_addr, tms, sizeof(tms));
        if (err != 0) {
            return err;
        }
    }
    /* the return value counts from an arbitrary point: here, boot */
    uint64_t now;
    runtime_clock_ns(CLOCK_MONOTONIC, &now);
    return (int64_t)(now / ns_per_tick);
}

RUNTIME int64_t cpu_times_clock(uint64_t ts_addr)
{
    cpu_times_t t;
    int64_t err = cpu_times_ask(&t);
    if (err != 0) {
        return err;
    }
    uint64_t ns = t.user_ns + t.sys_ns;
    uint64_t ts[2] = {ns / NS_PER_S, ns % NS_PER_S};
    return user_put(ts_addr, ts, sizeof(ts));
}
