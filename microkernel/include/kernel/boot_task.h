/* Creation of the root task from the first boot module. */
#ifndef CAPSULE_KERNEL_BOOT_TASK_H
#define CAPSULE_KERNEL_BOOT_TASK_H

#include "kernel/multiboot2.h"

/* Loads module 0 as the root task, hands it every other module as frames
 * and the rest of memory as the root pool, and makes it runnable. */
void boot_task_create(const mb2_info_t *mb, uint64_t mem_total);

#endif
