/*
 * CPU time by sampling. A microkernel thread spends its time in user mode
 * or in short kernel paths with interrupts off, so every tick that does
 * not find the idle loop finds a user thread. When that thread is a server
 * holding a caller's reply capability, it is working for that caller: the
 * tick is charged to the caller too, as its "served" time (what Linux
 * would count as system time), and to the caller's own caller when the
 * caller is a server too.
 */
#include "kernel/cpu_time.h"

#include "arch/percpu.h"
#include "kernel/cap.h"
#include "kernel/memory.h"
#include "kernel/sched.h"
#include "kernel/timeout.h"
#include "uapi/kinfo.h"
#include "uapi/objects.h"

#define NS_PER_TICK (1000000000u / TIMER_HZ)
#define SERVED_CHAIN_MAX 4 /* callers charged for one tick, nearest first */

static kinfo_t *kinfo(void)
{
    return phys_to_virt(clock_info_page());
}

/* The thread whose Call `server` is serving, or NULL. */
static tcb_t *served_caller(const tcb_t *server)
{
    if (cte_is_empty(&server->reply)) {
        return NULL;
    }
    tcb_t *caller = (tcb_t *)server->reply.cap.obj;
    return caller->state == TCB_STATE_BLOCKED_REPLY ? caller : NULL;
}

void cpu_time_tick(bool from_user)
{
    kinfo_t *k = kinfo();
    k->ticks++;
    tcb_t *cur = this_cpu()->current;
    if (!from_user || cur == NULL) {
        k->idle_ticks++; /* only the idle loop takes interrupts in the kernel */
        return;
    }
    cur->run_ticks++;
    /* up the chain: a server serving a server serving a client works for
     * both (proc-server reading a file from vfs-server for an exec) */
    tcb_t *caller = served_caller(cur);
    for (unsigned depth = 0; caller != NULL && depth < SERVED_CHAIN_MAX; depth++) {
        caller->served_ticks++;
        caller = served_caller(caller);
    }
}

uint64_t cpu_time_run_ns(const tcb_t *t)
{
    return t->run_ticks * NS_PER_TICK;
}

uint64_t cpu_time_served_ns(const tcb_t *t)
{
    return t->served_ticks * NS_PER_TICK;
}
