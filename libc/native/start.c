/* C start of native root tasks: runtime set-up around main(). */
#include "capsule/kernel.h"
#include "capsule/print.h"
#include "uapi/bootinfo.h"

int main(const bootinfo_t *bi);

__attribute__((noreturn)) void native_start(const bootinfo_t *bi)
{
    ipc_buffer = (ipc_buffer_t *)bi->ipc_buffer_vaddr;
    print_set_debug(CAP_INIT_DEBUG);
    main(bi);
    for (;;) {
        tcb_suspend(CAP_INIT_TCB);
    }
}
