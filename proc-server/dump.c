/* Debug text: processes, scopes and hostname contexts, truncation-safe. */
#include "dump.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hostname.h"

/* A caller's buffer being filled; len counts what was asked, written or not. */
typedef struct textbuf {
    char *buf;
    size_t size;
    size_t len;
} textbuf_t;

__attribute__((format(printf, 2, 3))) static void text_printf(textbuf_t *tb, const char *fmt, ...)
{
    size_t room = tb->len < tb->size ? tb->size - tb->len : 0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(room > 0 ? tb->buf + tb->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) {
        tb->len += (size_t)n;
    }
}

static textbuf_t text_start(char *buf, size_t size)
{
    if (size > 0) {
        buf[0] = '\0';
    }
    return (textbuf_t){.buf = buf, .size = size, .len = 0};
}

static void dump_scope_label(textbuf_t *tb, const scope_t *scope)
{
    if (scope->name != NULL) {
        text_printf(tb, "%llu:%s", (unsigned long long)scope->id, scope->name);
    } else {
        text_printf(tb, "%llu", (unsigned long long)scope->id);
    }
}

/* The PIDs of proc from the root scope down to its own, "57/1". */
static void dump_pid_path(textbuf_t *tb, const process_t *proc)
{
    for (unsigned level = 0; level <= proc->pid->level; level++) {
        text_printf(tb, level == 0 ? "%d" : "/%d", proc->pid->nrs[level].nr);
    }
}

/* argv separated by spaces. */
static void dump_cmdline(textbuf_t *tb, const process_t *proc)
{
    for (size_t off = 0; off < proc->cmdline_len;) {
        const char *arg = proc->cmdline + off;
        text_printf(tb, off == 0 ? "%s" : " %s", arg);
        off += strlen(arg) + 1;
    }
}

static void dump_process(textbuf_t *tb, const process_t *proc)
{
    text_printf(tb, "%d %d ", proc_global_pid(proc),
                proc->parent != NULL ? proc_global_pid(proc->parent) : 0);
    dump_pid_path(tb, proc);
    text_printf(tb, " ");
    dump_scope_label(tb, proc->scope);
    text_printf(tb, " %s (%s) ", proc_state_name(proc->state), proc->comm);
    dump_cmdline(tb, proc);
    text_printf(tb, "\n");
}

size_t dump_processes(const proc_table_t *tab, const scope_t *viewer, char *buf, size_t size)
{
    textbuf_t tb = text_start(buf, size);
    text_printf(&tb, "GPID PPID PIDS SCOPE STATE (COMM) CMDLINE\n");
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        if (viewer == NULL || scope_contains(viewer, proc->scope)) {
            dump_process(&tb, proc);
        }
    }
    return tb.len;
}

static void dump_scope_line(textbuf_t *tb, const scope_t *scope, unsigned indent)
{
    text_printf(tb, "%*s", (int)(2 * indent), "");
    dump_scope_label(tb, scope);
    text_printf(tb, " %s", scope_state_name(scope->state));
    if (scope->limit == SCOPE_NO_LIMIT) {
        text_printf(tb, " -");
    } else {
        text_printf(tb, " %u", scope->limit);
    }
    text_printf(tb, " %u", scope->count);
    const process_t *init = scope->init;
    if (init != NULL && init->hostname != NULL) {
        text_printf(tb, " %llu", (unsigned long long)init->hostname->id);
    } else {
        text_printf(tb, " -");
    }
    if (init != NULL) {
        text_printf(tb, " %d\n", proc_global_pid(init));
    } else {
        text_printf(tb, " -\n");
    }
}

static void dump_scope_tree(textbuf_t *tb, const scope_t *scope, unsigned indent)
{
    dump_scope_line(tb, scope, indent);
    const list_node_t *pos;
    list_for_each(pos, &scope->children)
    {
        dump_scope_tree(tb, list_entry(pos, scope_t, sibling), indent + 1);
    }
}

size_t dump_scopes(const proc_table_t *tab, const scope_t *top, char *buf, size_t size)
{
    textbuf_t tb = text_start(buf, size);
    text_printf(&tb, "SCOPE STATE LIMIT COUNT HOSTNAME PID1\n");
    dump_scope_tree(&tb, top != NULL ? top : tab->root_scope, 0);
    return tb.len;
}

size_t dump_hostnames(const proc_table_t *tab, char *buf, size_t size)
{
    textbuf_t tb = text_start(buf, size);
    text_printf(&tb, "CTX REFS HOSTNAME DOMAIN\n");
    const list_node_t *pos;
    list_for_each(pos, &tab->hostnames)
    {
        const hostname_ctx_t *ctx = list_entry(pos, hostname_ctx_t, link);
        text_printf(&tb, "%llu %u %s %s\n", (unsigned long long)ctx->id, ctx->refs, ctx->hostname,
                    ctx->domainname);
    }
    return tb.len;
}
