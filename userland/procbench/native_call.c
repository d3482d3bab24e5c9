/*
 * A native call from a musl program: the kernel tells native calls from
 * Linux ones by the sign of rax (docs/syscall-abi.md), so a POSIX process
 * reaches the kernel directly, without its personality. This is what
 * kbench's null_syscall measures from a root task. Kept apart from the Linux
 * headers, whose SYS_ names are another numbering.
 */
#include "native_call.h"

#include "uapi/bootinfo.h"
#include "uapi/syscalls.h"

int64_t native_null_call(void)
{
    int64_t rax = SYS_CALL;
    uint64_t rdi = CAP_NULL, rsi = 0; /* no label, no message registers */
    /* the reply comes back in rdi, rsi, rdx and r8-r10 */
    __asm__ volatile("syscall"
                     : "+a"(rax), "+D"(rdi), "+S"(rsi)
                     :
                     : "rcx", "r11", "rdx", "r8", "r9", "r10", "memory");
    return rax;
}
