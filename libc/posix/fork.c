/*
 * fork: proc-server copies the address space while the parent waits in the
 * request, and starts the child at runtime_fork_child.
 *
 * vfork and clone(CLONE_VM | CLONE_VFORK) (musl's posix_spawn, system,
 * popen) are served as a fork onto the given stack: the child's memory is a
 * copy rather than shared, which those callers cannot tell apart, since the
 * child only execs or exits. Threads (CLONE_THREAD) do not exist yet.
 */
#define _GNU_SOURCE /* the CLONE_* flags */
#include "fork.h"

#include "arg_decode.h"

#include "enosys_log.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>

#include "capsule/kernel.h"
#include "signals.h"
#include "process.h"
#include "protocol/posix_runtime.h"
#include "protocol/proc.h"

/* Read by the child, in its copy of this memory. */
syscall_frame_t *fork_frame;
static uint64_t fork_child_rsp, fork_child_tid_addr;

extern runtime_thread_t main_thread;

RUNTIME void fork_child_setup(void)
{
    process_forget_pid();
    enosys_log_forget();
    if (fork_child_rsp != 0) {
        main_thread.program_rsp = fork_child_rsp;
    }
    if (fork_child_tid_addr != 0) {
        int32_t tid = (int32_t)process_getpid();
        user_put(fork_child_tid_addr, &tid, sizeof(tid));
    }
}

RUNTIME int64_t fork_process(syscall_frame_t *f, uint64_t child_rsp, uint64_t child_tid_addr)
{
    fork_frame = f;
    fork_child_rsp = child_rsp;
    fork_child_tid_addr = child_tid_addr;
    sys_result_t r = sys_call(CAP_PROC_SESSION, msginfo_make(PROC_FORK, 0), 0, 0, 0, 0);
    return r.err == KERR_OK ? (int64_t)r.mr[0] : runtime_ipc_error(r.err);
}

RUNTIME int64_t fork_clone(syscall_frame_t *f)
{
    uint64_t flags = f->a1;
    int err = arg_clone_flags(flags, f->a2);
    if (err != 0) {
        return err;
    }
    uint64_t tid_addr = (flags & CLONE_CHILD_SETTID) ? f->a4 : 0;
    return fork_process(f, f->a2, tid_addr);
}
