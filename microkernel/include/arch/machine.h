/* Machine-level services: interrupt controllers, timer, FPU, power. */
#ifndef CAPSULE_ARCH_MACHINE_H
#define CAPSULE_ARCH_MACHINE_H

#include "kernel/types.h"

/* Remaps the 8259 PICs away from the exception vectors and masks them. */
void pic_disable(void);

/* Starts the LAPIC timer: periodic, `hz` interrupts per second on VEC_TIMER,
 * calibrated against PIT channel 2. Returns the measured TSC frequency. */
uint64_t lapic_timer_init(unsigned hz);
void lapic_eoi(void);

/* CR0/CR4 for eager FXSAVE; the image new threads start from. */
void fpu_init(void);
void fpu_init_state(uint8_t *fxsave_area);
void fpu_save(uint8_t *fxsave_area);
void fpu_restore(const uint8_t *fxsave_area);

/* Stops QEMU with `status` (isa-debug-exit, then ACPI power-off). */
__attribute__((noreturn)) void machine_shutdown(uint32_t status);

/* Waits for an interrupt with interrupts enabled, then disables them again. */
void machine_idle_wait(void);

#endif
