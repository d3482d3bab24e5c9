#include "debug_containers.h"

#include <stdio.h>
#include <stdlib.h>

#include "capsule/server.h"
#include "hostname.h"
#include "lifecycle.h"
#include "protocol/debug.h"
#include "scope.h"
#include "servers.h"

long long debug_context_of(cptr_t vfs, int global_pid)
{
    char text[32];
    if (vfs == CAP_NULL || global_pid <= 0) {
        return -1;
    }
    ipc_buffer->descriptors[0] = (buffer_desc_t){(uint64_t)text, sizeof(text) - 1, DESC_WRITE};
    uint64_t info = msginfo_with(msginfo_make(DEBUG_VFS_CONTEXT_OF, DEBUG_REQUEST_WORDS), 0, 1);
    sys_result_t r =
        servers_call(DEBUG_SERVER_VFS, vfs, info, 0, sizeof(text) - 1, (uint64_t)global_pid, 0);
    int64_t len = r.err == KERR_OK ? (int64_t)r.mr[0] : -1;
    if (len <= 0 || len >= (int64_t)sizeof(text)) {
        return -1;
    }
    text[len] = '\0';
    char *end;
    long long id = strtoll(text, &end, 10);
    return end != text && *end == '\n' ? id : -1;
}

/* Kernel memory (bytes) used by the pools of the processes of scope and
 * its sub-scopes. */
static uint64_t memory_of(const proc_table_t *tab, const scope_t *scope)
{
    uint64_t sum = 0;
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        const process_os_t *os = proc->server_data;
        uint64_t budget, used, objects;
        if (scope_contains(scope, proc->scope) && os != NULL && os->task.pool != CAP_NULL &&
            pool_info(os->task.pool, &budget, &used, &objects) == KERR_OK) {
            sum += used;
        }
    }
    return sum;
}

typedef struct {
    const scope_t *scope;
    const process_t *init;
    long long context, hostctx;
    const char *hostname;
    uint64_t used;
} container_row_t;

static void put_row_json(debug_text_t *t, const container_row_t *r)
{
    const scope_t *s = r->scope;
    dt_sep(t);
    dt_printf(t, "{\"scope\":%llu,\"parent\":%llu,\"container\":", (unsigned long long)s->id,
              (unsigned long long)s->parent->id);
    dt_json_string(t, s->name);
    dt_printf(t, ",\"state\":\"%s\",\"pid1\":%d,\"processes\":%u,\"limit\":",
              scope_state_name(s->state), r->init != NULL ? proc_global_pid(r->init) : 0, s->count);
    dt_printf(t, s->limit == SCOPE_NO_LIMIT ? "null" : "%u", s->limit);
    dt_printf(t, r->context < 0 ? ",\"context\":null" : ",\"context\":%lld", r->context);
    dt_printf(t, r->hostctx < 0 ? ",\"hostname_ctx\":null" : ",\"hostname_ctx\":%lld", r->hostctx);
    dt_printf(t, ",\"hostname\":");
    dt_json_string(t, r->hostname);
    dt_printf(t, ",\"memory_used\":%llu,\"jailed\":%s}", (unsigned long long)r->used,
              r->init != NULL && r->init->jailed ? "true" : "false");
}

static void put_row_text(debug_text_t *t, const container_row_t *r)
{
    const scope_t *s = r->scope;
    char limit[16] = "-", ctx[24] = "-", host[96];
    if (s->limit != SCOPE_NO_LIMIT) {
        snprintf(limit, sizeof(limit), "%u", s->limit);
    }
    if (r->context >= 0) {
        snprintf(ctx, sizeof(ctx), "%lld", r->context);
    }
    if (r->hostctx < 0) {
        snprintf(host, sizeof(host), "-");
    } else {
        snprintf(host, sizeof(host), "%lld:%s", r->hostctx, r->hostname);
    }
    dt_printf(t, "%6llu %-16s %-9s %6d %6u %6s %6s %-20s %9llu %-4s\n", (unsigned long long)s->id,
              s->name != NULL ? s->name : "-", scope_state_name(s->state),
              r->init != NULL ? proc_global_pid(r->init) : 0, s->count, limit, ctx, host,
              (unsigned long long)(r->used >> 10),
              r->init == NULL   ? "-"
              : r->init->jailed ? "yes"
                                : "no");
}

static void put_tree(const proc_table_t *tab, cptr_t vfs, const scope_t *scope, debug_text_t *t)
{
    const list_node_t *pos;
    list_for_each(pos, &scope->children)
    {
        const scope_t *s = list_entry(pos, scope_t, sibling);
        const process_t *init = s->init;
        container_row_t r = {s, init, -1, -1, NULL, memory_of(tab, s)};
        if (init != NULL && init->state != PROC_ZOMBIE) {
            r.context = debug_context_of(vfs, proc_global_pid(init));
        }
        if (init != NULL && init->hostname != NULL) {
            r.hostctx = (long long)init->hostname->id;
            r.hostname = init->hostname->hostname;
        }
        if (t->json) {
            put_row_json(t, &r);
        } else {
            put_row_text(t, &r);
        }
        put_tree(tab, vfs, s, t);
    }
}

void debug_containers(const proc_table_t *tab, cptr_t vfs, debug_text_t *t)
{
    if (t->json) {
        dt_open(t, '[');
    } else {
        dt_printf(t, "%6s %-16s %-9s %6s %6s %6s %6s %-20s %9s %-4s\n", "SCOPE", "CONTAINER",
                  "STATE", "PID1", "PROCS", "LIMIT", "CTX", "HOSTNAME", "MEM KiB", "JAIL");
    }
    put_tree(tab, vfs, tab->root_scope, t);
    if (t->json) {
        dt_close(t, ']');
        dt_printf(t, "\n");
    }
}
