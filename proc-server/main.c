/*
 * proc-server, the root task: it maps the boot modules, starts the servers
 * from them, starts init, and then serves processes: their requests and
 * their faults arrive on one endpoint, told apart by badge.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot_modules.h"
#include "capsule/server.h"
#include "debug_ops.h"
#include "faults.h"
#include "handles.h"
#include "lifecycle.h"
#include "objects.h"
#include "requests.h"
#include "scope.h"
#include "scope_memory.h"
#include "server_watch.h"
#include "servers.h"
#include "table_page.h"
#include "text_frames.h"
#include "tty_signals.h"
#include "uapi/fault.h"
#include "uapi/objects.h"
#include "vfs_client.h"
#include "wake.h"
#include "enosys_log.h"

#define PID_MAX 32768

static void report_boot(const bootinfo_t *bi)
{
    uint64_t budget, used, objects;
    pool_info(CAP_INIT_POOL, &budget, &used, &objects);
    fprintf(stderr,
            "proc-server: root task running: %lu MiB in the root pool (%lu KiB used by %lu "
            "objects), %lu boot modules, CNode of %lu slots\n",
            budget >> 20, used >> 10, objects, bi->module_count, 1ul << bi->cnode_size_bits);
    for (uint64_t i = 0; i < bi->module_count; i++) {
        fprintf(stderr, "proc-server: module %lu: %s (%lu bytes, %lu frames)\n", i,
                bi->modules[i].name, bi->modules[i].size, bi->modules[i].frames.count);
    }
}

/* init is /sbin/init of the root file system: PID 1 of the root scope,
 * PPID 0. */
static int start_init(void)
{
    const char *const argv[] = {"/sbin/init", NULL};
    const char *const envp[] = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", NULL};
    exec_args_t args;
    exec_args_from_arrays(&args, "/sbin/init", argv, envp);
    const char *why;
    int pid = lifecycle_spawn(NULL, &args, &why);
    if (pid < 0) {
        fprintf(stderr, "proc-server: cannot start /sbin/init: %s%s%s; idle\n", strerror(-pid),
                why != NULL ? ": " : "", why != NULL ? why : "");
    }
    return pid;
}

static request_t request_of(const sys_result_t *msg)
{
    request_t req = {.label = msginfo_label(msg->info),
                     .length = msginfo_length(msg->info),
                     .descriptors = msginfo_descriptors(msg->info),
                     .reply_cap = CAP_NULL};
    for (unsigned i = 0; i < MSG_REGISTERS_IN_CPU; i++) {
        req.mr[i] = i < req.length ? msg->mr[i] : 0;
    }
    return req;
}

/* The answer: MR0 the result, MR1 a second word (and up to MR4 when the
 * handler says so), maybe a capability. */
static uint64_t answer(int64_t result, const request_t *req, uint64_t *mr0, uint64_t *mr1)
{
    *mr0 = (uint64_t)result;
    *mr1 = req->reply_mr1;
    unsigned words = req->reply_length != 0 ? req->reply_length : 2;
    /* serve() sends MR2 and MR3 from there, like the rest */
    ipc_buffer->mr[2] = req->reply_mr2;
    ipc_buffer->mr[3] = req->reply_mr3;
    ipc_buffer->mr[4] = req->reply_mr4;
    if (req->reply_cap != CAP_NULL) {
        ipc_buffer->caps[0] = req->reply_cap;
        return msginfo_with(msginfo_make(0, words), 1, 0);
    }
    return msginfo_make(0, words);
}

/* A request on an object capability: it acts for the holder its badge
 * names (handles.h); a holder that is gone leaves nothing to act on. */
static uint64_t handle_object(const sys_result_t *msg, uint64_t *mr0, uint64_t *mr1,
                              cptr_t *sent_cap)
{
    obj_badge_t b;
    request_t req = request_of(msg);
    process_t *holder = NULL;
    if (obj_badge_decode(msg->badge, &b)) {
        holder = proc_find_global(lifecycle_table(), b.holder_pid);
    }
    if (holder == NULL || holder->state == PROC_ZOMBIE) {
        return answer(-EBADF, &req, mr0, mr1);
    }
    int64_t result = objects_handle_request(holder, b.index, b.gen, &req);
    *sent_cap = req.reply_cap;
    return answer(result, &req, mr0, mr1);
}

/* Handles one message; returns the reply's message info, or 0 for none.
 * *sent_cap: a slot the reply carries, to delete once it is sent. */
static uint64_t handle(const sys_result_t *msg, uint64_t *mr0, uint64_t *mr1, cptr_t *sent_cap)
{
    if (msginfo_label(msg->info) == MSG_LABEL_NOTIFICATION) {
        /* the one notification bound to this thread (wake.h): terminal
         * signals, or the watcher's word that a server faulted */
        servers_handle_faults();
        tty_signals_drain();
        return 0;
    }
    if (obj_badge_is_object(msg->badge)) {
        return handle_object(msg, mr0, mr1, sent_cap);
    }
    if (debug_ops_is_debug(msg->badge)) { /* before sessions: its badge is no PID */
        request_t req = request_of(msg);
        return answer(debug_ops_request(msg->badge, &req), &req, mr0, mr1);
    }
    process_t *proc = lifecycle_find(msg->badge);
    if (proc == NULL || proc->state == PROC_ZOMBIE) {
        return 0; /* a session of a process that is gone */
    }
    request_t req = request_of(msg);
    if (msg->badge & BADGE_FAULT) {
        if (faults_resolve(proc, &req)) {
            /* one (unused) word: an info of 0 would mean "no reply" */
            return msginfo_make(FAULT_REPLY_RESUME, 1);
        }
        user_regs_t regs;
        if (!faults_handle(proc, &req, &regs)) {
            return 0;
        }
        memcpy(ipc_buffer->mr, &regs, sizeof(regs));
        *mr0 = ipc_buffer->mr[0], *mr1 = ipc_buffer->mr[1];
        return msginfo_make(FAULT_REPLY_SET_REGISTERS, REGS_WORDS);
    }
    int64_t result = requests_dispatch(proc, &req);
    *sent_cap = req.reply_cap;
    if (result == REQUEST_DEFERRED) {
        return 0;
    }
    return answer(result, &req, mr0, mr1);
}

static void drop_sent(cptr_t *slot)
{
    if (*slot != CAP_NULL) {
        cnode_delete(CAP_INIT_CNODE, *slot); /* the receiver has its copy, if it asked */
        slot_free(*slot);
        *slot = CAP_NULL;
    }
}

static _Noreturn void serve(cptr_t endpoint)
{
    sys_result_t msg = sys_recv(endpoint);
    for (;;) {
        uint64_t mr0 = 0, mr1 = 0;
        cptr_t sent_cap = CAP_NULL;
        uint64_t info = msg.err == KERR_OK ? handle(&msg, &mr0, &mr1, &sent_cap) : 0;
        if (info == 0) {
            drop_sent(&sent_cap);
            msg = sys_recv(endpoint);
        } else {
            /* the reply (and its capability) is done before the receive */
            msg = sys_ipc(SYS_REPLY_RECV, endpoint, info, mr0, mr1, ipc_buffer->mr[2],
                          ipc_buffer->mr[3]);
            drop_sent(&sent_cap);
        }
    }
}

static cptr_t create_endpoint(void)
{
    cptr_t slot = slot_alloc();
    if (slot != CAP_NULL &&
        pool_create(CAP_INIT_POOL, OBJ_ENDPOINT, 0, CAP_INIT_CNODE, slot) != KERR_OK) {
        slot_free(slot);
        return CAP_NULL;
    }
    return slot;
}

int main(void)
{
    const bootinfo_t *bi = server_bootinfo();
    if (bi->magic != BOOTINFO_MAGIC) {
        fprintf(stderr, "proc-server: boot-info page has a bad magic number\n");
        return 1;
    }
    report_boot(bi);
    enosys_log_init(bi->cmdline, sizeof(bi->cmdline));
    int err = boot_modules_map(bi);
    if (err != 0) {
        fprintf(stderr, "proc-server: cannot map the boot modules: %s\n", strerror(-err));
        return 1;
    }
    servers_init_crash(bi->cmdline, sizeof(bi->cmdline));
    cptr_t endpoint = create_endpoint();
    /* first: the servers' faults arrive at the watcher, which wakes this
     * thread through its notification */
    if ((err = wake_create()) != 0 || (err = server_watch_start(wake_signal_cap())) != 0) {
        fprintf(stderr, "proc-server: cannot start the servers' watcher: %s\n", strerror(-err));
        return 1;
    }
    server_endpoints_t servers;
    if (endpoint == CAP_NULL || servers_start(endpoint, &servers) != 0) {
        return 1;
    }
    if (servers_print_summary(servers.vfs) != 0) {
        fprintf(stderr, "proc-server: vfs-server does not answer\n");
        return 1;
    }
    proc_table_t *table = proc_table_create(PID_MAX);
    if (table == NULL) {
        fprintf(stderr, "proc-server: out of memory at boot\n");
        return 1;
    }
    table_page_attach(table);
    lifecycle_init(table, endpoint, servers.vfs);
    scope_memory_init(table->root_scope, servers_memory() + PROC_SERVER_HEADROOM);
    /* shared executable pages count against what all processes may hold */
    cptr_t processes_pool = table->root_scope->memory_pool;
    err = text_frames_init(processes_pool != CAP_NULL ? processes_pool : CAP_INIT_POOL);
    if (err != 0) { /* executables' pages are then copied */
        fprintf(stderr, "proc-server: no pool for shared executable pages: %s\n", strerror(-err));
    }
    vfs_client_init(servers.vfs_control);
    debug_ops_init(servers.vfs_control, servers_console_debug());
    servers_start_debug_console(); /* it logs why it could not */
    if ((err = process_image_init()) != 0) {
        fprintf(stderr, "proc-server: no usable posix-runtime module: %s\n", strerror(-err));
        return 1;
    }
    start_init();
    serve(endpoint);
}
