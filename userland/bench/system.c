/* The system under the benchmark (system.h). */
#include "system.h"

#include <errno.h>

#include "native_call.h"
#include "uapi/errors.h"

bench_system_t bench_system_from_answer(int64_t rax)
{
    if (rax == -ENOSYS) {
        return SYSTEM_LINUX; /* no system call -1 */
    }
    /* a kerr_t: small and positive (0 would mean the null capability
     * answered a Call, which it never does) */
    return rax > 0 && rax < KERR_COUNT ? SYSTEM_CAPSULE : SYSTEM_UNKNOWN;
}

bench_system_t bench_detect_system(int64_t *answer)
{
    *answer = native_null_call();
    return bench_system_from_answer(*answer);
}

const char *bench_system_name(bench_system_t system)
{
    return system == SYSTEM_CAPSULE ? "capsule" : system == SYSTEM_LINUX ? "linux" : "unknown";
}
