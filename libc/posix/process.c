#include "process.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "capsule/kernel.h"
#include "cpu_times.h"
#include "files.h"
#include "signals.h"
#include "protocol/posix_runtime.h"
#include "protocol/proc.h"
#include "runtime.h"
#include "uapi/vm.h"
#include "wait_info.h"

int64_t user_copy(void *dst, const void *src, size_t len);

RUNTIME static bool user_range_ok(uint64_t addr, size_t len)
{
    return addr >= USER_MAP_MIN && len <= USER_LIMIT && addr <= USER_LIMIT - len;
}

RUNTIME int64_t user_put(uint64_t addr, const void *src, size_t len)
{
    if (!user_range_ok(addr, len)) {
        return -EFAULT;
    }
    return user_copy((void *)addr, src, len);
}

RUNTIME int64_t user_copy_in(void *dst, uint64_t addr, size_t len)
{
    if (!user_range_ok(addr, len)) {
        return -EFAULT;
    }
    return user_copy(dst, (const void *)addr, len);
}

RUNTIME void user_touch(uint64_t addr, uint64_t len)
{
    uint64_t end = addr + len;
    if (len == 0 || end < addr) {
        return;
    }
    for (uint64_t page = addr & ~(PAGE_SIZE - 1); page < end; page += PAGE_SIZE) {
        uint8_t byte;
        if (user_copy_in(&byte, page < addr ? addr : page, 1) != 0) {
            return; /* not there: the server's copy reports EFAULT */
        }
    }
}

RUNTIME int64_t user_put_u64(uint64_t addr, uint64_t value)
{
    return user_put(addr, &value, sizeof(value));
}

/* One request to proc-server; the reply's MR0 is the result. */
RUNTIME static sys_result_t proc_call(uint64_t label, uint64_t length, uint64_t mr0, uint64_t mr1)
{
    return sys_call(CAP_PROC_SESSION, msginfo_make(label, length), mr0, mr1, 0, 0);
}

RUNTIME static int64_t result_of(const sys_result_t *r)
{
    return r->err == KERR_OK ? (int64_t)r->mr[0] : runtime_ipc_error(r->err);
}

/* A process's PID, in its own scope's numbering, never changes; only a
 * fork child, which starts with a copy of this memory, must ask again. */
static int64_t known_pid;

RUNTIME int64_t process_getpid(void)
{
    if (known_pid > 0) {
        return known_pid;
    }
    sys_result_t r = proc_call(PROC_GETPID, 0, 0, 0);
    int64_t pid = result_of(&r);
    if (pid > 0) {
        known_pid = pid;
    }
    return pid;
}

RUNTIME void process_forget_pid(void)
{
    known_pid = 0;
}

RUNTIME int64_t process_getppid(void)
{
    sys_result_t r = proc_call(PROC_GETPPID, 0, 0, 0);
    return result_of(&r);
}

RUNTIME int64_t process_wait4(int64_t pid, uint64_t status_addr, uint64_t options,
                              uint64_t rusage_addr)
{
    sys_result_t r = proc_call(PROC_WAIT4, 2, (uint64_t)pid, options);
    int64_t result = result_of(&r);
    if (result == -RUNTIME_ERESTART && !(options & WNOHANG)) {
        /* Interrupted, perhaps before proc-server took the request: as
         * Linux, a child ready now is reported rather than EINTR. */
        sys_result_t again = proc_call(PROC_WAIT4, 2, (uint64_t)pid, options | WNOHANG);
        if (result_of(&again) != 0) {
            r = again;
            result = result_of(&again);
        }
    }
    if (result > 0 && status_addr != 0) {
        uint32_t status = (uint32_t)r.mr[1];
        if (user_put(status_addr, &status, sizeof(status)) != 0) {
            return -EFAULT;
        }
    }
    if (result > 0 && rusage_addr != 0 &&
        cpu_times_put_rusage(rusage_addr, r.mr[2], r.mr[3]) != 0) {
        return -EFAULT;
    }
    return result;
}

/* waitid(2): the same wait as wait4's in proc-server; the status word it
 * answers becomes the siginfo Linux writes, zeros when WNOHANG found nothing. */
RUNTIME int64_t process_waitid(uint64_t idtype, uint64_t id, uint64_t info_addr, uint64_t options,
                               uint64_t rusage_addr)
{
    /* idtype, id and options are C ints: the upper register halves are noise */
    uint64_t fields[3] = {(uint32_t)idtype, (uint32_t)id, (uint32_t)options};
    sys_result_t r = sys_call(CAP_PROC_SESSION, msginfo_make(PROC_WAITID, 3), fields[0], fields[1],
                              fields[2], 0);
    int64_t result = result_of(&r);
    if (result == -RUNTIME_ERESTART && !(options & WNOHANG)) {
        /* as wait4: a child ready now is reported rather than EINTR */
        sys_result_t again = sys_call(CAP_PROC_SESSION, msginfo_make(PROC_WAITID, 3), fields[0],
                                      fields[1], fields[2] | WNOHANG, 0);
        if (result_of(&again) != 0) {
            r = again;
            result = result_of(&again);
        }
    }
    if (result < 0) {
        return result;
    }
    if (result > 0 && rusage_addr != 0 &&
        cpu_times_put_rusage(rusage_addr, r.mr[2], r.mr[3]) != 0) {
        return -EFAULT;
    }
    if (info_addr == 0) {
        return 0;
    }
    wait_info_t info = wait_info_from_status((int32_t)result, (uint32_t)r.mr[1]);
    /* the fields before and after the padding at offset 12, as Linux writes them */
    if (user_put(info_addr, &info.signo, 3 * sizeof(int32_t)) != 0 ||
        user_put(info_addr + 16, &info.pid, 3 * sizeof(int32_t)) != 0) {
        return -EFAULT;
    }
    return 0;
}

/* Requests whose fields are all in registers and whose reply is MR0. */
RUNTIME int64_t process_simple(uint64_t label, uint64_t mr0, uint64_t mr1)
{
    sys_result_t r = proc_call(label, 2, mr0, mr1);
    return result_of(&r);
}

RUNTIME int64_t process_reboot(uint64_t magic, uint64_t magic2, uint64_t cmd)
{
    sys_result_t r =
        sys_call(CAP_PROC_SESSION, msginfo_make(PROC_REBOOT, 3), magic, magic2, cmd, 0);
    return result_of(&r);
}

RUNTIME int64_t process_uname(uint64_t buf)
{
    lend(0, buf, sizeof(struct utsname), DESC_WRITE);
    sys_result_t r =
        sys_call(CAP_PROC_SESSION, msginfo_with(msginfo_make(PROC_UNAME, 0), 0, 1), 0, 0, 0, 0);
    return result_of(&r);
}

RUNTIME int64_t process_set_name(uint64_t label, uint64_t name, uint64_t len)
{
    if (len > 64) {
        return -EINVAL;
    }
    lend(0, name, len > 0 ? len : 1, DESC_READ);
    sys_result_t r =
        sys_call(CAP_PROC_SESSION, msginfo_with(msginfo_make(label, 1), 0, 1), len, 0, 0, 0);
    return result_of(&r);
}

#define COMM_LEN 16 /* comm with its NUL, as Linux's TASK_COMM_LEN */

int64_t user_strnlen(const char *s, size_t max);

RUNTIME int64_t process_prctl(uint64_t option, uint64_t arg)
{
    uint64_t label, len = COMM_LEN, flags = DESC_WRITE;
    switch (option) {
    case PR_SET_NAME: {
        /* Linux takes at most 15 bytes, the string ending there or before */
        int64_t n = user_strnlen((const char *)arg, COMM_LEN - 1);
        if (n < 0) {
            return n;
        }
        label = PROC_SET_COMM, len = (uint64_t)n, flags = DESC_READ;
        break;
    }
    case PR_GET_NAME:
        label = PROC_GET_COMM;
        break;
    default:
        return -EINVAL;
    }
    lend(0, arg, len > 0 ? len : 1, flags);
    sys_result_t r =
        sys_call(CAP_PROC_SESSION, msginfo_with(msginfo_make(label, 1), 0, 1), len, 0, 0, 0);
    return result_of(&r);
}

/* Linux's exit status: the low byte of the code, shifted as wait(2) reads it. */
RUNTIME _Noreturn void process_exit(uint64_t code)
{
    for (;;) {
        proc_call(PROC_EXIT, 1, (code & 0xff) << 8, 0);
        tcb_suspend(CAP_INIT_TCB);
    }
}
