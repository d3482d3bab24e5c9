/* The -ENOSYS report to proc-server (enosys_log.h). */
#include "enosys_log.h"

#include "capsule/kernel.h"
#include "capsule/enosys_filter.h"
#include "protocol/posix_runtime.h"
#include "protocol/proc.h"
#include "runtime.h"
#include "uapi/bootinfo.h"

static enosys_filter_t filter;
static int enabled = -1; /* unknown until the first -ENOSYS */

RUNTIME static bool log_enabled(void)
{
    if (enabled < 0) {
        /* proc-server copies the kernel command line into every process's
         * boot-info page (process_image.c) */
        const bootinfo_t *bi = (const bootinfo_t *)BOOTINFO_VADDR;
        enabled = enosys_cmdline_has_word(bi->cmdline, sizeof(bi->cmdline), ENOSYS_LOG_WORD);
    }
    return enabled > 0;
}

RUNTIME void enosys_log_note(uint64_t nr)
{
    if (log_enabled() && enosys_filter_first(&filter, nr)) {
        sys_call(CAP_PROC_SESSION, msginfo_make(PROC_LOG_ENOSYS, 1), nr, 0, 0, 0);
    }
}

RUNTIME void enosys_log_forget(void)
{
    filter = (enosys_filter_t){{0}, false};
}
