/*
 * Each module gets its own 1 GiB of proc-server's address space, so a
 * module's pages are contiguous where proc-server reads them.
 */
#include "boot_modules.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "task.h"
#include "uapi/objects.h"
#include "uapi/vm.h"

#define MODULE_WINDOW_BASE 0x200000000000ull
#define MODULE_WINDOW_SIZE (1ull << 30)

static boot_module_t modules[BOOTINFO_MAX_MODULES];
static size_t module_count;

static int map_module(const bootinfo_module_t *m, uint64_t base)
{
    if (m->frames.count * PAGE_SIZE > MODULE_WINDOW_SIZE) {
        return -EFBIG;
    }
    for (uint64_t i = 0; i < m->frames.count; i++) {
        kerr_t err =
            vspace_map(CAP_INIT_VSPACE, m->frames.first + i, base + i * PAGE_SIZE, MAP_READ);
        if (err != KERR_OK) {
            return errno_from_kerr(err);
        }
    }
    return 0;
}

int boot_modules_map(const bootinfo_t *bi)
{
    for (uint64_t i = 0; i < bi->module_count && i < BOOTINFO_MAX_MODULES; i++) {
        const bootinfo_module_t *m = &bi->modules[i];
        uint64_t base = MODULE_WINDOW_BASE + i * MODULE_WINDOW_SIZE;
        int err = map_module(m, base);
        if (err != 0) {
            return err;
        }
        modules[module_count++] =
            (boot_module_t){m->name, (const uint8_t *)base, m->size, m->frames};
    }
    return 0;
}

static bool name_matches(const char *cmdline, const char *name)
{
    size_t n = strlen(name);
    return strncmp(cmdline, name, n) == 0 && (cmdline[n] == '\0' || cmdline[n] == ' ');
}

const boot_module_t *boot_module_find(const char *name)
{
    for (size_t i = 0; i < module_count; i++) {
        if (name_matches(modules[i].name, name)) {
            return &modules[i];
        }
    }
    return NULL;
}
