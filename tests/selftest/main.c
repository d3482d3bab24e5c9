#include "capsule/kernel.h"
#include "capsule/print.h"
#include "uapi/bootinfo.h"

int main(const bootinfo_t *bi)
{
    (void)bi;
    print("selftest: 0 passed, 0 failed\n");
    debug_shutdown(CAP_INIT_DEBUG, 0);
    return 0;
}
