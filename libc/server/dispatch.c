/*
 * The Linux system calls a server makes, served inside the server: memory
 * from its own pool, output to the kernel log, the clock from the kernel
 * info page. Anything else is -ENOSYS: a server never calls another server
 * behind its own back.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>

#include "capsule/server.h"
#include "runtime.h"
#include "log.h"
#include "uapi/vm.h"

#define SERVER_TID 1 /* servers are not processes; their one thread is 1 */

RUNTIME static int64_t do_arch_prctl(uint64_t code, uint64_t addr)
{
    switch (code) {
    case ARCH_SET_FS:
        return runtime_set_fs(addr);
    case ARCH_GET_FS:
        *(uint64_t *)addr = runtime_fs_base(); /* a server trusts itself */
        return 0;
    default:
        return -EINVAL;
    }
}

RUNTIME static int64_t do_clock_gettime(uint64_t clock, uint64_t ts_addr)
{
    uint64_t ns;
    int64_t err = runtime_clock_ns(clock, &ns);
    if (err == 0) {
        struct timespec *ts = (struct timespec *)ts_addr;
        ts->tv_sec = (time_t)(ns / 1000000000u);
        ts->tv_nsec = (long)(ns % 1000000000u);
    }
    return err;
}

/* A server has no parent to wait for it: its exit is logged, with the
 * status, and its thread stops. */
RUNTIME static _Noreturn void do_exit(uint64_t status)
{
    char msg[] = "server exited with status ...\n";
    char *digits = msg + sizeof(msg) - 5;
    uint8_t code = (uint8_t)status;
    digits[0] = (char)('0' + code / 100);
    digits[1] = (char)('0' + code / 10 % 10);
    digits[2] = (char)('0' + code % 10);
    debug_write(CAP_INIT_DEBUG, msg, sizeof(msg) - 1);
    for (;;) {
        tcb_suspend(CAP_INIT_TCB);
    }
}

RUNTIME static int64_t do_ioctl(int64_t fd)
{
    return fd >= 0 && fd <= 2 ? -ENOTTY : -EBADF;
}

RUNTIME int64_t runtime_dispatch(syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_write:
        return log_write((int64_t)f->a1, f->a2, f->a3);
    case SYS_writev:
        return log_writev((int64_t)f->a1, f->a2, f->a3);
    case SYS_mmap:
        return memory_mmap(f->a1, f->a2, f->a3, f->a4, (int64_t)f->a5, f->a6);
    case SYS_munmap:
        return memory_munmap(f->a1, f->a2);
    case SYS_mremap:
        return memory_mremap(f->a1, f->a2, f->a3, f->a4, f->a5);
    case SYS_mprotect:
        return memory_mprotect(f->a1, f->a2, f->a3);
    case SYS_brk:
        return memory_brk(f->a1);
    case SYS_ioctl:
        return do_ioctl((int64_t)f->a1);
    case SYS_arch_prctl:
        return do_arch_prctl(f->a1, f->a2);
    case SYS_set_tid_address:
    case SYS_gettid:
        return SERVER_TID;
    case SYS_clock_gettime:
        return do_clock_gettime(f->a1, f->a2);
    case SYS_sched_yield:
        sys_yield();
        return 0;
    case SYS_exit:
    case SYS_exit_group:
        do_exit(f->a1);
    default:
        return -ENOSYS;
    }
}
