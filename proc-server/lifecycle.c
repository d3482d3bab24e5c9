#include "lifecycle.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>
#include <time.h>

#include "cpu_time.h"
#include "debug_ops.h"
#include "exit.h"
#include "objects.h"
#include "path_search.h"
#include "scope.h"
#include "protocol/posix_runtime.h"
#include "scope_memory.h"
#include "signal_rules.h"
#include "signals.h"
#include "vfs_client.h"
#include "uapi/objects.h"
#include "wait4.h"

static proc_table_t *table;
static cptr_t proc_endpoint, vfs_endpoint;

static void release_os(process_t *proc, void *arg)
{
    (void)arg;
    process_os_t *os = proc->server_data;
    if (os != NULL) {
        signal_map_release(&os->signals);
        if (os->task.pool != CAP_NULL) {
            task_destroy(&os->task);
        }
        handle_drop_all(&os->handles);
        free(os);
        proc->server_data = NULL;
    }
}

void lifecycle_init(proc_table_t *t, cptr_t endpoint, cptr_t vfs)
{
    table = t;
    proc_endpoint = endpoint;
    vfs_endpoint = vfs;
    proc_table_set_release(table, release_os, NULL);
}

proc_table_t *lifecycle_table(void)
{
    return table;
}

cptr_t lifecycle_endpoint(void)
{
    return proc_endpoint;
}

process_t *lifecycle_find(uint64_t badge)
{
    if (obj_badge_is_object(badge)) {
        return NULL; /* not a session */
    }
    int global_pid = (int)(badge >> 1);
    return global_pid > 0 ? proc_find_global(table, global_pid) : NULL;
}

int lifecycle_create_task(process_t *proc, unsigned cnode_bits, const signal_page_t *signals)
{
    process_os_t *os = proc->server_data;
    int err = scope_memory_task_create(proc->scope, &os->task, PROCESS_BUDGET, cnode_bits);
    if (err != 0) {
        return err;
    }
    os->task.next_slot = CAP_PROCESS_FIRST_FREE;
    os->task.reserved_top = CAP_PROGRAM_SLOTS; /* the program's own (posix_runtime.h) */
    uint64_t badge = session_badge(proc_global_pid(proc), false);
    /* GrantReply: replies may carry capabilities (scope, hostname handles) */
    err = task_give(&os->task, CAP_PROC_SESSION, proc_endpoint, RIGHT_WRITE | RIGHT_GRANT_REPLY,
                    badge);
    if (err == 0) {
        /* GrantReply here too: vfs-server answers with context capabilities */
        err = task_give(&os->task, CAP_VFS_SESSION, vfs_endpoint, RIGHT_WRITE | RIGHT_GRANT_REPLY,
                        badge);
    }
    if (err == 0) {
        err = debug_ops_give(proc); /* only for those who may debug */
    }
    if (err == 0) {
        err = signal_map_create(&os->task, signals, &os->signals);
    }
    if (err != 0) {
        task_destroy(&os->task);
    }
    return err;
}

int lifecycle_start(process_t *proc, const user_regs_t *regs, const uint8_t *fpu)
{
    process_os_t *os = proc->server_data;
    if (os->signals.view == NULL) {
        int err = signal_map_attach(&os->signals, proc_global_pid(proc));
        if (err != 0) {
            return err;
        }
    }
    cptr_t fault_ep = slot_alloc();
    if (fault_ep == CAP_NULL) {
        return -ENOMEM;
    }
    int err = errno_from_kerr(cnode_mint(CAP_INIT_CNODE, fault_ep, CAP_INIT_CNODE, proc_endpoint,
                                         RIGHT_WRITE, session_badge(proc_global_pid(proc), true)));
    if (err == 0) {
        err = task_start(&os->task, regs, fpu, PROCESS_PRIORITY, fault_ep);
    }
    cnode_delete(CAP_INIT_CNODE, fault_ep); /* the TCB keeps its own copy */
    slot_free(fault_ep);
    return err;
}

void lifecycle_discard(process_t *proc)
{
    process_os_t *os = proc->server_data;
    signal_map_release(&os->signals);
    if (os->task.pool != CAP_NULL) {
        task_destroy(&os->task);
    }
    /* it never ran: reaped at once, as if it had never been */
    proc_discard(table, proc);
}

/* The kernel objects of a new process, once the model has given it a PID. */
static int build_task(process_t *proc, const program_file_t *file, const exec_args_t *args,
                      bool held, const char **why)
{
    signal_page_t fresh;
    signal_page_init(&fresh);
    int err = lifecycle_create_task(proc, PROCESS_CNODE_BITS, &fresh);
    if (err != 0) {
        return err;
    }
    process_os_t *os = proc->server_data;
    user_regs_t regs;
    err = process_image_build(&os->task, file, args, &regs, why);
    if (err == 0 && held) {
        os->held = true;
        os->held_regs = regs;
        err = task_seal(&os->task);
    } else if (err == 0) {
        err = lifecycle_start(proc, &regs, NULL);
    }
    return err;
}

int lifecycle_release(process_t *proc)
{
    process_os_t *os = proc->server_data;
    if (os == NULL || !os->held || proc->state == PROC_ZOMBIE) {
        return -EINVAL;
    }
    os->held = false;
    return lifecycle_start(proc, &os->held_regs, NULL);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int lifecycle_exec(process_t *proc, const program_file_t *file, const exec_args_t *args,
                   const char **why)
{
    process_os_t *os = proc->server_data;
    task_t old = os->task;
    signal_map_t old_signals = os->signals;
    signal_page_t next;
    signal_page_for_exec(&next, old_signals.view);
    user_regs_t regs;
    int err = lifecycle_create_task(proc, PROCESS_CNODE_BITS, &next);
    if (err == 0 && (err = process_image_build(&os->task, file, args, &regs, why)) != 0) {
        signal_map_release(&os->signals);
        task_destroy(&os->task);
    }
    if (err != 0) {
        os->task = old; /* the old image carries on */
        os->signals = old_signals;
        return err;
    }
    /* committed: the old image goes, then the new one runs; the handles
     * went with the old CSpace's capabilities */
    handle_drop_all(&os->handles);
    tcb_suspend(old.tcb);
    cpu_time_collect(proc, old.tcb); /* times go on across exec */
    signal_map_release(&old_signals);
    task_destroy(&old);
    return lifecycle_start(proc, &regs, NULL);
}

/* The executable, read through vfs-server as the new process would open
 * it (its client must exist), then loaded. */
static int load_and_start(process_t *proc, const exec_args_t *args, bool held, const char **why)
{
    uint8_t *data = NULL;
    vfs_exec_identity_t id;
    int64_t size = vfs_client_read_executable(proc_global_pid(proc), args->path, &data, &id);
    if (size < 0) {
        return (int)size;
    }
    program_file_t file = {data, (size_t)size, NULL, &id};
    int err = build_task(proc, &file, args, held, why);
    free(data);
    return err;
}

/* load_and_start of the first file PATH's directories hold for a name
 * without '/', each read as the new process would open it: the search
 * happens inside its own context (path_search.h). */
static int search_and_start(process_t *proc, const exec_args_t *args, bool held, const char **why)
{
    if (strchr(args->path, '/') != NULL) {
        return load_and_start(proc, args, held, why);
    }
    const char *dirs = path_search_dirs(args);
    char candidate[EXEC_PATH_MAX];
    int err = -ENOENT;
    while ((err == -ENOENT || err == -EACCES || err == -ENOTDIR) &&
           path_search_next(&dirs, args->path, candidate, sizeof(candidate))) {
        exec_args_t found = *args;
        found.path = candidate;
        err = load_and_start(proc, &found, held, why);
        if (err == 0) {
            (void)proc_set_exe(proc, candidate); /* out of memory: the name stays, harmless */
        }
    }
    return err;
}

/* vfs-server's client for a new process: the console, or the chosen
 * descriptors of its parent. */
static int create_files(int pid, const spawn_opts_t *opts)
{
    if (opts == NULL || opts->parent == NULL) {
        return vfs_client_create(pid, 0);
    }
    if (opts->like != NULL) { /* joining a container: its PID 1's place */
        return vfs_client_spawn_from(pid, proc_global_pid(opts->parent),
                                     proc_global_pid(opts->like), opts->cwd, opts->fds);
    }
    if (opts->mounts_of != NULL) { /* a joined mount namespace: only its place */
        return vfs_client_spawn_foreign(pid, proc_global_pid(opts->parent),
                                        proc_global_pid(opts->mounts_of), opts->cwd, opts->fds);
    }
    return vfs_client_spawn(pid, proc_global_pid(opts->parent), opts->fds);
}

/* runc exec -t: vfs-server opens the pair inside the child's (the
 * container's) place, the slave its 0-2, the master the parent's; then the
 * child starts. One that cannot start (out of slots) dies at once, killed,
 * as it would a moment later: its parent has the master, and sees the
 * death as any other. */
static int open_pty(process_t *proc, const spawn_opts_t *opts)
{
    int fd = vfs_client_pty(proc_global_pid(proc), proc_global_pid(opts->parent));
    if (fd < 0) {
        return fd;
    }
    *opts->pty_master = fd;
    if (lifecycle_release(proc) != 0) {
        lifecycle_terminate(proc, proc_wstatus_signaled(SIGKILL, false));
    }
    return 0;
}

int lifecycle_spawn(const spawn_opts_t *opts, const exec_args_t *args, const char **why)
{
    *why = NULL;
    process_os_t *os = calloc(1, sizeof(*os));
    const char **argv = calloc(args->argc + 1, sizeof(char *));
    if (os == NULL || argv == NULL) {
        free(os);
        free(argv);
        return -ENOMEM;
    }
    for (size_t i = 0; i < args->argc; i++) {
        argv[i] = exec_args_arg(args, i);
    }
    proc_spawn_args_t spawn = {.parent = opts != NULL ? opts->parent : NULL,
                               .scope = opts != NULL ? opts->scope : NULL,
                               .hostname = opts != NULL ? opts->hostname : NULL,
                               .exe = args->path,
                               .argv = (const char *const *)argv,
                               .start_time = now_ns(),
                               .server_data = os};
    process_t *proc;
    int err = proc_spawn(table, &spawn, &proc);
    free(argv);
    if (err != 0) {
        free(os);
        return err;
    }
    if (opts != NULL && (opts->jail || (opts->like != NULL && opts->like->jailed))) {
        proc_jail(proc);
    }
    if (opts != NULL) { /* a joining process lacks what the container's PID 1 lacks */
        proc_drop_rights(proc, opts->dropped | (opts->like != NULL ? opts->like->dropped : 0));
    }
    int pid = proc_global_pid(proc);
    if ((err = create_files(pid, opts)) != 0) {
        lifecycle_discard(proc);
        return err;
    }
    /* a pty is opened once the image is built and before it runs: its
     * master, the parent's, must not outlive a spawn that failed */
    bool pty = opts != NULL && opts->pty_master != NULL;
    bool held = opts != NULL && (opts->held || pty);
    err = opts != NULL && opts->search ? search_and_start(proc, args, held, why)
                                       : load_and_start(proc, args, held, why);
    if (err == 0 && pty) {
        err = open_pty(proc, opts);
    }
    if (err != 0) {
        vfs_client_exit(pid, false);
        lifecycle_discard(proc);
        return err;
    }
    return pid;
}

void lifecycle_kill_doomed(void)
{
    proc_pid_list_t doomed = {0};
    if (proc_collect_doomed(table, &doomed) != 0) {
        return;
    }
    for (size_t i = 0; i < doomed.count; i++) {
        process_t *p = proc_find_global(table, doomed.pids[i]);
        if (p != NULL && p->state != PROC_ZOMBIE) {
            lifecycle_terminate(p, proc_wstatus_signaled(SIGKILL, false));
        }
    }
    proc_pid_list_free(&doomed);
}

/* Nobody waits for proc-server's own children (init): their end is logged. */
static void log_orphan_exit(const process_t *proc, int wstatus)
{
    if (WIFEXITED(wstatus)) {
        fprintf(stderr, "proc-server: pid %d (%s) exited with status %d\n", proc_global_pid(proc),
                proc->comm, WEXITSTATUS(wstatus));
    } else if (WIFSIGNALED(wstatus)) {
        fprintf(stderr, "proc-server: pid %d (%s) killed by signal %d\n", proc_global_pid(proc),
                proc->comm, WTERMSIG(wstatus));
    }
}

void lifecycle_terminate(process_t *proc, int wstatus)
{
    process_os_t *os = proc->server_data;
    if (proc->state == PROC_ZOMBIE) {
        return;
    }
    /* the orphans of a stopped container end with it, unlogged */
    if (proc->parent == NULL && proc->scope->parent == NULL) {
        log_orphan_exit(proc, wstatus);
    }
    /* stop its threads, close its files (peers see EOF) and free its memory
     * before anyone can see it dead */
    if (os->task.pool != CAP_NULL) {
        tcb_suspend(os->task.tcb);
        cpu_time_collect(proc, os->task.tcb);
        vfs_client_exit(proc_global_pid(proc), proc->session == proc->pid);
        signal_map_release(&os->signals);
        task_destroy(&os->task);
    }
    if (os->wait_reply != CAP_NULL) {
        cnode_delete(CAP_INIT_CNODE, os->wait_reply);
        slot_free(os->wait_reply);
        os->wait_reply = CAP_NULL;
    }
    /* what it held goes with it; a scope it made and never handed on is
     * stopped by proc_exit (scope.h, owner) */
    handle_drop_all(&os->handles);
    /* the child's record may be reaped by proc_exit: SIGCHLD's info first */
    signal_info_t chld;
    signals_chld_info(proc, wstatus, &chld);
    proc_exit_ret_t ret;
    proc_exit(table, proc, wstatus, signals_parent_autoreaps(proc->parent), &ret);
    if (ret.notify_parent != NULL) {
        /* wait4 first: a parent blocked in it gets the child, then SIGCHLD */
        lifecycle_retry_wait(ret.notify_parent);
        signals_child_exited(ret.notify_parent, &chld);
    }
    if (ret.notify_reaper != NULL) {
        lifecycle_retry_wait(ret.notify_reaper);
    }
    if (ret.kill_needed) {
        lifecycle_kill_doomed();
    }
}

void lifecycle_retry_wait(process_t *proc)
{
    process_os_t *os = proc->server_data;
    if (os == NULL || os->wait_reply == CAP_NULL) {
        return;
    }
    proc_wait_ret_t ret;
    int result = proc_wait(table, proc, os->wait_pid, os->wait_options, &ret);
    if (result == 0) {
        return; /* still nothing to report: keep waiting */
    }
    bool found = result > 0;
    sys_ipc(SYS_SEND, os->wait_reply, msginfo_make(0, 4), (uint64_t)(int64_t)result,
            found ? (uint64_t)(uint32_t)ret.wstatus : 0, found ? ret.user_ns : 0,
            found ? ret.sys_ns : 0);
    cnode_delete(CAP_INIT_CNODE, os->wait_reply); /* gone already if the send used it */
    slot_free(os->wait_reply);
    os->wait_reply = CAP_NULL;
}
