#include "servers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "boot_modules.h"
#include "capsule/enosys_filter.h"
#include "elf_load.h"
#include "protocol/server.h"
#include "protocol/console.h"
#include "protocol/debug.h"
#include "protocol/vfs.h"
#include "uapi/vm.h"
#include "table_page.h"
#include "task.h"
#include "tty_signals.h"
#include "uapi/objects.h"
#include "lifecycle.h"
#include "restart_limit.h"
#include "scope.h"
#include "server_watch.h"
#include "vfs_client.h"

#define SERVER_PRIORITY 200 /* below proc-server's, above every process */

typedef struct {
    const char *module;
    uint64_t budget;
    unsigned cnode_bits;
    const char *data_module; /* a boot module the server reads (NULL: none) */
    bool proc_table;         /* gets the process-table page, read-only (vfs-server) */
    bool tty_signal_ring;    /* gets the terminal-signal ring, read-write (console-server) */
    unsigned id;             /* DEBUG_SERVER_*: how the debug protocol names it */
    bool restartable;        /* rebuilt when it faults (docs/restart.md) */
    bool takes_log;          /* takes the kernel log over (console-server): full Debug */
} server_spec_t;

/* A capability the server gets in its CSpace. */
typedef struct {
    uint64_t slot;
    cptr_t cap;
    unsigned rights;
} server_cap_t;

static int put_cmdline(task_t *t, const boot_module_t *m)
{
    size_t n = strlen(m->name);
    if (n >= sizeof(t->info->cmdline)) {
        return -E2BIG;
    }
    memcpy(t->info->cmdline, m->name, n + 1);
    return 0;
}

/* Maps a boot module read-only at SERVER_MODULE_BASE and lists it in the
 * server's boot-info page. */
static int hand_module(task_t *t, const char *name)
{
    const boot_module_t *m = boot_module_find(name);
    if (m == NULL) {
        fprintf(stderr, "proc-server: no boot module named %s\n", name);
        return -ENOENT;
    }
    bootinfo_module_t *out = &t->info->modules[0];
    out->frames.first = t->next_slot;
    for (uint64_t i = 0; i < m->frames.count; i++) {
        int err =
            task_map_shared(t, m->frames.first + i, SERVER_MODULE_BASE + i * PAGE_SIZE, MAP_READ);
        if (err != 0) {
            return err;
        }
    }
    out->frames.count = m->frames.count;
    out->size = m->size;
    snprintf(out->name, sizeof(out->name), "%s", name);
    t->info->module_count = 1;
    return 0;
}

static uint64_t started_ceilings; /* the pool ceilings of the servers started */

uint64_t servers_memory(void)
{
    return started_ceilings;
}

/* A server proc-server started, with what it takes to build it again from
 * its boot module: its spec and the capabilities it was given (all of them
 * proc-server's slots, which outlive the server). */
#define SERVER_CAPS_MAX 4
typedef struct {
    const server_spec_t *spec;
    server_cap_t caps[SERVER_CAPS_MAX];
    size_t cap_count;
    task_t task;
    cptr_t fault; /* the server-fault endpoint badged for it (server_watch.h) */
    unsigned restarts;
    restart_limit_t limit; /* its last restarts' times */
} server_t;

static server_t servers[SERVERS_MAX];
/* The same, as the debug protocol's kernel listing reads them. */
static server_record_t started[SERVERS_MAX];
static size_t started_count;
static cptr_t proc_endpoint; /* proc-server's own: the debug console's capability names it */
_Static_assert(SERVERS_MAX <= SERVER_WATCH_MAX, "the watcher watches every server");

size_t servers_started(const server_record_t **out)
{
    *out = started;
    return started_count;
}

/* A capability made from the endpoint of a server stopped for good
 * (close_endpoint) is gone from proc-server's slot: a server rebuilt later
 * finds that slot empty, as it would with no such server at boot
 * (vfs-server then writes /dev/console to the kernel log). */
static bool still_there(cptr_t cap)
{
    uint64_t type = OBJ_NULL, rights, badge;
    return cnode_identify(CAP_INIT_CNODE, cap, &type, &rights, &badge) == KERR_OK &&
           type != OBJ_NULL;
}

static int build_server(server_t *s, const boot_module_t *m)
{
    const server_spec_t *spec = s->spec;
    task_t *t = &s->task;
    int err = task_create(t, spec->budget, spec->cnode_bits);
    if (err != 0) {
        return err;
    }
    t->next_slot = CAP_SERVER_FIRST_FREE;
    /* servers log through the kernel: Write alone allows nothing else. Only
     * console-server, which takes the log over (Debug_ReleaseConsole,
     * Debug_ReadLog), gets every right, which could also power the machine
     * off; processes never hold Debug */
    err =
        task_give(t, CAP_INIT_DEBUG, CAP_INIT_DEBUG, spec->takes_log ? RIGHTS_ALL : RIGHT_WRITE, 0);
    for (size_t i = 0; i < s->cap_count && err == 0; i++) {
        if (still_there(s->caps[i].cap)) {
            err = task_give(t, s->caps[i].slot, s->caps[i].cap, s->caps[i].rights, 0);
        }
    }
    elf_image_t elf;
    const char *why = NULL;
    if (err == 0) {
        err = elf_load(t, m->data, m->size, &m->frames, NULL, &elf, &why);
    }
    if (err == 0 && spec->data_module != NULL) {
        err = hand_module(t, spec->data_module);
    }
    if (err == 0 && spec->proc_table) {
        err = table_page_share(t);
    }
    if (err == 0 && spec->tty_signal_ring) {
        err = tty_signals_share(t);
    }
    if (err == 0) {
        err = put_cmdline(t, m);
    }
    if (err == 0) {
        err = task_create_stack(t, BOOTINFO_STACK_PAGES, NULL, 0);
    }
    if (err == 0) {
        user_regs_t regs = {.rip = elf.entry,
                            .rsp = BOOTINFO_STACK_TOP,
                            .rflags = RFLAGS_IF,
                            .rdi = BOOTINFO_VADDR};
        err = task_start(t, &regs, NULL, SERVER_PRIORITY, s->fault);
    }
    if (err != 0) {
        fprintf(stderr, "proc-server: cannot start %s: %s%s%s\n", spec->module, strerror(-err),
                why != NULL ? ": " : "", why != NULL ? why : "");
        task_destroy(t);
    }
    return err;
}

/* Tells the watcher the new instance's thread and whom it Calls: only
 * vfs-server Calls a server, console-server (docs/architecture.md). */
static void watch_thread(const server_t *s, size_t index)
{
    size_t callee = SERVERS_MAX;
    for (size_t i = 0; s->spec->id == DEBUG_SERVER_VFS && i < started_count; i++) {
        if (servers[i].spec->id == DEBUG_SERVER_CONSOLE) {
            callee = i;
        }
    }
    server_watch_thread(index, s->task.tcb, callee);
}

static int start_server(const server_spec_t *spec, const server_cap_t *caps, size_t cap_count)
{
    const boot_module_t *m = boot_module_find(spec->module);
    if (m == NULL) {
        fprintf(stderr, "proc-server: no boot module named %s\n", spec->module);
        return -ENOENT;
    }
    if (started_count == SERVERS_MAX || cap_count > SERVER_CAPS_MAX) {
        return -ENOMEM;
    }
    size_t index = started_count;
    server_t *s = &servers[index];
    *s = (server_t){.spec = spec, .cap_count = cap_count};
    memcpy(s->caps, caps, cap_count * sizeof(caps[0]));
    s->fault = slot_alloc();
    if (s->fault == CAP_NULL || server_watch_mint(index, s->fault) != 0) {
        return -ENOMEM;
    }
    int err = build_server(s, m);
    if (err == 0) {
        started_ceilings += spec->budget;
        watch_thread(s, index);
        started[started_count++] = (server_record_t){spec->module, s->task.tcb, s->task.pool};
    }
    return err;
}

static cptr_t new_endpoint(void)
{
    cptr_t slot = slot_alloc();
    if (slot != CAP_NULL &&
        pool_create(CAP_INIT_POOL, OBJ_ENDPOINT, 0, CAP_INIT_CNODE, slot) != KERR_OK) {
        slot_free(slot);
        slot = CAP_NULL;
    }
    return slot;
}

/* console-server owns COM1: IRQ 4 and ports 0x3f8-0x3ff, which proc-server
 * carves out of its own device capabilities. Without its boot module the
 * kernel keeps the UART for its log. The endpoint stays in proc-server's
 * CSpace for the servers that will forward the console to it. */
#define COM1_IRQ 4
#define COM1_FIRST_PORT 0x3f8
#define COM1_LAST_PORT 0x3ff

static cptr_t console_endpoint;

static int start_console(void)
{
    static const server_spec_t console = {.module = "console-server",
                                          .budget = 8ull << 20,
                                          .cnode_bits = 8,
                                          .tty_signal_ring = true,
                                          .id = DEBUG_SERVER_CONSOLE,
                                          .restartable = true,
                                          .takes_log = true};
    if (boot_module_find(console.module) == NULL) {
        fprintf(stderr, "proc-server: no console-server module; the kernel keeps COM1\n");
        return 0;
    }
    cptr_t irq = slot_alloc(), ports = slot_alloc(), signal = CAP_NULL;
    console_endpoint = new_endpoint();
    if (tty_signals_create() != 0 || (signal = tty_signals_signal_cap()) == CAP_NULL) {
        fprintf(stderr, "proc-server: cannot set up terminal signals for console-server\n");
        return -ENOMEM;
    }
    if (irq == CAP_NULL || ports == CAP_NULL || console_endpoint == CAP_NULL ||
        irq_control_get(CAP_INIT_IRQ_CONTROL, COM1_IRQ, CAP_INIT_CNODE, irq) != KERR_OK ||
        io_port_issue(CAP_INIT_IO_PORT, COM1_FIRST_PORT, COM1_LAST_PORT, CAP_INIT_CNODE, ports) !=
            KERR_OK) {
        fprintf(stderr, "proc-server: cannot get COM1's IRQ and ports for console-server\n");
        return -ENOMEM;
    }
    const server_cap_t caps[] = {
        {CAP_SERVER_ENDPOINT, console_endpoint, RIGHT_READ},
        {CAP_SERVER_IRQ, irq, RIGHTS_ALL},
        {CAP_SERVER_IO_PORT, ports, RIGHTS_ALL},
        {CAP_SERVER_ARG2, signal, RIGHT_WRITE}, /* signals proc-server: tty_signal.h */
    };
    return start_server(&console, caps, sizeof(caps) / sizeof(caps[0]));
}

/* A test client of console-server, in images that carry one: it gets the
 * console endpoint (send only) in CAP_SERVER_ARG1. */
static int start_console_client(void)
{
    static const server_spec_t client = {
        .module = "console-test-client", .budget = 8ull << 20, .cnode_bits = 8};
    if (console_endpoint == CAP_NULL || boot_module_find(client.module) == NULL) {
        return 0;
    }
    const server_cap_t caps[] = {
        {CAP_SERVER_ARG1, console_endpoint, RIGHT_WRITE},
    };
    return start_server(&client, caps, sizeof(caps) / sizeof(caps[0]));
}

/* vfs-server forwards /dev/console to console-server: its capability is
 * badged as the forwarder's and may transfer (Grant) the reply capability
 * of the process that asked. CAP_NULL when there is no console-server. */
static cptr_t console_forwarder(void)
{
    cptr_t slot = console_endpoint != CAP_NULL ? slot_alloc() : CAP_NULL;
    if (slot != CAP_NULL &&
        cnode_mint(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, console_endpoint,
                   RIGHT_WRITE | RIGHT_GRANT, CONSOLE_BADGE_FORWARDER) != KERR_OK) {
        slot_free(slot);
        slot = CAP_NULL;
    }
    return slot;
}

int servers_start(cptr_t proc_server_endpoint, server_endpoints_t *out)
{
    proc_endpoint = proc_server_endpoint;
    static const server_spec_t vfs = {.module = "vfs-server",
                                      .budget = 96ull << 20,
                                      .cnode_bits = 16,
                                      .data_module = "initrd",
                                      .proc_table = true,
                                      .id = DEBUG_SERVER_VFS,
                                      .restartable = true};
    int err = start_console();
    if (err != 0) {
        return err;
    }
    out->vfs = new_endpoint();
    err = table_page_create();
    if (out->vfs == CAP_NULL || err != 0) {
        fprintf(stderr, "proc-server: cannot create the process table page\n");
        return -ENOMEM;
    }
    cptr_t console = console_forwarder();
    const server_cap_t vfs_caps[] = {
        {CAP_SERVER_ENDPOINT, out->vfs, RIGHT_READ}, /* it only receives on it */
        /* its own endpoint, to mint context capabilities from (ctx_handles.h) */
        {CAP_SERVER_ARG2, out->vfs, RIGHT_WRITE | RIGHT_GRANT_REPLY},
        {CAP_SERVER_ARG1, console, RIGHT_WRITE | RIGHT_GRANT},
    };
    size_t vfs_cap_count = sizeof(vfs_caps) / sizeof(vfs_caps[0]) - (console == CAP_NULL);
    if ((err = start_server(&vfs, vfs_caps, vfs_cap_count)) != 0) {
        return err;
    }
    /* proc-server's own session with vfs-server */
    out->vfs_control = slot_alloc();
    if (out->vfs_control == CAP_NULL ||
        cnode_mint(CAP_INIT_CNODE, out->vfs_control, CAP_INIT_CNODE, out->vfs, RIGHT_WRITE,
                   VFS_BADGE_PROC_SERVER) != KERR_OK) {
        return -ENOMEM;
    }
    return start_console_client();
}

/* The debug console owns COM2 (IRQ 3, ports 0x2f8-0x2ff) and holds a debug
 * capability of its own: proc-server's endpoint badged DEBUG_BADGE_COM2. */
#define COM2_IRQ 3
#define COM2_FIRST_PORT 0x2f8
#define COM2_LAST_PORT 0x2ff

int servers_start_debug_console(void)
{
    static const server_spec_t spec = {.module = "debug-console",
                                       .budget = 4ull << 20,
                                       .cnode_bits = 8,
                                       .id = DEBUG_SERVER_DEBUG_CONSOLE};
    if (boot_module_find(spec.module) == NULL) {
        return 0; /* an image without it */
    }
    cptr_t irq = slot_alloc(), ports = slot_alloc(), debug = slot_alloc();
    if (irq == CAP_NULL || ports == CAP_NULL || debug == CAP_NULL ||
        irq_control_get(CAP_INIT_IRQ_CONTROL, COM2_IRQ, CAP_INIT_CNODE, irq) != KERR_OK ||
        io_port_issue(CAP_INIT_IO_PORT, COM2_FIRST_PORT, COM2_LAST_PORT, CAP_INIT_CNODE, ports) !=
            KERR_OK ||
        cnode_mint(CAP_INIT_CNODE, debug, CAP_INIT_CNODE, proc_endpoint, RIGHT_WRITE,
                   DEBUG_BADGE_COM2) != KERR_OK) {
        fprintf(stderr, "proc-server: cannot get COM2's IRQ and ports for the debug console\n");
        return -ENOMEM;
    }
    const server_cap_t caps[] = {
        {CAP_SERVER_IRQ, irq, RIGHTS_ALL},
        {CAP_SERVER_IO_PORT, ports, RIGHTS_ALL},
        {CAP_SERVER_ARG1, debug, RIGHT_WRITE},
    };
    return start_server(&spec, caps, sizeof(caps) / sizeof(caps[0]));
}

cptr_t servers_console_debug(void)
{
    cptr_t slot = console_endpoint != CAP_NULL ? slot_alloc() : CAP_NULL;
    if (slot != CAP_NULL && cnode_mint(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, console_endpoint,
                                       RIGHT_WRITE, CONSOLE_BADGE_DEBUG) != KERR_OK) {
        slot_free(slot);
        slot = CAP_NULL;
    }
    return slot;
}

int servers_print_summary(cptr_t endpoint)
{
    char text[256];
    ipc_buffer->descriptors[0] = (buffer_desc_t){(uint64_t)text, sizeof(text) - 1, DESC_WRITE};
    uint64_t info = msginfo_with(msginfo_make(PROTO_DEBUG_TEXT, 1), 0, 1);
    sys_result_t r = sys_call(endpoint, info, DEBUG_LIST_SUMMARY, 0, 0, 0);
    int64_t n = r.err == KERR_OK ? (int64_t)r.mr[0] : -EIO;
    if (n < 0) {
        return (int)n;
    }
    text[n < (int64_t)sizeof(text) ? n : (int64_t)sizeof(text) - 1] = '\0';
    fputs(text, stderr);
    return 0;
}

/*
 * Watching the servers (docs/restart.md): each server's fault endpoint is
 * the watcher's (server_watch.h), badged with the server's index. The
 * watcher ends a Call of proc-server's to the dead server and wakes the
 * main thread, which rebuilds the server here, between two requests.
 */

static size_t index_of(uint64_t id)
{
    for (size_t i = 0; i < started_count; i++) {
        if (id != 0 && servers[i].spec->id == id) {
            return i;
        }
    }
    return SERVERS_MAX;
}

sys_result_t servers_call(uint64_t id, cptr_t cap, uint64_t info, uint64_t mr0, uint64_t mr1,
                          uint64_t mr2, uint64_t mr3)
{
    size_t index = index_of(id);
    if (index == SERVERS_MAX) { /* not started: nothing can answer */
        return (sys_result_t){.err = KERR_INVALID_CAP};
    }
    sys_result_t r = server_watch_ipc(index, SYS_CALL, cap, info, mr0, mr1, mr2, mr3);
    if (r.err == KERR_CANCELLED) {
        /* the request in progress (a fork, a spawn...) fails with EIO */
        fprintf(stderr, "proc-server: %s died before answering request %#lx\n",
                servers[index].spec->module, msginfo_label(info));
    }
    return r;
}

/* The pieces of the old instance that must not outlive it: its pool (its
 * thread, CSpace, address space and every object it made), and with its
 * CSpace the reply capabilities of callers it kept waiting, who wake with
 * an error (EIO). What proc-server gave it lives on in proc-server's own
 * slots: the endpoint its clients hold, its devices, shared pages. */
static void drop_instance(server_t *s, size_t index)
{
    server_watch_thread(index, CAP_NULL, SERVERS_MAX);
    task_destroy(&s->task);
    started[index].tcb = CAP_NULL;
    started[index].pool = CAP_NULL;
}

/*
 * The new vfs-server knows no process: every session from before answers
 * EIO, for no context can be rebuilt from nothing and a process must never
 * be given the boot context in place of the one it had (a container's).
 * init alone is attached again, to the boot context proc-server started it
 * in, with no descriptors: it is the host's, in no container, and it
 * starts the next console shell (docs/restart.md).
 */
static void reattach_init(void)
{
    const process_t *init = proc_find_global(lifecycle_table(), 1);
    if (init == NULL || init->state == PROC_ZOMBIE || init->scope->parent != NULL || init->jailed) {
        return;
    }
    int err = vfs_client_reattach(1);
    fprintf(stderr, "proc-server: init %s the new vfs-server's boot context%s%s\n",
            err == 0 ? "attached to" : "not attached to", err == 0 ? "" : ": ",
            err == 0 ? "" : strerror(-err));
}

static void restart(server_t *s, size_t index)
{
    drop_instance(s, index);
    const boot_module_t *m = boot_module_find(s->spec->module);
    int err = m != NULL ? build_server(s, m) : -ENOENT;
    if (err != 0) {
        fprintf(stderr, "proc-server: cannot restart %s: %s\n", s->spec->module, strerror(-err));
        return;
    }
    s->restarts++;
    started[index] = (server_record_t){s->spec->module, s->task.tcb, s->task.pool};
    watch_thread(s, index);
    server_watch_revived(index); /* before the Calls below: they reach the new instance */
    fprintf(stderr, "proc-server: %s restarted (restart %u)\n", s->spec->module, s->restarts);
    if (s->spec->id == DEBUG_SERVER_CONSOLE && (err = vfs_client_console_restarted()) != 0) {
        fprintf(stderr, "proc-server: vfs-server did not take the console's restart: %s\n",
                strerror(-err));
    }
    if (s->spec->id == DEBUG_SERVER_VFS) {
        reattach_init();
    }
}

/* A server stopped for good: the endpoint it served is deleted with every
 * capability made from it (sessions, the forwarder's, proc-server's own),
 * so a client's next request fails (KERR_DELETED, or an empty slot: the
 * runtimes' EIO) instead of waiting for a receiver that never comes —
 * vfs-server would otherwise wait for good on its next forward to a
 * stopped console-server. */
static void close_endpoint(const server_t *s)
{
    for (size_t i = 0; i < s->cap_count; i++) {
        if (s->caps[i].slot == CAP_SERVER_ENDPOINT) {
            cnode_revoke(CAP_INIT_CNODE, s->caps[i].cap);
            cnode_delete(CAP_INIT_CNODE, s->caps[i].cap);
        }
    }
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Server `index` faulted (what the watcher took): logged and, for a server
 * that can be restarted, destroyed and built anew. */
static void server_faulted(size_t index, const server_watch_fault_t *fault)
{
    server_t *s = &servers[index];
    if (s->spec->id == DEBUG_SERVER_CONSOLE) {
        /* the kernel writes its log to COM1 again (this line first) until
         * a new console-server takes it over */
        debug_reclaim_console(CAP_INIT_DEBUG);
    }
    fprintf(stderr, "proc-server: %s: fault %lu at rip %#lx, address %#lx\n", s->spec->module,
            fault->label, fault->rip, fault->address);
    if (!s->spec->restartable) {
        /* left faulted: its thread waits for a reply that never comes */
        fprintf(stderr, "proc-server: %s is not restarted; it stays stopped\n", s->spec->module);
        return;
    }
    if (!restart_limit_allow(&s->limit, monotonic_ns())) {
        /* a server that dies at every start would be rebuilt for ever:
         * its callers get EIO (drop_instance), and so does every later
         * request (close_endpoint; proc-server's own: server_watch.h) */
        drop_instance(s, index);
        close_endpoint(s);
        fprintf(stderr,
                "proc-server: %s faulted again after %u restarts in %llu s; it stays stopped\n",
                s->spec->module, RESTART_LIMIT_COUNT,
                (unsigned long long)(RESTART_LIMIT_WINDOW_NS / 1000000000ull));
        return;
    }
    restart(s, index);
}

void servers_handle_faults(void)
{
    server_watch_fault_t fault;
    for (size_t i = 0; i < started_count; i++) {
        if (server_watch_take_fault(i, &fault)) {
            server_faulted(i, &fault);
        }
    }
}

static bool crash_enabled;

void servers_init_crash(const char *cmdline, uint64_t max)
{
    crash_enabled = enosys_cmdline_has_word(cmdline, max, SERVERS_CRASH_WORD);
}

static server_t *server_by_id(uint64_t id)
{
    for (size_t i = 0; i < started_count; i++) {
        if (id != 0 && servers[i].spec->id == id && servers[i].task.tcb != CAP_NULL) {
            return &servers[i];
        }
    }
    return NULL;
}

/* The word the server's crash label carries for `when` (DEBUG_CRASH_*):
 * 0 at once, else what to crash at; -1 for a moment that server has not
 * (vfs-server serves proc-server's forks, spawns and execs, console-server
 * its relayed listings). */
static int64_t crash_word(uint64_t id, uint64_t when)
{
    if (when == DEBUG_CRASH_NOW) {
        return 0;
    }
    if (id == DEBUG_SERVER_CONSOLE) {
        return when == DEBUG_CRASH_AT_LISTING       ? DEBUG_CONSOLE_CRASH_AT_LISTING
               : when == DEBUG_CRASH_AT_SESSION_END ? DEBUG_CONSOLE_CRASH_AT_SESSION_END
                                                    : -1;
    }
    switch (when) {
    case DEBUG_CRASH_AT_FORK:
        return VFS_PROC_CREATE;
    case DEBUG_CRASH_AT_SPAWN:
        return VFS_PROC_SPAWN;
    case DEBUG_CRASH_AT_EXEC:
        return VFS_EXEC_READ;
    default:
        return -1;
    }
}

int servers_crash(uint64_t arg, cptr_t vfs_session, cptr_t console_session, const char **name)
{
    if (!crash_enabled) {
        return -ENOSYS; /* not a test image: the request does not exist */
    }
    uint64_t id = arg & ((1u << DEBUG_CRASH_SHIFT) - 1), when = arg >> DEBUG_CRASH_SHIFT;
    server_t *s = server_by_id(id);
    cptr_t to = id == DEBUG_SERVER_VFS       ? vfs_session
                : id == DEBUG_SERVER_CONSOLE ? console_session
                                             : CAP_NULL;
    if (s == NULL || to == CAP_NULL) {
        return -ESRCH;
    }
    int64_t word = crash_word(id, when);
    if (word < 0) {
        return -EINVAL;
    }
    *name = s->spec->module;
    /* a Send, not a Call: the server never answers a crash at once. One
     * armed for a later Call of proc-server's faults during that Call,
     * which the watcher ends (server_watch.h). */
    uint64_t label = id == DEBUG_SERVER_VFS ? DEBUG_VFS_CRASH : DEBUG_CONSOLE_CRASH;
    sys_result_t r = server_watch_ipc(index_of(id), SYS_SEND, to, msginfo_make(label, 1),
                                      (uint64_t)word, 0, 0, 0);
    return r.err == KERR_OK ? 0 : -EIO;
}

int servers_cspace(uint64_t id, cptr_t *cnode, unsigned *bits, const char **name,
                   unsigned *restarts)
{
    server_t *s = server_by_id(id);
    if (s == NULL) {
        return -ESRCH;
    }
    *cnode = s->task.cnode;
    *bits = s->spec->cnode_bits;
    *name = s->spec->module;
    *restarts = s->restarts;
    return 0;
}
