/*
 * The boot modules GRUB loaded (servers, the initrd), mapped read-only into
 * proc-server so that it can read them.
 */
#ifndef PROC_SERVER_BOOT_MODULES_H
#define PROC_SERVER_BOOT_MODULES_H

#include <stddef.h>
#include <stdint.h>

#include "capsule/server.h"

typedef struct {
    const char *name;
    const uint8_t *data; /* mapped read-only */
    size_t size;
    slot_range_t frames; /* one frame per page of data, proc-server's slots */
} boot_module_t;

/* Maps every module; returns 0 or -errno. */
int boot_modules_map(const bootinfo_t *bi);

/* The module whose name (its GRUB command line's first word) is `name`. */
const boot_module_t *boot_module_find(const char *name);

#endif
