/*
 * The clocks every runtime serves without a system call: the kernel info
 * page converts the TSC to nanoseconds.
 */
#include <errno.h>
#include <time.h>

#include "runtime.h"
#include "uapi/kinfo.h"
#include "uapi/vm.h"

RUNTIME static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

RUNTIME int64_t runtime_clock_ns(uint64_t clock, uint64_t *ns)
{
    const volatile kinfo_t *k = (const volatile kinfo_t *)USER_INFO_PAGE;
    kinfo_t now = {.tsc_hz = k->tsc_hz,
                   .boot_tsc = k->boot_tsc,
                   .realtime_at_boot_ns = k->realtime_at_boot_ns};
    *ns = kinfo_tsc_to_ns(&now, rdtsc());
    switch (clock) {
    case CLOCK_REALTIME:
        *ns += now.realtime_at_boot_ns;
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
        return 0;
    default:
        return -EINVAL;
    }
}
