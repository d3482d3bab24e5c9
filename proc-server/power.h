/*
 * reboot(2): ending or restarting the machine is the host's decision, so
 * only an unjailed process of the root scope may ask.
 */
#ifndef PROC_POWER_H
#define PROC_POWER_H

#include <stdint.h>

#include "process.h"

/* PROC_REBOOT with reboot(2)'s magic numbers and command; returns -errno,
 * or does not return when the machine stops. */
int64_t power_reboot(process_t *caller, uint64_t magic, uint64_t magic2, uint64_t cmd);

#endif
