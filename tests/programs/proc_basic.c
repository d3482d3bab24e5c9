/*
 * The first process: what init sees of itself through the POSIX runtime —
 * its PID and PPID, wait4 without children, a bad pointer, no Debug
 * capability — and its exit
 * status, which proc-server reports. Prints nothing: there is no console
 * yet; the exit status says which check failed (0: none).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi/bootinfo.h"
#include "uapi/errors.h"
#include "uapi/invocations.h"
#include "uapi/message.h"
#include "uapi/syscalls.h"

/* Debug_Write through CAP_INIT_DEBUG, as a native call: the kernel's error.
 * A process holds no Debug capability (only servers do), so the slot is
 * empty. */
static long debug_write_native(void)
{
    register long r8 __asm__("r8") = 0, r9 __asm__("r9") = 0, r10 __asm__("r10") = 0;
    long rax = SYS_CALL, rdi = CAP_INIT_DEBUG, rdx = 0;
    long rsi = (long)msginfo_make(INV_DEBUG_WRITE, 1);
    __asm__ volatile("syscall"
                     : "+a"(rax), "+S"(rsi), "+d"(rdx), "+D"(rdi), "+r"(r8), "+r"(r9), "+r"(r10)
                     :
                     : "rcx", "r11", "memory");
    return rax;
}

int main(int argc, char **argv)
{
    if (argc != 1 || argv[0] == NULL || argv[1] != NULL) {
        return 10;
    }
    if (getenv("PATH") == NULL) {
        return 11;
    }
    if (getpid() != 1) {
        return 12;
    }
    if (getppid() != 0) {
        return 13;
    }
    int status;
    if (waitpid(-1, &status, 0) != -1 || errno != ECHILD) {
        return 14;
    }
    if (waitpid(-1, (int *)8, WNOHANG) != -1 || errno != ECHILD) {
        return 15;
    }
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, (struct timespec *)16) != -1 || errno != EFAULT) {
        return 16; /* a pointer below the user range */
    }
    if (clock_gettime(CLOCK_MONOTONIC, (struct timespec *)0x10000000) != -1 || errno != EFAULT) {
        return 20; /* unmapped: the runtime's copy faults and proc-server resumes it with EFAULT */
    }
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 1577836800) {
        return 17;
    }
    char *p = malloc(100000);
    if (p == NULL) {
        return 18;
    }
    p[99999] = 1;
    free(p);
    if (debug_write_native() != KERR_INVALID_CAP) {
        return 21; /* a process could write the kernel log, or power the machine off */
    }
    if (argc == 1 && argv[0][0] == '/') {
        return 42; /* every check passed */
    }
    return 19;
}
