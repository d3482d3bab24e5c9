/* waitid's siginfo fields from a wait status word (wait_info.h). */
#include "wait_info.h"

/* From Linux's asm-generic/siginfo.h (musl's signal.h has them only under
 * _GNU_SOURCE-like feature macros, and the host test uses glibc's). */
#define WAIT_CLD_EXITED 1
#define WAIT_CLD_KILLED 2
#define WAIT_CLD_DUMPED 3
#define WAIT_CLD_STOPPED 5
#define WAIT_CLD_CONTINUED 6
#define WAIT_SIGCHLD 17
#define WAIT_SIGCONT 18

wait_info_t wait_info_from_status(int32_t pid, uint32_t wstatus)
{
    wait_info_t info = {0, 0, 0, 0, 0, 0};
    if (pid <= 0) {
        return info; /* WNOHANG and nothing to report: Linux writes zeros */
    }
    info.signo = WAIT_SIGCHLD;
    info.pid = pid;
    wstatus &= 0xffff;
    if ((wstatus & 0x7f) == 0) {
        info.code = WAIT_CLD_EXITED;
        info.status = (int32_t)(wstatus >> 8);
    } else if (wstatus == 0xffff) {
        info.code = WAIT_CLD_CONTINUED;
        info.status = WAIT_SIGCONT;
    } else if ((wstatus & 0xff) == 0x7f) {
        info.code = WAIT_CLD_STOPPED;
        info.status = (int32_t)(wstatus >> 8);
    } else {
        info.code = (wstatus & 0x80) ? WAIT_CLD_DUMPED : WAIT_CLD_KILLED;
        info.status = (int32_t)(wstatus & 0x7f);
    }
    return info;
}
