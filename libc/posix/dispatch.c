/*
 * The Linux system calls of a process. Memory, the thread pointer and the
 * clock are served here; processes and identities go to proc-server. A call
 * the personality does not support is -ENOSYS.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>

#include "brk.h"
#include "capsule/kernel.h"
#include "cpu_times.h"
#include "enosys_log.h"
#include "exec.h"
#include "file_map.h"
#include "files.h"
#include "fork.h"
#include "process.h"
#include "protocol/posix_heap.h"
#include "protocol/proc.h"
#include "random.h"
#include "rlimits.h"
#include "signals.h"
#include "runtime.h"
#include "uapi/vm.h"

static bool initialized;

RUNTIME static int64_t do_arch_prctl(uint64_t code, uint64_t addr)
{
    switch (code) {
    case ARCH_SET_FS:
        return runtime_set_fs(addr);
    case ARCH_GET_FS:
        return user_put_u64(addr, runtime_fs_base());
    default:
        return -EINVAL;
    }
}

RUNTIME static int64_t do_clock_gettime(uint64_t clock, uint64_t ts_addr)
{
    if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID) {
        return cpu_times_clock(ts_addr);
    }
    uint64_t ns;
    int64_t err = runtime_clock_ns(clock, &ns);
    if (err != 0) {
        return err;
    }
    uint64_t ts[2] = {ns / 1000000000u, ns % 1000000000u};
    return user_put(ts_addr, ts, sizeof(ts));
}

/* gettimeofday and time: the realtime clock in their units. */
RUNTIME static int64_t do_gettimeofday(uint64_t tv_addr, uint64_t tz_addr)
{
    uint64_t ns;
    int64_t err = runtime_clock_ns(CLOCK_REALTIME, &ns);
    if (err == 0 && tv_addr != 0) {
        uint64_t tv[2] = {ns / 1000000000u, ns % 1000000000u / 1000u};
        err = user_put(tv_addr, tv, sizeof(tv));
    }
    if (err == 0 && tz_addr != 0) {
        uint32_t tz[2] = {0, 0}; /* UTC, no daylight saving */
        err = user_put(tz_addr, tz, sizeof(tz));
    }
    return err;
}

RUNTIME static int64_t do_time(uint64_t t_addr)
{
    uint64_t ns;
    int64_t err = runtime_clock_ns(CLOCK_REALTIME, &ns);
    if (err == 0 && t_addr != 0) {
        err = user_put_u64(t_addr, ns / 1000000000u);
    }
    return err != 0 ? err : (int64_t)(ns / 1000000000u);
}

RUNTIME static void runtime_init(void)
{
    if (initialized) {
        return;
    }
    const bootinfo_t *bi = (const bootinfo_t *)BOOTINFO_VADDR;
    ipc_buffer = (ipc_buffer_t *)bi->ipc_buffer_vaddr;
    slots_init(bi);
    brk_init(posix_heap_start(bi));
    memory_set_image(bi);
    initialized = true;
}

RUNTIME static int64_t dispatch_memory(const syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_mmap:
        return file_map_mmap(f->a1, f->a2, f->a3, f->a4, (int64_t)(int32_t)f->a5, f->a6);
    case SYS_mremap:
        return memory_mremap(f->a1, f->a2, f->a3, f->a4, f->a5);
    case SYS_munmap:
        return memory_munmap(f->a1, f->a2);
    case SYS_mprotect:
        return memory_mprotect(f->a1, f->a2, f->a3);
    case SYS_brk:
        return brk_call(f->a1);
    default:
        return files_dispatch(f);
    }
}

RUNTIME void runtime_ensure_init(void)
{
    runtime_init();
}

RUNTIME static int64_t dispatch_call(syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_mmap:
    case SYS_mremap:
    case SYS_munmap:
    case SYS_mprotect:
    case SYS_brk:
        return dispatch_memory(f);
    case SYS_arch_prctl:
        return do_arch_prctl(f->a1, f->a2);
    case SYS_clock_gettime:
        return do_clock_gettime(f->a1, f->a2);
    case SYS_gettimeofday:
        return do_gettimeofday(f->a1, f->a2);
    case SYS_time:
        return do_time(f->a1);
    case SYS_getrusage:
        return cpu_times_getrusage((int64_t)f->a1, f->a2);
    case SYS_times:
        return cpu_times_times(f->a1);
    case SYS_getrandom:
        return random_getrandom(f->a1, f->a2, (uint32_t)f->a3);
    case SYS_getrlimit:
        return limits_prlimit(0, f->a1, 0, f->a2);
    case SYS_setrlimit:
        return limits_prlimit(0, f->a1, f->a2, 0);
    case SYS_prlimit64:
        return limits_prlimit(f->a1, f->a2, f->a3, f->a4);
    case SYS_prctl:
        return process_prctl(f->a1, f->a2);
    case SYS_sched_yield:
        sys_yield();
        return 0;
    case SYS_getpid:
    case SYS_gettid:
    case SYS_set_tid_address: /* the main thread's TID is its PID */
        return process_getpid();
    case SYS_getppid:
        return process_getppid();
    case SYS_getuid:
    case SYS_geteuid:
    case SYS_getgid:
    case SYS_getegid:
        return 0; /* one user: root (docs/runtimes.md) */
    case SYS_kill:
        return process_simple(PROC_KILL, f->a1, f->a2);
    case SYS_tkill: /* one thread per process: the TID is the PID */
        return process_simple(PROC_KILL, f->a1, f->a2);
    case SYS_tgkill:
        return (int32_t)f->a1 != (int32_t)f->a2 ? -ESRCH : process_simple(PROC_KILL, f->a2, f->a3);
    case SYS_uname:
        return process_uname(f->a1);
    case SYS_reboot:
        return process_reboot(f->a1, f->a2, f->a3);
    case SYS_sethostname:
        return process_set_name(PROC_SETHOSTNAME, f->a1, f->a2);
    case SYS_setdomainname:
        return process_set_name(PROC_SETDOMAINNAME, f->a1, f->a2);
    case SYS_setpgid:
        return process_simple(PROC_SETPGID, f->a1, f->a2);
    case SYS_getpgid:
        return process_simple(PROC_GETPGID, f->a1, 0);
    case SYS_getpgrp:
        return process_simple(PROC_GETPGID, 0, 0);
    case SYS_setsid:
        return process_simple(PROC_SETSID, 0, 0);
    case SYS_getsid:
        return process_simple(PROC_GETSID, f->a1, 0);
    case SYS_wait4:
        /* pid and options are C ints: glibc leaves the upper halves of their
         * registers undefined, and Linux ignores them */
        return process_wait4((int32_t)f->a1, f->a2, (uint32_t)f->a3, f->a4);
    case SYS_waitid:
        return process_waitid(f->a1, f->a2, f->a3, f->a4, f->a5);
    case SYS_fork:
    case SYS_vfork:
        return fork_process(f, 0, 0);
    case SYS_clone:
        return fork_clone(f);
    case SYS_execve:
        return exec_process(f->a1, f->a2, f->a3);
    case SYS_exit:
    case SYS_exit_group:
        process_exit(f->a1);
    case SYS_rt_sigaction:
    case SYS_rt_sigprocmask:
    case SYS_rt_sigpending:
    case SYS_rt_sigsuspend:
    case SYS_pause:
    case SYS_rt_sigtimedwait:
    case SYS_sigaltstack:
    case SYS_nanosleep:
    case SYS_clock_nanosleep:
        return signals_dispatch(f);
    default:
        return files_dispatch(f);
    }
}

/* Every call leaves through the signal check (signals.h): a call whose IPC
 * a signal cancelled is made again when no handler is ready to run. */
RUNTIME int64_t runtime_dispatch(syscall_frame_t *f)
{
    runtime_init();
    if (f->nr == SYS_rt_sigreturn) {
        signals_sigreturn();
    }
    int64_t result = dispatch_call(f);
    while (signals_restart_quietly(result)) {
        /* a server may ask for the restart after sending us a signal (a
         * background read's SIGTTIN): let proc-server act on it first */
        sys_yield();
        result = dispatch_call(f);
    }
    if (result == -ENOSYS) {
        enosys_log_note(f->nr);
    }
    return signals_on_return(f, result);
}
