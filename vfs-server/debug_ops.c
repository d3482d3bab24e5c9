#include "debug_ops.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "capsule/debug_text.h"
#include "client.h"
#include "proc_table.h"
#include "protocol/debug.h"
#include "protocol/proc_table.h"
#include "protocol/vfs.h"
#include "resolve.h"

#define CONTEXTS_SHOWN_MAX 256 /* distinct contexts a listing names; more: -EFBIG */

static char text[DEBUG_TEXT_MAX];

/* What the contexts listing gathers about one context from the clients. */
typedef struct {
    rootctx_t *ctx;
    unsigned procs;    /* processes attached */
    uint64_t scope;    /* the scope of its first attached process (~0: none) */
    bool mixed_scopes; /* processes of more than one scope are attached */
} ctx_row_t;

typedef struct {
    ctx_row_t rows[CONTEXTS_SHOWN_MAX];
    unsigned count;
    bool overflow;
} ctx_rows_t;

static ctx_row_t *row_of(ctx_rows_t *r, rootctx_t *ctx)
{
    for (unsigned i = 0; i < r->count; i++) {
        if (r->rows[i].ctx == ctx) {
            return &r->rows[i];
        }
    }
    if (r->count == CONTEXTS_SHOWN_MAX) {
        r->overflow = true;
        return NULL;
    }
    r->rows[r->count] = (ctx_row_t){ctx, 0, ~0ull, false};
    return &r->rows[r->count++];
}

static void attach(ctx_rows_t *r, rootctx_t *ctx, int pid)
{
    ctx_row_t *row = ctx != NULL ? row_of(r, ctx) : NULL;
    proc_record_t rec;
    if (row == NULL || pid == 0) {
        return;
    }
    row->procs++;
    uint64_t scope = proc_table_lookup(pid, &rec) ? rec.scope_id : ~0ull;
    if (row->scope == ~0ull) {
        row->scope = scope;
    } else if (row->scope != scope) {
        row->mixed_scopes = true;
    }
}

/* Every context a process is attached to or holds, by walking the clients
 * (every global PID: vfs-server keeps no list of its own). */
static void gather(ctx_rows_t *r)
{
    for (int pid = 1; pid < PROC_TABLE_SLOTS; pid++) {
        client_t *c = client_find(pid);
        if (c == NULL) {
            continue;
        }
        attach(r, c->ctx, pid);
        if (c->spawn_ctx != NULL) {
            row_of(r, c->spawn_ctx);
        }
        for (unsigned i = 0; i < CTX_HANDLES_MAX; i++) {
            if (c->handles.ctx[i] != NULL) {
                row_of(r, c->handles.ctx[i]);
            }
        }
    }
}

static void put_context(debug_text_t *t, const ctx_row_t *row)
{
    const rootctx_t *ctx = row->ctx;
    if (t->json) {
        dt_sep(t);
        dt_printf(t, "{\"id\":%llu,\"refs\":%u,\"mounts\":%u,\"limit\":%u,\"processes\":%u,",
                  (unsigned long long)ctx->id, ctx->refs, ctx->count, ctx->limit, row->procs);
        dt_printf(t,
                  row->scope == ~0ull || row->mixed_scopes ? "\"scope\":null," : "\"scope\":%llu,",
                  (unsigned long long)row->scope);
        dt_printf(t, "\"container\":");
        dt_json_string(t, ctx->label);
        dt_printf(t, ",\"root\":");
        dt_json_string(t, ctx->root->source);
        dt_printf(t, "}");
        return;
    }
    char scope[24];
    debug_text_t s;
    dt_init(&s, scope, sizeof(scope), false);
    if (row->mixed_scopes) {
        dt_printf(&s, "several");
    } else if (row->scope == ~0ull) {
        dt_printf(&s, "-");
    } else {
        dt_printf(&s, "%llu", (unsigned long long)row->scope);
    }
    dt_printf(t, "%5llu %-16s %5u %7u %6u %6u %-8s %s\n", (unsigned long long)ctx->id,
              ctx->label[0] != '\0' ? ctx->label : "-", ctx->refs, ctx->count, ctx->limit,
              row->procs, scope, ctx->root->source);
}

static int list_contexts(debug_text_t *t)
{
    static ctx_rows_t rows; /* big: not on the stack */
    rows.count = 0;
    rows.overflow = false;
    gather(&rows);
    if (rows.overflow) {
        return -EFBIG;
    }
    if (t->json) {
        dt_open(t, '[');
    } else {
        dt_printf(t, "%5s %-16s %5s %7s %6s %6s %-8s %s\n", "CTX", "CONTAINER", "REFS", "MOUNTS",
                  "LIMIT", "PROCS", "SCOPE", "ROOT");
    }
    for (unsigned i = 0; i < rows.count; i++) {
        put_context(t, &rows.rows[i]);
    }
    if (t->json) {
        dt_close(t, ']');
        dt_printf(t, "\n");
    }
    return 0;
}

static rootctx_t *find_context(uint64_t id)
{
    static ctx_rows_t rows;
    rows.count = 0;
    rows.overflow = false;
    gather(&rows);
    for (unsigned i = 0; i < rows.count; i++) {
        if (rows.rows[i].ctx->id == id) {
            return rows.rows[i].ctx;
        }
    }
    return NULL;
}

static int list_mounts(uint64_t id, debug_text_t *t)
{
    rootctx_t *ctx = find_context(id);
    char *where = ctx != NULL ? malloc(VFS_PATH_MAX) : NULL;
    if (where == NULL) {
        return ctx == NULL ? -ESRCH : -ENOMEM;
    }
    vfs_path_t root = rootctx_root(ctx);
    if (t->json) {
        dt_open(t, '[');
    } else {
        dt_printf(t, "%-24s %-28s %-8s %-3s %s\n", "SOURCE", "PATH", "TYPE", "RW", "FLAGS");
    }
    for (const mount_t *m = ctx->first; m != NULL; m = m->next) {
        vfs_path_t p = {(mount_t *)m, m->root};
        if (resolve_getcwd(&root, &p, where, VFS_PATH_MAX) < 0) {
            continue; /* hidden under another mount */
        }
        const char *rw = (m->flags & MOUNT_RDONLY) ? "ro" : "rw";
        if (t->json) {
            dt_sep(t);
            dt_printf(t, "{\"source\":");
            dt_json_string(t, m->source);
            dt_printf(t, ",\"path\":");
            dt_json_string(t, where);
            dt_printf(t, ",\"type\":\"%s\",\"rw\":\"%s\",\"locked\":%s}", m->fs->type, rw,
                      (m->flags & MOUNT_LOCKED) ? "true" : "false");
        } else {
            dt_printf(t, "%-24s %-28s %-8s %-3s %s\n", m->source, where, m->fs->type, rw,
                      (m->flags & MOUNT_LOCKED) ? "locked" : "-");
        }
    }
    free(where);
    if (t->json) {
        dt_close(t, ']');
        dt_printf(t, "\n");
    }
    return 0;
}

static const char *file_kind(const file_t *f)
{
    if (f->pipe != NULL) {
        return "pipe";
    }
    return f->dev != NULL ? (f->dev->is_tty ? "tty" : "device") : "file";
}

static int list_files(uint64_t pid, debug_text_t *t)
{
    client_t *c = pid > 0 && pid < PROC_TABLE_SLOTS ? client_find((int)pid) : NULL;
    if (c == NULL) {
        return -ESRCH;
    }
    if (t->json) {
        dt_open(t, '[');
    } else {
        dt_printf(t, "%4s %-7s %-6s %10s %-5s %s\n", "FD", "KIND", "FLAGS", "OFFSET", "CLOEX",
                  "NAME");
    }
    for (unsigned fd = 0; fd < FD_MAX; fd++) {
        const file_t *f = c->fds.files[fd];
        if (f == NULL) {
            continue;
        }
        const char *acc = (f->flags & 3) == 0 ? "r" : (f->flags & 3) == 1 ? "w" : "rw";
        if (t->json) {
            dt_sep(t);
            dt_printf(t,
                      "{\"fd\":%u,\"kind\":\"%s\",\"access\":\"%s\",\"offset\":%llu,"
                      "\"cloexec\":%s,\"name\":",
                      fd, file_kind(f), acc, (unsigned long long)f->offset,
                      c->fds.cloexec[fd] ? "true" : "false");
            dt_json_string(t, f->name);
            dt_printf(t, "}");
        } else {
            dt_printf(t, "%4u %-7s %-6s %10llu %-5s %s\n", fd, file_kind(f), acc,
                      (unsigned long long)f->offset, c->fds.cloexec[fd] ? "yes" : "no",
                      f->name != NULL ? f->name : "?");
        }
    }
    if (t->json) {
        dt_close(t, ']');
        dt_printf(t, "\n");
    }
    return 0;
}

static int context_of(uint64_t pid, debug_text_t *t)
{
    client_t *c = pid > 0 && pid < PROC_TABLE_SLOTS ? client_find((int)pid) : NULL;
    if (c == NULL || c->ctx == NULL) {
        return -ESRCH;
    }
    if (t->json) {
        dt_printf(t, "{\"pid\":%llu,\"context\":%llu}\n", (unsigned long long)pid,
                  (unsigned long long)c->ctx->id);
    } else {
        dt_printf(t, "%llu\n", (unsigned long long)c->ctx->id);
    }
    return 0;
}

static int make_text(const debug_request_t *req, debug_text_t *t)
{
    switch (req->label) {
    case DEBUG_VFS_CONTEXTS:
        return list_contexts(t);
    case DEBUG_VFS_MOUNTS:
        return list_mounts(req->arg, t);
    case DEBUG_VFS_FILES:
        return list_files(req->arg, t);
    case DEBUG_VFS_CONTEXT_OF:
        return context_of(req->arg, t);
    default:
        return -ENOSYS;
    }
}

/* proc-server's test of its restart (docs/restart.md): a real page
 * fault, as a bug would make */
static void crash(void)
{
    fprintf(stderr, "vfs-server: crashing as asked\n");
    volatile uint64_t *volatile nowhere = NULL;
    *nowhere = 0;
}

/* The label of proc-server's request to crash at (DEBUG_VFS_CRASH), or 0. */
static uint64_t crash_at;

void debug_ops_crash_point(uint64_t label)
{
    if (crash_at != 0 && label == crash_at) {
        crash();
    }
}

/* DEBUG_VFS_CRASH: now, or armed for one of the Calls proc-server makes
 * while it forks, spawns or execs; any other word is ignored. */
static void crash_request(uint64_t at)
{
    if (at == 0) {
        crash();
    }
    if (at == VFS_PROC_CREATE || at == VFS_PROC_SPAWN || at == VFS_EXEC_READ) {
        crash_at = at;
        fprintf(stderr, "vfs-server: armed to crash at proc-server's next %#llx\n",
                (unsigned long long)at);
    }
}

int64_t debug_ops_dispatch(uint64_t badge, const request_t *req)
{
    if (badge != VFS_BADGE_PROC_SERVER) {
        return -EPERM; /* the debug capability is proc-server's to check */
    }
    if (req->label == DEBUG_VFS_CRASH) {
        crash_request(req->length >= 1 ? req->mr[0] : 0);
        return 0; /* a Send: nobody reads it */
    }
    debug_request_t dr;
    int err = debug_request_parse(req->label, req->length, req->descriptors, req->mr, &dr);
    if (err != 0) {
        return err;
    }
    debug_text_t t;
    dt_init(&t, text, sizeof(text), dr.json);
    uint64_t count;
    if ((err = make_text(&dr, &t)) != 0 || (err = debug_text_page(&t, &dr, &count)) != 0) {
        return err;
    }
    if (count > 0 && request_copy_out(0, 0, text + dr.offset, count) != 0) {
        return -EINVAL;
    }
    return (int64_t)t.len;
}
