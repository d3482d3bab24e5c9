/* arch_prctl's thread pointer (FS base), set on the thread's own TCB. */
#include <errno.h>

#include "capsule/kernel.h"
#include "runtime.h"
#include "uapi/bootinfo.h"
#include "uapi/vm.h"

static uint64_t fs_base;

RUNTIME int64_t runtime_set_fs(uint64_t addr)
{
    if (addr >= USER_LIMIT) {
        return -EPERM;
    }
    if (tcb_set_tls(CAP_INIT_TCB, addr) != KERR_OK) {
        return -EINVAL;
    }
    fs_base = addr;
    return 0;
}

RUNTIME uint64_t runtime_fs_base(void)
{
    return fs_base;
}
