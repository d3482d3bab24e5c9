#include "debug_caps.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "capsule/server.h"
#include "debug_containers.h"
#include "handles.h"
#include "hostname.h"
#include "lifecycle.h"
#include "protocol/debug.h"
#include "protocol/posix_runtime.h"
#include "protocol/server.h"
#include "protocol/signal_page.h"
#include "scope.h"
#include "server_watch.h"
#include "servers.h"

static const char *const type_names[] = {
    "null",     "pool",         "cnode", "tcb",         "vspace",      "frame",   "debug",
    "endpoint", "notification", "reply", "irq-control", "irq-handler", "io-port",
};

static const char *type_name(uint64_t type)
{
    return type < sizeof(type_names) / sizeof(type_names[0]) ? type_names[type] : "?";
}

static const char *tcb_state_name(uint64_t state)
{
    static const char *const names[] = {"inactive",
                                        "runnable",
                                        "faulted",
                                        "blocked-send",
                                        "blocked-recv",
                                        "blocked-reply",
                                        "blocked-notification"};
    return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

static uint64_t uptime_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A thread and its pool, as the kernel sees them. */
typedef struct {
    uint64_t budget, used, objects;
    debug_thread_info_t thread;
    bool live;
} task_facts_t;

static task_facts_t facts_of(cptr_t tcb, cptr_t pool)
{
    task_facts_t f = {0};
    if (tcb == CAP_NULL || pool_info(pool, &f.budget, &f.used, &f.objects) != KERR_OK ||
        debug_thread_info(CAP_INIT_DEBUG, tcb, &f.thread) != KERR_OK) {
        return f;
    }
    f.live = true;
    return f;
}

static task_facts_t process_facts(const process_t *proc)
{
    const process_os_t *os = proc->server_data;
    task_facts_t none = {0};
    return os != NULL && os->task.pool != CAP_NULL ? facts_of(os->task.tcb, os->task.pool) : none;
}

/* What a blocked thread waits on, in server terms where the badge says. */
static void put_blocked_on(debug_text_t *t, const debug_thread_info_t *th)
{
    int pid;
    if (th->blocked_on == OBJ_NULL) {
        dt_printf(t, "-");
    } else if (th->blocked_on == OBJ_REPLY) {
        dt_printf(t, "a server's reply");
    } else if (th->blocked_on != OBJ_ENDPOINT || th->badge == 0) {
        dt_printf(t, "%s", type_name(th->blocked_on));
    } else if (debug_badge_parse(th->badge, &pid) || th->badge == DEBUG_BADGE_COM2) {
        dt_printf(t, "proc-server debug");
    } else if (obj_badge_is_object(th->badge)) {
        dt_printf(t, (th->badge >> OBJ_BADGE_SERVER_SHIFT & 1u) == OBJ_SERVER_VFS
                         ? "vfs-server context"
                         : "proc-server object");
    } else if (th->badge & BADGE_FAULT) {
        dt_printf(t, "proc-server fault");
    } else {
        /* proc-server's and vfs-server's sessions carry the same badge */
        dt_printf(t, "session 0x%llx", (unsigned long long)th->badge);
    }
}

static void put_thread_row(debug_text_t *t, const char *who, int pid, const task_facts_t *f)
{
    char blocked[40];
    debug_text_t b;
    dt_init(&b, blocked, sizeof(blocked), false);
    put_blocked_on(&b, &f->thread);
    if (t->json) {
        dt_sep(t);
        dt_printf(t, "{\"pid\":%d,\"name\":", pid);
        dt_json_string(t, who);
        dt_printf(t,
                  ",\"pool\":{\"budget\":%llu,\"used\":%llu,\"objects\":%llu},"
                  "\"thread\":{\"state\":\"%s\",\"priority\":%llu,\"blocked_on\":",
                  (unsigned long long)f->budget, (unsigned long long)f->used,
                  (unsigned long long)f->objects, tcb_state_name(f->thread.state),
                  (unsigned long long)f->thread.priority);
        dt_json_string(t, blocked);
        dt_printf(t, "}}");
        return;
    }
    char pidtext[12] = "-";
    if (pid > 0) {
        snprintf(pidtext, sizeof(pidtext), "%d", pid);
    }
    dt_printf(t, "%6s %-16s %10llu %10llu %8llu %-20s %4llu %s\n", pidtext, who,
              (unsigned long long)(f->budget >> 10), (unsigned long long)(f->used >> 10),
              (unsigned long long)f->objects, tcb_state_name(f->thread.state),
              (unsigned long long)f->thread.priority, blocked);
}

static void put_threads(const proc_table_t *tab, debug_text_t *t)
{
    task_facts_t self = facts_of(CAP_INIT_TCB, CAP_INIT_POOL); /* the root pool: all of it */
    if (self.live) {
        put_thread_row(t, "proc-server", 0, &self);
    }
    /* its second thread, on the servers' faults (server_watch.h) */
    task_facts_t watcher = facts_of(server_watch_tcb(), CAP_INIT_POOL);
    if (watcher.live) {
        put_thread_row(t, "proc-server watch", 0, &watcher);
    }
    const server_record_t *servers;
    size_t n = servers_started(&servers);
    for (size_t i = 0; i < n; i++) {
        task_facts_t f = facts_of(servers[i].tcb, servers[i].pool);
        if (f.live) {
            put_thread_row(t, servers[i].name, 0, &f);
        }
    }
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        task_facts_t f = process_facts(proc);
        if (f.live) {
            put_thread_row(t, proc->comm, proc_global_pid(proc), &f);
        }
    }
}

static void put_counts(debug_text_t *t, const debug_object_counts_t *c)
{
    for (unsigned type = OBJ_NULL + 1; type < OBJ_COUNT; type++) {
        if (t->json) {
            dt_sep(t);
            dt_printf(t, "\"%s\":%llu", type_name(type), (unsigned long long)c->objects[type]);
        } else {
            dt_printf(t, "%s%s %llu", type == OBJ_NULL + 1 ? "" : ", ", type_name(type),
                      (unsigned long long)c->objects[type]);
        }
    }
}

void debug_caps_kernel(const proc_table_t *tab, debug_text_t *t)
{
    uint64_t budget = 0, used = 0, objects = 0, ms = uptime_ms();
    debug_object_counts_t c = {0};
    pool_info(CAP_INIT_POOL, &budget, &used, &objects);
    debug_object_counts(CAP_INIT_DEBUG, CAP_INIT_POOL, &c);
    if (t->json) {
        dt_printf(t,
                  "{\"uptime_ms\":%llu,\"frames\":{\"free\":%llu,\"total\":%llu},"
                  "\"root_pool\":{\"budget\":%llu,\"used\":%llu,\"objects\":%llu},"
                  "\"objects\":",
                  (unsigned long long)ms, (unsigned long long)c.free_frames,
                  (unsigned long long)c.total_frames, (unsigned long long)budget,
                  (unsigned long long)used, (unsigned long long)objects);
        dt_open(t, '{');
        put_counts(t, &c);
        dt_close(t, '}');
        dt_printf(t, ",\"threads\":");
        dt_open(t, '[');
        put_threads(tab, t);
        dt_close(t, ']');
        dt_printf(t, "}\n");
        return;
    }
    dt_printf(t, "uptime:    %llu.%03llu s\n", (unsigned long long)(ms / 1000),
              (unsigned long long)(ms % 1000));
    dt_printf(t, "frames:    %llu free of %llu (%llu KiB free)\n",
              (unsigned long long)c.free_frames, (unsigned long long)c.total_frames,
              (unsigned long long)(c.free_frames * 4));
    dt_printf(t, "root pool: %llu KiB budget, %llu KiB used, %llu objects\n",
              (unsigned long long)(budget >> 10), (unsigned long long)(used >> 10),
              (unsigned long long)objects);
    dt_printf(t, "objects:   ");
    put_counts(t, &c);
    dt_printf(t, "\n%6s %-16s %10s %10s %8s %-20s %4s %s\n", "PID", "THREAD OF", "POOL KiB",
              "USED KiB", "OBJECTS", "STATE", "PRIO", "BLOCKED ON");
    put_threads(tab, t);
}

/* What one of proc-server's object badges names, from the holder's handles. */
static void name_proc_object(debug_text_t *t, uint64_t badge)
{
    obj_badge_t b;
    process_t *holder;
    if (!obj_badge_decode(badge, &b) ||
        (holder = proc_find_global(lifecycle_table(), b.holder_pid)) == NULL ||
        holder->server_data == NULL) {
        dt_printf(t, "proc-server object (holder gone)");
        return;
    }
    const handle_table_t *handles = &((process_os_t *)holder->server_data)->handles;
    if (!handle_current(handles, b.index, b.gen) || handles->h[b.index].kind == HANDLE_NONE) {
        dt_printf(t, "proc-server object (closed)");
        return;
    }
    const handle_t h = handles->h[b.index];
    if (h.kind == HANDLE_SCOPE) {
        const scope_t *s = h.obj;
        dt_printf(t, "proc-server scope %llu (container %s), rights 0x%x",
                  (unsigned long long)s->id, s->name != NULL ? s->name : "-", h.rights);
    } else {
        const hostname_ctx_t *c = h.obj;
        dt_printf(t, "proc-server hostname context %llu (%s), rights 0x%x",
                  (unsigned long long)c->id, c->hostname, h.rights);
    }
}

/* proc-server's vfs-server session, to name a process's context. */
static cptr_t vfs_session = CAP_NULL;

/* What a slot names, in server terms: `owner` is the process or server
 * whose CSpace it is. */
typedef void (*slot_namer_t)(debug_text_t *t, const void *owner, uint64_t slot,
                             const cnode_identity_t *id);

/* What slot names, in server terms. */
static void name_slot(debug_text_t *t, const void *owner, uint64_t slot, const cnode_identity_t *id)
{
    const process_t *proc = owner;
    int pid = proc_global_pid(proc);
    if (id->type == OBJ_ENDPOINT && id->badge == session_badge(pid, false) &&
        slot == CAP_VFS_SESSION) {
        long long ctx = debug_context_of(vfs_session, pid);
        dt_printf(t, "vfs-server session → process %d", pid);
        if (ctx >= 0) {
            dt_printf(t, ", context %lld", ctx);
        }
        /* a container's processes live in its context (runc labels it so) */
        if (ctx >= 0 && proc->scope->name != NULL) {
            dt_printf(t, " (container %s)", proc->scope->name);
        }
    } else if (id->type == OBJ_ENDPOINT && id->badge == session_badge(pid, false)) {
        const scope_t *s = proc->scope;
        dt_printf(t, "proc-server session → process %d, scope %llu (container %s)", pid,
                  (unsigned long long)s->id,
                  s->name != NULL ? s->name : (s->parent == NULL ? "(host)" : "-"));
    } else if (id->type == OBJ_ENDPOINT && id->badge == debug_badge_make(pid)) {
        dt_printf(t, "proc-server debug capability → process %d", pid);
    } else if (id->type == OBJ_ENDPOINT && obj_badge_is_object(id->badge)) {
        if ((id->badge >> OBJ_BADGE_SERVER_SHIFT & 1u) == OBJ_SERVER_VFS) {
            obj_badge_fields_t f = {0};
            if (obj_badge_parse(id->badge, 256, &f)) {
                dt_printf(t, "vfs-server context handle %u of process %d", f.index, f.holder_pid);
            } else {
                dt_printf(t, "vfs-server object (malformed badge)");
            }
        } else {
            name_proc_object(t, id->badge);
        }
    } else if (slot == CAP_INIT_CNODE && id->type == OBJ_CNODE) {
        dt_printf(t, "its own CSpace");
    } else if (slot == CAP_INIT_VSPACE && id->type == OBJ_VSPACE) {
        dt_printf(t, "its own address space");
    } else if (slot == CAP_INIT_POOL && id->type == OBJ_POOL) {
        dt_printf(t, "its own pool");
    } else if (slot == CAP_INIT_TCB && id->type == OBJ_TCB) {
        dt_printf(t, "its own thread");
    } else if (slot == CAP_INIT_IPC_BUFFER && id->type == OBJ_FRAME) {
        dt_printf(t, "its IPC buffer");
    } else if (slot == CAP_INIT_BOOTINFO && id->type == OBJ_FRAME) {
        dt_printf(t, "its boot-info page");
    } else if (slot == CAP_SIGNAL_PAGE && id->type == OBJ_FRAME) {
        dt_printf(t, "its signal page (shared with proc-server)");
    } else if (slot == CAP_SIGNAL_NOTIFY && id->type == OBJ_NOTIFICATION) {
        dt_printf(t, "its signal notification (proc-server signals it)");
    } else if (id->type == OBJ_FRAME && id->map_vaddr != 0) {
        dt_printf(t, "frame mapped at 0x%llx", (unsigned long long)id->map_vaddr);
    } else {
        dt_printf(t, "-");
    }
}

static void rights_text(char out[5], uint64_t rights)
{
    out[0] = rights & RIGHT_READ ? 'r' : '-';
    out[1] = rights & RIGHT_WRITE ? 'w' : '-';
    out[2] = rights & RIGHT_GRANT ? 'g' : '-';
    out[3] = rights & RIGHT_GRANT_REPLY ? 'G' : '-';
    out[4] = '\0';
}

static void put_slot(debug_text_t *t, slot_namer_t namer, const void *owner, uint64_t slot,
                     const cnode_identity_t *id)
{
    char rights[5];
    rights_text(rights, id->rights);
    if (t->json) {
        dt_sep(t);
        dt_printf(t, "{\"slot\":%llu,\"type\":\"%s\",\"rights\":\"%s\",\"badge\":%llu,\"names\":",
                  (unsigned long long)slot, type_name(id->type), rights,
                  (unsigned long long)id->badge);
        char names[160];
        debug_text_t n;
        dt_init(&n, names, sizeof(names), false);
        namer(&n, owner, slot, id);
        dt_json_string(t, names);
        dt_printf(t, "}");
        return;
    }
    dt_printf(t, "%7llu  %-12s %-6s ", (unsigned long long)slot, type_name(id->type), rights);
    if (id->badge != 0) {
        dt_printf(t, "%#-18llx ", (unsigned long long)id->badge);
    } else {
        dt_printf(t, "%-18s ", "-");
    }
    namer(t, owner, slot, id);
    dt_printf(t, "\n");
}

/* A run of frame slots mapped back to back, shown as one text row. */
typedef struct {
    uint64_t first_slot, count, first_vaddr, rights;
} frame_run_t;

static bool run_extends(const frame_run_t *run, uint64_t slot, const cnode_identity_t *id)
{
    return run->count > 0 && id->type == OBJ_FRAME && id->map_vaddr != 0 &&
           slot == run->first_slot + run->count && id->rights == run->rights &&
           id->map_vaddr == run->first_vaddr + run->count * 4096;
}

static void put_run(debug_text_t *t, slot_namer_t namer, const void *owner, frame_run_t *run)
{
    if (run->count == 1) {
        cnode_identity_t id = {OBJ_FRAME, run->rights, 0, run->first_vaddr, 0, 0};
        put_slot(t, namer, owner, run->first_slot, &id);
    } else if (run->count > 1) {
        char rights[5], slots[24];
        rights_text(rights, run->rights);
        snprintf(slots, sizeof(slots), "%llu-%llu", (unsigned long long)run->first_slot,
                 (unsigned long long)(run->first_slot + run->count - 1));
        dt_printf(t, "%7s  %-12s %-6s %-18s %llu frames mapped at 0x%llx-0x%llx\n", slots, "frame",
                  rights, "-", (unsigned long long)run->count, (unsigned long long)run->first_vaddr,
                  (unsigned long long)(run->first_vaddr + run->count * 4096));
    }
    run->count = 0;
}

/* Every slot of `cnode` (2^bits slots), frames mapped back to back as one
 * text row. */
static void put_cspace(debug_text_t *t, cptr_t cnode, unsigned bits, slot_namer_t namer,
                       const void *owner)
{
    if (t->json) {
        dt_open(t, '[');
    } else {
        dt_printf(t, "%7s  %-12s %-6s %-18s %s\n", "SLOT", "TYPE", "RIGHTS", "BADGE", "NAMES");
    }
    frame_run_t run = {0};
    for (uint64_t slot = 1; slot < 1ull << bits; slot++) {
        cnode_identity_t id;
        if (cnode_identify_full(cnode, slot, &id) != KERR_OK || id.type == OBJ_NULL) {
            continue;
        }
        if (t->json) {
            put_slot(t, namer, owner, slot, &id);
        } else if (!run_extends(&run, slot, &id)) {
            put_run(t, namer, owner, &run);
            if (id.type == OBJ_FRAME && id.map_vaddr != 0 && id.badge == 0) {
                run = (frame_run_t){slot, 1, id.map_vaddr, id.rights};
            } else {
                put_slot(t, namer, owner, slot, &id);
            }
        } else {
            run.count++;
        }
    }
    if (t->json) {
        dt_close(t, ']');
        dt_printf(t, "\n");
    } else {
        put_run(t, namer, owner, &run);
    }
}

int debug_caps_process(const proc_table_t *tab, cptr_t vfs, int global_pid, debug_text_t *t)
{
    vfs_session = vfs;
    const process_t *proc = proc_find_global(tab, global_pid);
    const process_os_t *os = proc != NULL ? proc->server_data : NULL;
    if (os == NULL || proc->state == PROC_ZOMBIE || os->task.cnode == CAP_NULL) {
        return -ESRCH;
    }
    put_cspace(t, os->task.cnode, task_cnode_bits(&os->task), name_slot, proc); /* it grows */
    return 0;
}

/*
 * What proc-server gives each server at start (servers.c), slot by slot:
 * the list docs/restart.md explains. A server's slots from
 * CAP_SERVER_FIRST_FREE on hold what it made or was mapped (frames), so
 * only the slots below it are authority handed in.
 */
typedef struct {
    unsigned server; /* DEBUG_SERVER_*, 0: every server */
    uint64_t slot;
    const char *what;
} given_cap_t;

static const given_cap_t given[] = {
    {0, CAP_INIT_CNODE, "its own CSpace"},
    {0, CAP_INIT_TCB, "its own thread"},
    {0, CAP_INIT_VSPACE, "its own address space"},
    {0, CAP_INIT_POOL, "its own pool"},
    {0, CAP_INIT_DEBUG, "kernel Debug: its log lines"},
    {0, CAP_INIT_IPC_BUFFER, "its IPC buffer"},
    {0, CAP_INIT_BOOTINFO, "its boot-info page"},
    {DEBUG_SERVER_VFS, CAP_SERVER_ENDPOINT, "its endpoint: requests of every session"},
    {DEBUG_SERVER_VFS, CAP_SERVER_ARG1, "console-server's endpoint, as the forwarder"},
    {DEBUG_SERVER_VFS, CAP_SERVER_ARG2, "its own endpoint, to mint context capabilities"},
    {DEBUG_SERVER_CONSOLE, CAP_SERVER_ENDPOINT, "its endpoint: requests of its clients"},
    {DEBUG_SERVER_CONSOLE, CAP_SERVER_IRQ, "COM1's IRQ 4"},
    {DEBUG_SERVER_CONSOLE, CAP_SERVER_IO_PORT, "COM1's ports 0x3f8-0x3ff"},
    {DEBUG_SERVER_CONSOLE, CAP_SERVER_ARG2, "proc-server's terminal-signal notification"},
    {DEBUG_SERVER_DEBUG_CONSOLE, CAP_SERVER_IRQ, "COM2's IRQ 3"},
    {DEBUG_SERVER_DEBUG_CONSOLE, CAP_SERVER_IO_PORT, "COM2's ports 0x2f8-0x2ff"},
    {DEBUG_SERVER_DEBUG_CONSOLE, CAP_SERVER_ARG1, "a debug capability (DEBUG_BADGE_COM2)"},
};

static void name_server_slot(debug_text_t *t, const void *owner, uint64_t slot,
                             const cnode_identity_t *id)
{
    unsigned server = *(const unsigned *)owner;
    if (slot >= CAP_SERVER_FIRST_FREE) {
        if (id->type == OBJ_FRAME && id->map_vaddr != 0) {
            dt_printf(t, "frame mapped at 0x%llx", (unsigned long long)id->map_vaddr);
        } else {
            dt_printf(t, "its own");
        }
        return;
    }
    for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
        if ((given[i].server == 0 || given[i].server == server) && given[i].slot == slot) {
            dt_printf(t, "%s", given[i].what);
            return;
        }
    }
    dt_printf(t, "not in its list");
}

int debug_caps_server(uint64_t id, debug_text_t *t)
{
    cptr_t cnode;
    unsigned bits, restarts;
    const char *name;
    if (id > DEBUG_SERVER_DEBUG_CONSOLE ||
        servers_cspace(id, &cnode, &bits, &name, &restarts) != 0) {
        return -ESRCH;
    }
    unsigned server = (unsigned)id;
    if (!t->json) {
        dt_printf(t, "%s, restarted %u times\n", name, restarts);
    }
    put_cspace(t, cnode, bits, name_server_slot, &server);
    return 0;
}
