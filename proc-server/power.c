#include "power.h"

#include <errno.h>
#include <stdio.h>
#include <sys/reboot.h>

#include "capsule/server.h"
#include "lifecycle.h"

/* reboot(2)'s magic numbers (musl's headers carry only the commands) */
#define REBOOT_MAGIC1 0xfee1deadu
static const uint32_t reboot_magic2[] = {672274793, 85072278, 369367448, 537993216};

static int check_magic(uint32_t magic, uint32_t magic2)
{
    if (magic != REBOOT_MAGIC1) {
        return -EINVAL;
    }
    for (size_t i = 0; i < sizeof(reboot_magic2) / sizeof(reboot_magic2[0]); i++) {
        if (magic2 == reboot_magic2[i]) {
            return 0;
        }
    }
    return -EINVAL;
}

int64_t power_reboot(process_t *caller, uint64_t magic, uint64_t magic2, uint64_t cmd)
{
    /* reboot(2) takes ints: only the low 32 bits of each register count */
    int err = check_magic((uint32_t)magic, (uint32_t)magic2);
    if (err != 0) {
        return err;
    }
    if (caller->jailed || caller->scope != lifecycle_table()->root_scope) {
        return -EPERM;
    }
    switch ((uint32_t)cmd) {
    case (uint32_t)RB_POWER_OFF:
    case (uint32_t)RB_HALT_SYSTEM:
        fprintf(stderr, "proc-server: power off (asked by pid %d)\n", proc_global_pid(caller));
        debug_shutdown(CAP_INIT_DEBUG, 0);
        return -EIO; /* the kernel refused: the machine runs on */
    case (uint32_t)RB_AUTOBOOT:
        fprintf(stderr, "proc-server: restart (asked by pid %d)\n", proc_global_pid(caller));
        debug_reset(CAP_INIT_DEBUG);
        return -EIO;
    default:
        return -EINVAL; /* kexec, software suspend, Ctrl-Alt-Del settings: none here */
    }
}
