/*
 * Physical memory as the kernel sees it: every RAM page is reachable through
 * the direct map. Host unit tests provide their own definitions.
 */
#ifndef CAPSULE_KERNEL_MEMORY_H
#define CAPSULE_KERNEL_MEMORY_H

#include "kernel/types.h"

void *phys_to_virt(paddr_t pa);
paddr_t virt_to_phys(const void *va);

#endif
