#include "debug_proc.h"

#include <errno.h>
#include <string.h>

#include "hostname.h"
#include "scope.h"

#define TREE_DEPTH_MAX 64 /* deeper trees are shown flat at this indent */

static int parent_pid(const process_t *proc)
{
    return proc->parent != NULL ? proc_global_pid(proc->parent) : 0;
}

/* A group or session by its leader's global number (0: none). */
static int entry_pid(const pid_entry_t *e)
{
    return e != NULL ? e->nrs[0].nr : 0;
}

static const char *container_of(const scope_t *scope)
{
    return scope->name != NULL ? scope->name : (scope->parent == NULL ? "(host)" : "-");
}

/* argv separated by spaces, as a text column or a JSON array. */
static void put_cmdline(debug_text_t *t, const process_t *proc)
{
    if (t->json) {
        dt_open(t, '[');
    }
    for (size_t off = 0; off < proc->cmdline_len;) {
        const char *arg = proc->cmdline + off;
        size_t n = strnlen(arg, proc->cmdline_len - off);
        if (t->json) {
            dt_sep(t);
            dt_json_bytes(t, arg, n);
        } else {
            dt_printf(t, off == 0 ? "%.*s" : " %.*s", (int)n, arg);
        }
        off += n + 1;
    }
    if (t->json) {
        dt_close(t, ']');
    }
}

/* The PIDs of proc from the root scope down to its own: "57/1". */
static void put_pid_path(debug_text_t *t, const process_t *proc)
{
    for (unsigned level = 0; level <= proc->pid->level; level++) {
        dt_printf(t, level == 0 ? "%d" : "/%d", proc->pid->nrs[level].nr);
    }
}

/* The members of a process's JSON object, without the braces. */
static void put_process_members(debug_text_t *t, const process_t *proc)
{
    dt_printf(t, "\"pid\":%d,\"ppid\":%d,\"pids\":\"", proc_global_pid(proc), parent_pid(proc));
    put_pid_path(t, proc);
    dt_printf(t, "\",\"scope\":%llu,\"container\":", (unsigned long long)proc->scope->id);
    dt_json_string(t, proc->scope->name);
    dt_printf(t, ",\"state\":\"%s\",\"jailed\":%s,\"comm\":", proc_state_name(proc->state),
              proc->jailed ? "true" : "false");
    dt_json_string(t, proc->comm);
    dt_printf(t, ",\"cmdline\":");
    put_cmdline(t, proc);
}

static void put_process_json(debug_text_t *t, const process_t *proc)
{
    dt_sep(t);
    dt_printf(t, "{");
    put_process_members(t, proc);
    dt_close(t, '}');
}

static void put_process_line(debug_text_t *t, const process_t *proc, unsigned indent)
{
    char pids[64];
    debug_text_t p;
    dt_init(&p, pids, sizeof(pids), false);
    put_pid_path(&p, proc);
    dt_printf(t, "%6d %6d  %-12s %-12s %-8s %-4s %*s%-16s ", proc_global_pid(proc),
              parent_pid(proc), pids, container_of(proc->scope), proc_state_name(proc->state),
              proc->jailed ? "yes" : "no", (int)(2 * indent), "", proc->comm);
    put_cmdline(t, proc);
    dt_printf(t, "\n");
}

static void list_header(debug_text_t *t)
{
    dt_printf(t, "%6s %6s  %-12s %-12s %-8s %-4s %-16s %s\n", "PID", "PPID", "PIDS", "CONTAINER",
              "STATE", "JAIL", "COMM", "CMDLINE");
}

void debug_proc_list(const proc_table_t *tab, debug_text_t *t)
{
    if (t->json) {
        dt_open(t, '[');
    } else {
        list_header(t);
    }
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        if (t->json) {
            put_process_json(t, proc);
        } else {
            put_process_line(t, proc, 0);
        }
    }
    if (t->json) {
        dt_close(t, ']');
        dt_printf(t, "\n");
    }
}

static void tree_under(debug_text_t *t, const process_t *proc, unsigned depth)
{
    if (t->json) {
        dt_sep(t);
        dt_printf(t, "{");
        put_process_members(t, proc);
        dt_printf(t, ",\"children\":");
        dt_open(t, '[');
    } else {
        put_process_line(t, proc, depth < TREE_DEPTH_MAX ? depth : TREE_DEPTH_MAX);
    }
    const list_node_t *pos;
    list_for_each(pos, &proc->children)
    {
        tree_under(t, list_entry(pos, process_t, sibling), depth + 1);
    }
    if (t->json) {
        dt_close(t, ']');
        dt_close(t, '}');
    }
}

void debug_proc_tree(const proc_table_t *tab, debug_text_t *t)
{
    if (t->json) {
        dt_open(t, '[');
    } else {
        list_header(t);
    }
    /* the roots: processes without a parent (init, orphans of a dying scope) */
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        if (proc->parent == NULL) {
            tree_under(t, proc, 0);
        }
    }
    if (t->json) {
        dt_close(t, ']');
        dt_printf(t, "\n");
    }
}

static void put_scope(debug_text_t *t, const scope_t *scope, unsigned depth)
{
    const process_t *init = scope->init;
    long long hostctx = init != NULL && init->hostname != NULL ? (long long)init->hostname->id : -1;
    if (t->json) {
        dt_sep(t);
        dt_printf(t, "{\"id\":%llu,\"parent\":", (unsigned long long)scope->id);
        dt_printf(t, scope->parent != NULL ? "%llu" : "null",
                  scope->parent != NULL ? (unsigned long long)scope->parent->id : 0ull);
        dt_printf(t, ",\"container\":");
        dt_json_string(t, scope->name);
        dt_printf(t, ",\"bundle\":");
        dt_json_string(t, scope->bundle);
        dt_printf(t, ",\"state\":\"%s\",\"limit\":", scope_state_name(scope->state));
        dt_printf(t, scope->limit == SCOPE_NO_LIMIT ? "null" : "%u", scope->limit);
        dt_printf(t, ",\"count\":%u,\"pid1\":%d,\"hostname_ctx\":", scope->count,
                  init != NULL ? proc_global_pid(init) : 0);
        dt_printf(t, hostctx < 0 ? "null}" : "%lld}", hostctx);
    } else {
        char id[96];
        debug_text_t s;
        dt_init(&s, id, sizeof(id), false);
        dt_printf(&s, "%*s%llu", (int)(2 * (depth < TREE_DEPTH_MAX ? depth : TREE_DEPTH_MAX)), "",
                  (unsigned long long)scope->id);
        char limit[16];
        debug_text_t l;
        dt_init(&l, limit, sizeof(limit), false);
        dt_printf(&l, scope->limit == SCOPE_NO_LIMIT ? "-" : "%u", scope->limit);
        dt_printf(t, "%-10s %-16s %-9s %6s %6u %6d ", id, container_of(scope),
                  scope_state_name(scope->state), limit, scope->count,
                  init != NULL ? proc_global_pid(init) : 0);
        if (hostctx < 0) {
            dt_printf(t, "%8s ", "-");
        } else {
            dt_printf(t, "%8lld ", hostctx);
        }
        dt_printf(t, "%s\n", scope->bundle != NULL ? scope->bundle : "-");
    }
    const list_node_t *pos;
    list_for_each(pos, &scope->children)
    {
        put_scope(t, list_entry(pos, scope_t, sibling), depth + 1);
    }
}

void debug_proc_scopes(const proc_table_t *tab, debug_text_t *t)
{
    if (t->json) {
        dt_open(t, '[');
    } else {
        dt_printf(t, "%-10s %-16s %-9s %6s %6s %6s %8s %s\n", "SCOPE", "CONTAINER", "STATE",
                  "LIMIT", "COUNT", "PID1", "HOSTCTX", "BUNDLE");
    }
    put_scope(t, tab->root_scope, 0);
    if (t->json) {
        dt_close(t, ']');
        dt_printf(t, "\n");
    }
}

int debug_proc_show(const proc_table_t *tab, int global_pid, debug_text_t *t)
{
    const process_t *proc = proc_find_global(tab, global_pid);
    if (proc == NULL) {
        return -ESRCH;
    }
    if (t->json) {
        dt_printf(t, "{");
        put_process_members(t, proc);
        dt_printf(t, ",\"pgrp\":%d,\"sid\":%d,\"hostname_ctx\":", entry_pid(proc->pgrp),
                  entry_pid(proc->session));
        dt_printf(t, proc->hostname != NULL ? "%llu" : "null",
                  proc->hostname != NULL ? (unsigned long long)proc->hostname->id : 0ull);
        dt_printf(t, ",\"exe\":");
        dt_json_string(t, proc->exe);
        dt_printf(t, "}\n");
        return 0;
    }
    dt_printf(t, "pid:          %d (", global_pid);
    put_pid_path(t, proc);
    dt_printf(t, " from the root scope down)\nppid:         %d\n", parent_pid(proc));
    dt_printf(t, "scope:        %llu (container %s)\n", (unsigned long long)proc->scope->id,
              container_of(proc->scope));
    dt_printf(t, "pgrp:         %d\nsession:      %d\n", entry_pid(proc->pgrp),
              entry_pid(proc->session));
    dt_printf(t, "state:        %s\njailed:       %s\n", proc_state_name(proc->state),
              proc->jailed ? "yes" : "no");
    if (proc->hostname != NULL) {
        dt_printf(t, "hostname ctx: %llu (%s)\n", (unsigned long long)proc->hostname->id,
                  proc->hostname->hostname);
    }
    dt_printf(t, "comm:         %s\nexe:          %s\ncmdline:      ", proc->comm,
              proc->exe != NULL ? proc->exe : "-");
    put_cmdline(t, proc);
    dt_printf(t, "\n");
    return 0;
}
