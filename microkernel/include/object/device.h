/*
 * Device capabilities. IRQControl hands out one IRQHandler per legacy IRQ
 * line; an IRQHandler delivers its interrupt as a signal on a notification
 * and keeps the line masked until IRQHandler_Ack. An IOPort capability
 * allows in/out on the port range it carries (in its badge word, so
 * narrower capabilities need no memory).
 */
#ifndef CAPSULE_OBJECT_DEVICE_H
#define CAPSULE_OBJECT_DEVICE_H

#include "kernel/object.h"

#define IRQ_LINES 16

/* Kernel-owned singletons, created at boot and never freed. */
kobject_t *device_irq_control(void);
kobject_t *device_io_ports(void);

/* The capability word of an IOPort capability for [first, last]. */
uint64_t io_port_range(uint16_t first, uint16_t last);

/* An interrupt on `irq` arrived (the kernel has masked the line). */
void irq_deliver(unsigned irq);

size_t device_size(unsigned size_bits);
bool device_finalize(kobject_t *obj);

#endif
