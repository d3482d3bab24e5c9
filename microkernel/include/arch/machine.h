/* Machine-level services: interrupt controllers, timer, FPU, power. */
#ifndef CAPSULE_ARCH_MACHINE_H
#define CAPSULE_ARCH_MACHINE_H

#include "kernel/types.h"

/* Remaps the 8259 PICs to vectors 0x20..0x2f and masks every line. */
void pic_disable(void);

/* IRQ 2 chains the second PIC: never a device's. */
#define PIC_CASCADE_IRQ 2

/* Masks (`masked`) or unmasks one legacy IRQ line. */
void pic_mask(unsigned irq, bool masked);

/* Ends the interrupt of `irq` at the PIC(s). */
void pic_eoi(unsigned irq);

/* Port I/O of `width` bytes (1, 2 or 4). */
uint32_t port_read(uint16_t port, unsigned width);
void port_write(uint16_t port, unsigned width, uint32_t value);

/* Starts the LAPIC timer: periodic, `hz` interrupts per second on VEC_TIMER,
 * calibrated against PIT channel 2. Returns the measured TSC frequency. */
uint64_t lapic_timer_init(unsigned hz);
void lapic_eoi(void);

/* CR0/CR4 for eager FXSAVE; the image new threads start from. */
void fpu_init(void);
void fpu_init_state(uint8_t *fxsave_area);
void fpu_save(uint8_t *fxsave_area);
/* Sets CR0.TS (`on`): any FPU/SSE instruction then faults with #NM. */
void fpu_trap(bool on);
void fpu_restore(const uint8_t *fxsave_area);

/* Stops QEMU with `status` (isa-debug-exit, then ACPI power-off). */
__attribute__((noreturn)) void machine_shutdown(uint32_t status);

/* Restarts the machine (QEMU with -no-reboot exits instead). */
__attribute__((noreturn)) void machine_reset(void);

/* The CMOS clock's date and time, as seconds since 1970. */
uint64_t rtc_read_epoch_seconds(void);

/* Waits for an interrupt with interrupts enabled, then disables them again. */
void machine_idle_wait(void);

#endif
