/*
 * The debug capability is proc-server's endpoint badged with the holder's
 * global PID (protocol/debug.h). The badge only says who was given it: the
 * authority is checked at every request (the holder lives, is unjailed and
 * in the root scope), so a copy that leaks into a container, or a holder
 * that jailed itself since, gets -EPERM.
 */
#include "debug_ops.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "capsule/debug_text.h"
#include "capsule/server.h"
#include "debug_caps.h"
#include "servers.h"
#include "debug_containers.h"
#include "debug_proc.h"
#include "lifecycle.h"
#include "protocol/debug.h"
#include "scope.h"

static cptr_t vfs_session = CAP_NULL;
static cptr_t console_session = CAP_NULL;
static char text[DEBUG_TEXT_MAX]; /* one answer, made afresh for each page */

void debug_ops_init(cptr_t vfs_control, cptr_t console)
{
    vfs_session = vfs_control;
    console_session = console;
}

bool debug_ops_is_debug(uint64_t badge)
{
    int pid;
    return badge == DEBUG_BADGE_COM2 || debug_badge_parse(badge, &pid);
}

/* Unjailed, in the root scope or in containers that each allowed it
 * (PROC_CONTAINER_ALLOW_DEBUG: the bundle's org.capsule.debug). */
bool debug_ops_may_debug(const process_t *proc)
{
    if (proc == NULL || proc->state == PROC_ZOMBIE || proc->jailed) {
        return false;
    }
    for (const scope_t *s = proc->scope; s->parent != NULL; s = s->parent) {
        if (!s->debug) {
            return false;
        }
    }
    return true;
}

int debug_ops_give(process_t *proc)
{
    if (!debug_ops_may_debug(proc)) {
        return 0;
    }
    process_os_t *os = proc->server_data;
    return task_give(&os->task, CAP_DEBUG_SESSION, lifecycle_endpoint(), RIGHT_WRITE,
                     debug_badge_make(proc_global_pid(proc)));
}

/* Copies the requested page of the finished text to the caller. */
static int64_t answer_text(const debug_text_t *t, const debug_request_t *req)
{
    uint64_t count, done = 0;
    int err = debug_text_page(t, req, &count);
    if (err != 0) {
        return err;
    }
    if (count > 0 &&
        reply_copy_to(CAP_REPLY_CURRENT, 0, 0, t->buf + req->offset, count, &done) != KERR_OK) {
        return -EINVAL; /* the descriptor is shorter than MR1, or not writable */
    }
    return (int64_t)t->len;
}

/*
 * A listing of vfs-server's or console-server's: asked with proc-server's
 * own buffer, then copied on. They may Call no one to their left, so this
 * Call cannot deadlock (docs/architecture.md).
 */
static int64_t relay(uint64_t id, cptr_t server, const debug_request_t *req, uint64_t flags)
{
    static char page[DEBUG_PAGE_MAX];
    if (server == CAP_NULL) {
        return -ENOSYS;
    }
    ipc_buffer->descriptors[0] = (buffer_desc_t){(uint64_t)page, req->length, DESC_WRITE};
    uint64_t info = msginfo_with(msginfo_make(req->label, DEBUG_REQUEST_WORDS), 0, 1);
    sys_result_t r = servers_call(id, server, info, req->offset, req->length, req->arg, flags);
    if (r.err == KERR_CANCELLED) {
        return -EAGAIN; /* it died answering: its next instance will answer */
    }
    if (r.err != KERR_OK) {
        return -EIO;
    }
    int64_t total = (int64_t)r.mr[0];
    if (total < 0) {
        return total;
    }
    uint64_t count =
        (uint64_t)total - req->offset < req->length ? (uint64_t)total - req->offset : req->length;
    uint64_t done = 0;
    if (count > 0 && reply_copy_to(CAP_REPLY_CURRENT, 0, 0, page, count, &done) != KERR_OK) {
        return -EINVAL;
    }
    return total;
}

static int make_text(const debug_request_t *req, debug_text_t *t)
{
    proc_table_t *tab = lifecycle_table();
    switch (req->label) {
    case DEBUG_KERNEL:
        debug_caps_kernel(tab, t);
        return 0;
    case DEBUG_PROC_LIST:
        debug_proc_list(tab, t);
        return 0;
    case DEBUG_PROC_TREE:
        debug_proc_tree(tab, t);
        return 0;
    case DEBUG_PROC_SCOPES:
        debug_proc_scopes(tab, t);
        return 0;
    case DEBUG_PROC_SHOW:
        return req->arg > INT32_MAX ? -ESRCH : debug_proc_show(tab, (int)req->arg, t);
    case DEBUG_CAPS:
        return req->arg > INT32_MAX ? -ESRCH
                                    : debug_caps_process(tab, vfs_session, (int)req->arg, t);
    case DEBUG_CONTAINERS:
        debug_containers(tab, vfs_session, t);
        return 0;
    case DEBUG_SERVER_CAPS:
        return debug_caps_server(req->arg, t);
    case DEBUG_SERVER_CRASH: {
        const char *name;
        int err = servers_crash(req->arg, vfs_session, console_session, &name);
        if (err == 0) {
            dt_printf(t, "%s: crash %s\n", name,
                      req->arg >> DEBUG_CRASH_SHIFT != 0 ? "armed" : "requested");
        }
        return err;
    }
    default:
        return -ENOSYS;
    }
}

int64_t debug_ops_request(uint64_t badge, request_t *req)
{
    int holder_pid;
    bool allowed = badge == DEBUG_BADGE_COM2 || /* the debug console server */
                   (debug_badge_parse(badge, &holder_pid) &&
                    debug_ops_may_debug(proc_find_global(lifecycle_table(), holder_pid)));
    if (!allowed) {
        return -EPERM;
    }
    if (!debug_label(req->label)) {
        return -ENOSYS; /* the debug capability carries nothing else */
    }
    debug_request_t dr;
    int err = debug_request_parse(req->label, req->length, req->descriptors, req->mr, &dr);
    if (err != 0) {
        return err;
    }
    if (dr.label == DEBUG_VFS_CRASH || dr.label == DEBUG_CONSOLE_CRASH) {
        return -ENOSYS; /* proc-server's own, and only through DEBUG_SERVER_CRASH */
    }
    if (dr.label >= DEBUG_VFS_FIRST && dr.label <= DEBUG_VFS_LAST) {
        return relay(DEBUG_SERVER_VFS, vfs_session, &dr, req->mr[3]);
    }
    if (dr.label >= DEBUG_CONSOLE_FIRST && dr.label <= DEBUG_CONSOLE_LAST) {
        return relay(DEBUG_SERVER_CONSOLE, console_session, &dr, req->mr[3]);
    }
    debug_text_t t;
    dt_init(&t, text, sizeof(text), dr.json);
    err = make_text(&dr, &t);
    return err != 0 ? err : answer_text(&t, &dr);
}
