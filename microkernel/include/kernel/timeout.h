/*
 * Timeouts of blocked calls, and the kernel's clock. Deadlines are TSC
 * values; the timer tick expires them, so their resolution is one tick.
 */
#ifndef CAPSULE_KERNEL_TIMEOUT_H
#define CAPSULE_KERNEL_TIMEOUT_H

#include "object/tcb.h"

/* Starts the clock with the TSC frequency measured at boot and fills the
 * kernel info page. */
void clock_init(uint64_t tsc_hz);

/* The physical frame of the kernel info page (mapped in every VSpace). */
paddr_t clock_info_page(void);
uint64_t clock_ns_to_tsc(uint64_t ns);

/* Arms `t`'s timeout if its IPC buffer asks for one (faults never time out). */
void timeout_arm_from_buffer(tcb_t *t);
void timeout_disarm(tcb_t *t);

/* Cancels, with KERR_TIMEOUT, every call whose deadline has passed. */
void timeout_expire(uint64_t now);

#endif
