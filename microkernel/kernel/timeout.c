/*
 * Timeouts: a list of armed threads sorted by deadline. Arming walks the
 * list (a handful of entries in practice); the tick looks at its head.
 */
#include "kernel/timeout.h"

#include "arch/cpu.h"
#include "arch/machine.h"
#include "kernel/frame_alloc.h"
#include "kernel/ipc.h"
#include "kernel/memory.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "uapi/kinfo.h"

static tcb_t *armed; /* sorted, earliest deadline first */
static uint64_t tsc_hz;

static paddr_t info_page;

void clock_init(uint64_t hz)
{
    tsc_hz = hz;
    info_page = frame_alloc(1);
    if (info_page == 0) {
        panic("clock: no frame for the kernel info page");
    }
    kinfo_t *k = phys_to_virt(info_page);
    k->tsc_hz = hz;
    k->boot_tsc = rdtsc();
    k->realtime_at_boot_ns = rtc_read_epoch_seconds() * 1000000000u;
    k->tick_hz = TIMER_HZ;
}

paddr_t clock_info_page(void)
{
    return info_page;
}

/* Whole seconds and the rest apart, so nothing overflows below 18 GHz. */
uint64_t clock_ns_to_tsc(uint64_t ns)
{
    const uint64_t ns_per_s = 1000000000u;
    uint64_t whole;
    if (__builtin_mul_overflow(ns / ns_per_s, tsc_hz, &whole)) {
        return UINT64_MAX;
    }
    uint64_t part = ns % ns_per_s * tsc_hz / ns_per_s;
    return whole + part < whole ? UINT64_MAX : whole + part;
}

static void insert_sorted(tcb_t *t)
{
    tcb_t *prev = NULL, *cur = armed;
    while (cur != NULL && cur->deadline <= t->deadline) {
        prev = cur;
        cur = cur->timeout_next;
    }
    t->timeout_prev = prev;
    t->timeout_next = cur;
    if (cur != NULL) {
        cur->timeout_prev = t;
    }
    if (prev != NULL) {
        prev->timeout_next = t;
    } else {
        armed = t;
    }
    t->timeout_armed = true;
}

void timeout_arm_from_buffer(tcb_t *t)
{
    ipc_buffer_t *buf = tcb_ipc_buffer(t);
    if (t->timeout_armed || buf == NULL || buf->timeout_ns == 0 || (t->ipc_flags & IPC_FAULT)) {
        return;
    }
    uint64_t now = rdtsc();
    uint64_t delta = clock_ns_to_tsc(buf->timeout_ns);
    t->deadline = now + delta < now ? UINT64_MAX : now + delta;
    insert_sorted(t);
}

void timeout_disarm(tcb_t *t)
{
    if (!t->timeout_armed) {
        return;
    }
    if (t->timeout_prev != NULL) {
        t->timeout_prev->timeout_next = t->timeout_next;
    } else {
        armed = t->timeout_next;
    }
    if (t->timeout_next != NULL) {
        t->timeout_next->timeout_prev = t->timeout_prev;
    }
    t->timeout_prev = t->timeout_next = NULL;
    t->timeout_armed = false;
}

void timeout_expire(uint64_t now)
{
    while (armed != NULL && armed->deadline <= now) {
        tcb_t *t = armed;
        timeout_disarm(t);
        ipc_cancel(t, KERR_TIMEOUT);
    }
}
