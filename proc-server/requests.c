#include "requests.h"

#include <errno.h>
#include <string.h>
#include <stdlib.h>

#include "boot_modules.h"
#include "comm.h"
#include "cpu_time.h"
#include "exec.h"
#include "enosys_log.h"
#include "exit.h"
#include "fork.h"
#include "heap.h"
#include "identity.h"
#include "objects.h"
#include "signals.h"
#include "lifecycle.h"
#include "power.h"
#include "scope_memory.h"
#include "protocol/debug.h"
#include "protocol/proc.h"
#include "wait4.h"

static int64_t do_exit(process_t *caller, const request_t *req)
{
    int code;
    int err = proc_exit_args(req, &code);
    if (err != 0) {
        return err;
    }
    lifecycle_terminate(caller, proc_wstatus_exited(code));
    return REQUEST_DEFERRED; /* the caller is gone */
}

/* Answers a wait at once, or keeps the caller's reply capability until
 * lifecycle_retry_wait finds something to report. */
static int64_t wait_or_defer(process_t *caller, request_t *req, int pid, int options)
{
    proc_wait_ret_t ret;
    int result = proc_wait(lifecycle_table(), caller, pid, options, &ret);
    if (result > 0) {
        req->reply_mr1 = (uint32_t)ret.wstatus;
        req->reply_mr2 = ret.user_ns;
        req->reply_mr3 = ret.sys_ns;
        req->reply_length = 4;
        return result;
    }
    if (result < 0 || (options & 1 /* WNOHANG */)) {
        return result;
    }
    process_os_t *os = caller->server_data;
    cptr_t slot = slot_alloc();
    if (slot == CAP_NULL || cnode_save_caller(CAP_INIT_CNODE, slot) != KERR_OK) {
        slot_free(slot);
        return -ENOMEM;
    }
    os->wait_reply = slot;
    os->wait_pid = pid;
    os->wait_options = options;
    return REQUEST_DEFERRED;
}

static int64_t do_wait4(process_t *caller, request_t *req)
{
    int pid, options;
    int err = proc_wait4_args(req, &pid, &options);
    return err != 0 ? err : wait_or_defer(caller, req, pid, options);
}

/* waitid: idtype, id and options checked as Linux does (wait4.h), then the
 * same wait as wait4's. */
static int64_t do_waitid(process_t *caller, request_t *req)
{
    int pid, options;
    int err = proc_waitid_args(req, &pid, &options);
    return err != 0 ? err : wait_or_defer(caller, req, pid, options);
}

/* The caller stopped itself: it gets its answer, then its thread stops. */
static int64_t answer_then_suspend(int pid, int64_t result, uint64_t mr1)
{
    process_t *caller = proc_find_global(lifecycle_table(), pid);
    if (caller == NULL || caller->state != PROC_STOPPED) {
        return result;
    }
    process_os_t *os = caller->server_data;
    cptr_t slot = result != REQUEST_DEFERRED ? slot_alloc() : CAP_NULL;
    if (slot != CAP_NULL && cnode_save_caller(CAP_INIT_CNODE, slot) == KERR_OK) {
        sys_send(slot, msginfo_make(0, 2), (uint64_t)result, mr1);
    }
    if (slot != CAP_NULL) {
        cnode_delete(CAP_INIT_CNODE, slot); /* gone already if the send used it */
        slot_free(slot);
    }
    tcb_suspend(os->task.tcb);
    return REQUEST_DEFERRED;
}

/* brk(2): the break the process has after it (heap.h). */
static int64_t do_brk(process_t *caller, const request_t *req)
{
    if (req->length < 1) {
        return -EINVAL;
    }
    process_os_t *os = caller->server_data;
    uint64_t room = scope_memory_room(caller->scope, os->task.pool);
    return (int64_t)heap_brk(&os->task, req->mr[0], room);
}

static int64_t dispatch(process_t *caller, request_t *req)
{
    switch (req->label) {
    case PROC_EXIT:
        return do_exit(caller, req);
    case PROC_GETPID:
        return proc_getpid(caller);
    case PROC_GETPPID:
        return proc_getppid(caller);
    case PROC_WAIT4:
        return do_wait4(caller, req);
    case PROC_WAITID:
        return do_waitid(caller, req);
    case PROC_FORK:
        return fork_process(caller);
    case PROC_EXEC:
        return exec_request(caller, req);
    case PROC_KILL: {
        int caller_pid = proc_global_pid(caller);
        int64_t result = signals_kill(caller, (int)(int32_t)req->mr[0], (int)req->mr[1]);
        /* a process that killed itself gets no answer (it may be reaped already) */
        process_t *still = proc_find_global(lifecycle_table(), caller_pid);
        return still == NULL || still->state == PROC_ZOMBIE ? REQUEST_DEFERRED : result;
    }
    case PROC_REBOOT:
        return req->length < 3 ? -EINVAL : power_reboot(caller, req->mr[0], req->mr[1], req->mr[2]);
    case PROC_SCOPE_CREATE:
    case PROC_HOSTNAME_CREATE:
    case PROC_JAIL:
    case PROC_SPAWN:
    case PROC_SCOPE_JOIN:
    case PROC_HOSTNAME_JOIN:
    case PROC_CONTAINER_OPEN:
    case PROC_CONTAINER_LIST:
        return objects_session_request(caller, req);
    case PROC_UNAME:
    case PROC_SETHOSTNAME:
    case PROC_SETDOMAINNAME:
    case PROC_SETPGID:
    case PROC_GETPGID:
    case PROC_SETSID:
    case PROC_GETSID:
        return identity_dispatch(caller, req);
    case PROC_SET_COMM:
    case PROC_GET_COMM:
        return comm_dispatch(caller, req);
    case PROC_LOG_ENOSYS:
        return req->length < 1 ? -EINVAL : enosys_log_request(caller, req->mr[0]);
    case PROC_CPU_TIMES:
        return cpu_time_request(caller, req);
    case PROC_BRK:
        return do_brk(caller, req);
    default:
        /* the debug protocol answers only on the debug capability */
        return debug_label(req->label) ? -EPERM : -ENOSYS;
    }
}

int request_receive_string(unsigned desc, uint64_t len, size_t max, char **out)
{
    if (len > max) {
        return -EINVAL;
    }
    char *s = malloc(len + 1);
    if (s == NULL) {
        return -ENOMEM;
    }
    uint64_t done = 0;
    if (len > 0 &&
        (reply_copy_from(CAP_REPLY_CURRENT, desc, 0, s, len, &done) != KERR_OK || done != len)) {
        free(s);
        return -EFAULT;
    }
    s[len] = '\0';
    if (strlen(s) != len) {
        free(s);
        return -EINVAL;
    }
    *out = s;
    return 0;
}

int64_t requests_dispatch(process_t *caller, request_t *req)
{
    /* the caller waits inside the runtime for this answer: signals sent to
     * it meanwhile are only marked pending (see signals.h) */
    int pid = proc_global_pid(caller);
    signals_set_requester(pid);
    int64_t result = dispatch(caller, req);
    signals_set_requester(0);
    if (signals_requester_stops()) {
        return answer_then_suspend(pid, result, req->reply_mr1);
    }
    return result;
}
