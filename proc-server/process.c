/*
 * The process table: creating processes (spawn, fork), what exec changes, the
 * PID views of a process, the jail flag, job-control state and reaping. Exit
 * is in exit.c, wait4 in wait.c.
 */
#include "process.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostname.h"
#include "scope.h"

proc_table_t *proc_table_create(int pid_max)
{
    proc_table_t *tab = calloc(1, sizeof(*tab));
    if (tab == NULL) {
        return NULL;
    }
    tab->pid_max = pid_max > 2 ? pid_max : PROC_PID_MAX_DEFAULT;
    list_init(&tab->procs);
    list_init(&tab->hostnames);
    tab->next_scope_id = 1;
    tab->root_scope = scope_alloc_root();
    tab->root_hostname = hostname_alloc_root(tab, "capsule", "(none)");
    if (tab->root_scope == NULL || tab->root_hostname == NULL || pid_hash_init(&tab->pids) < 0) {
        proc_table_destroy(tab);
        return NULL;
    }
    return tab;
}

static void proc_free(process_t *proc)
{
    free(proc->exe);
    free(proc->cmdline);
    free(proc);
}

void proc_table_destroy(proc_table_t *tab)
{
    list_node_t *pos, *tmp;
    list_for_each_safe(pos, tmp, &tab->procs)
    {
        proc_free(list_entry(pos, process_t, link));
    }
    if (tab->pids.buckets != NULL) {
        pid_entry_free_all(&tab->pids);
        pid_hash_fini(&tab->pids);
    }
    if (tab->root_scope != NULL) {
        scope_free_tree(tab->root_scope);
    }
    hostname_free_all(tab);
    free(tab);
}

void proc_table_set_release(proc_table_t *tab, proc_release_fn *release, void *arg)
{
    tab->release = release;
    tab->release_arg = arg;
}

void proc_table_set_change(proc_table_t *tab, proc_change_fn *change, void *arg)
{
    tab->change = change;
    tab->change_arg = arg;
}

void proc_changed(const process_t *proc)
{
    if (proc->table->change != NULL) {
        proc->table->change(proc, false, proc->table->change_arg);
    }
}

/* argv joined with NUL terminators, cut to PROC_CMDLINE_MAX bytes; NULL on ENOMEM. */
static char *proc_join_argv(const char *const *argv, size_t *len_out)
{
    size_t len = 0;
    for (size_t i = 0; argv != NULL && argv[i] != NULL && len < PROC_CMDLINE_MAX; i++) {
        len += strlen(argv[i]) + 1;
    }
    if (len > PROC_CMDLINE_MAX) {
        len = PROC_CMDLINE_MAX;
    }
    char *cmdline = malloc(len + 1);
    if (cmdline == NULL) {
        return NULL;
    }
    size_t off = 0;
    for (size_t i = 0; off < len; i++) {
        size_t n = strlen(argv[i]) + 1;
        memcpy(cmdline + off, argv[i], n <= len - off ? n : len - off);
        off += n;
    }
    cmdline[len] = '\0'; /* so a cut command line still ends in a NUL */
    *len_out = len;
    return cmdline;
}

static void proc_store_comm(process_t *proc, const char *name)
{
    memset(proc->comm, 0, sizeof(proc->comm));
    strncpy(proc->comm, name, PROC_COMM_LEN - 1);
}

void proc_set_comm(process_t *proc, const char *name)
{
    proc_store_comm(proc, name);
    proc_changed(proc);
}

/* Linux's rule: comm is the basename of the path given to execve. */
static void proc_set_comm_from_exe(process_t *proc, const char *exe)
{
    const char *slash = strrchr(exe, '/');
    proc_store_comm(proc, slash != NULL ? slash + 1 : exe);
}

/*
 * Charges scope and allocates the PID of a new record whose other fields are
 * set; on success links it into the table, its parent, its scope (as PID 1
 * when it is the first) and hostname context. Nothing to undo on failure.
 */
static int proc_commit_new(proc_table_t *tab, process_t *proc, process_t *parent,
                           hostname_ctx_t *ctx)
{
    int err = scope_charge(proc->scope);
    if (err < 0) {
        return err;
    }
    err = pid_entry_alloc(&tab->pids, proc->scope, tab->pid_max, &proc->pid);
    if (err < 0) {
        scope_uncharge(proc->scope);
        return err;
    }
    proc->pid->proc = proc;
    list_add_tail(&tab->procs, &proc->link);
    proc->parent = parent;
    if (parent != NULL) {
        list_add_tail(&parent->children, &proc->sibling);
    }
    if (proc_getpid(proc) == 1) {
        proc->scope->init = proc;
    }
    hostname_get(ctx);
    proc->hostname = ctx;
    return 0;
}

/* A spawned process joins its parent's group and session, but one created
 * in another scope than its parent's (a container's PID 1, a process joining
 * a container) leads a session of its own: groups and sessions never span
 * scopes, so a container shares no job control with whoever made it. */
static void proc_join_family(process_t *proc, const process_t *parent)
{
    bool leader = parent == NULL || parent->scope != proc->scope;
    proc->pgrp = leader ? proc->pid : parent->pgrp;
    proc->session = leader ? proc->pid : parent->session;
    pid_entry_get(proc->pgrp);
    pid_entry_get(proc->session);
}

/* Makes a new process one of a joined container's (none: NULL), its init if
 * it is the first; counted in the record alone, its host being charged
 * already (scope.h). */
static void proc_set_joined(process_t *proc, scope_t *joined)
{
    proc->joined = joined;
    if (joined != NULL) {
        scope_get(joined);
        joined->count++;
        if (joined->init == NULL && joined->count == 1) {
            joined->init = proc;
        }
    }
}

static process_t *proc_alloc(proc_table_t *tab, scope_t *scope, uint64_t start_time,
                             void *server_data)
{
    process_t *proc = calloc(1, sizeof(*proc));
    if (proc == NULL) {
        return NULL;
    }
    proc->table = tab;
    list_init(&proc->children);
    list_init(&proc->sibling);
    proc->scope = scope;
    proc->state = PROC_RUNNING;
    proc->start_time = start_time;
    proc->server_data = server_data;
    return proc;
}

/* The checks of proc_spawn that need no allocation, in the documented order. */
static int proc_spawn_check(const process_t *parent, const scope_t *scope,
                            const hostname_ctx_t *ctx, const char *exe)
{
    if (parent != NULL) {
        if (parent->jailed && (scope != parent->scope || ctx != parent->hostname)) {
            return -EPERM;
        }
        if (!scope_contains(parent->scope, scope)) {
            return -EPERM;
        }
        if (parent->state == PROC_ZOMBIE) {
            return -EINVAL;
        }
    }
    if (scope_is_dying(scope) || exe == NULL) {
        return -EINVAL;
    }
    return 0;
}

int proc_spawn(proc_table_t *tab, const proc_spawn_args_t *args, process_t **out)
{
    process_t *parent = args->parent;
    scope_t *scope = args->scope;
    if (scope == NULL) {
        scope = parent != NULL ? parent->scope : tab->root_scope;
    }
    hostname_ctx_t *ctx = args->hostname;
    if (ctx == NULL) {
        ctx = parent != NULL ? parent->hostname : tab->root_hostname;
    }
    int err = proc_spawn_check(parent, scope, ctx, args->exe);
    if (err < 0) {
        return err;
    }
    scope_t *joined = scope->host != NULL ? scope : NULL;
    if (joined != NULL) {
        scope = joined->host; /* checked with the record: below it the host dies first */
        if (scope_is_dying(scope)) {
            return -EINVAL;
        }
    } else if (parent != NULL && scope == parent->scope) {
        joined = parent->joined;
    }
    process_t *proc = proc_alloc(tab, scope, args->start_time, args->server_data);
    if (proc == NULL) {
        return -ENOMEM;
    }
    err = -ENOMEM;
    proc->exe = strdup(args->exe);
    proc->cmdline = proc_join_argv(args->argv, &proc->cmdline_len);
    if (proc->exe == NULL || proc->cmdline == NULL) {
        goto fail;
    }
    err = proc_commit_new(tab, proc, parent, ctx);
    if (err < 0) {
        goto fail;
    }
    proc_set_comm_from_exe(proc, proc->exe);
    proc->jailed = parent != NULL && parent->jailed;
    proc->dropped = parent != NULL ? parent->dropped : 0;
    proc_set_joined(proc, joined);
    proc_join_family(proc, parent);
    proc_changed(proc);
    *out = proc;
    return 0;
fail:
    proc_free(proc);
    return err;
}

int proc_fork(proc_table_t *tab, process_t *parent, uint64_t start_time, void *server_data,
              process_t **out)
{
    if (parent->state == PROC_ZOMBIE || scope_is_dying(parent->scope) ||
        (parent->joined != NULL && scope_is_dying(parent->joined))) {
        return -EINVAL;
    }
    process_t *proc = proc_alloc(tab, parent->scope, start_time, server_data);
    if (proc == NULL) {
        return -ENOMEM;
    }
    int err = -ENOMEM;
    proc->exe = strdup(parent->exe);
    proc->cmdline = malloc(parent->cmdline_len + 1);
    if (proc->exe == NULL || proc->cmdline == NULL) {
        goto fail;
    }
    memcpy(proc->cmdline, parent->cmdline, parent->cmdline_len + 1);
    proc->cmdline_len = parent->cmdline_len;
    err = proc_commit_new(tab, proc, parent, parent->hostname);
    if (err < 0) {
        goto fail;
    }
    memcpy(proc->comm, parent->comm, sizeof(proc->comm));
    proc->jailed = parent->jailed;
    proc->dropped = parent->dropped;
    proc_set_joined(proc, parent->joined);
    proc_join_family(proc, parent);
    proc_changed(proc);
    *out = proc;
    return 0;
fail:
    proc_free(proc);
    return err;
}

int proc_set_exe(process_t *proc, const char *exe)
{
    char *copy = strdup(exe);
    if (copy == NULL) {
        return -ENOMEM;
    }
    free(proc->exe);
    proc->exe = copy;
    proc_changed(proc);
    return 0;
}

int proc_exec(process_t *proc, const char *exe, const char *const *argv)
{
    if (exe == NULL) {
        return -EINVAL;
    }
    size_t cmdline_len;
    char *exe_copy = strdup(exe);
    char *cmdline = proc_join_argv(argv, &cmdline_len);
    if (exe_copy == NULL || cmdline == NULL) {
        free(exe_copy);
        free(cmdline);
        return -ENOMEM;
    }
    free(proc->exe);
    free(proc->cmdline);
    proc->exe = exe_copy;
    proc->cmdline = cmdline;
    proc->cmdline_len = cmdline_len;
    proc_set_comm_from_exe(proc, exe_copy);
    proc->execed = true;
    proc_changed(proc);
    return 0;
}

process_t *proc_find(const proc_table_t *tab, const scope_t *scope, int nr)
{
    pid_entry_t *entry = pid_entry_find(&tab->pids, scope, nr);
    return entry != NULL ? entry->proc : NULL;
}

process_t *proc_find_global(const proc_table_t *tab, int global_pid)
{
    return proc_find(tab, tab->root_scope, global_pid);
}

int proc_pid_in(const process_t *proc, const scope_t *scope)
{
    return pid_entry_nr_in(proc->pid, scope);
}

int proc_global_pid(const process_t *proc)
{
    return proc->pid->nrs[0].nr;
}

int proc_getpid(const process_t *proc)
{
    return proc->pid->nrs[proc->pid->level].nr;
}

int proc_getppid(const process_t *proc)
{
    return proc->parent != NULL ? proc_pid_in(proc->parent, proc->scope) : 0;
}

bool proc_can_see(const process_t *viewer, const process_t *target)
{
    return scope_contains(viewer->scope, target->scope);
}

bool proc_is_scope_init(const process_t *proc)
{
    return proc_getpid(proc) == 1;
}

void proc_drop_rights(process_t *proc, unsigned rights)
{
    if ((proc->dropped | rights) != proc->dropped) {
        proc->dropped |= (uint8_t)rights;
        proc_changed(proc);
    }
}

void proc_jail(process_t *proc)
{
    if (!proc->jailed) {
        proc->jailed = true;
        proc_changed(proc); /* the process-table page shows it */
    }
}

int proc_check_unjailed(const process_t *proc)
{
    return proc->jailed ? -EPERM : 0;
}

int proc_attach_hostname(process_t *proc, hostname_ctx_t *ctx)
{
    if (proc->jailed) {
        return -EPERM;
    }
    if (proc->state == PROC_ZOMBIE) {
        return -EINVAL;
    }
    hostname_get(ctx);
    hostname_put(proc->hostname);
    proc->hostname = ctx;
    return 0;
}

void proc_stop(process_t *proc, int sig)
{
    if (proc->state != PROC_RUNNING) {
        return;
    }
    proc->state = PROC_STOPPED;
    proc->stop_signal = sig;
    proc->stop_unreported = true;
    proc->continue_unreported = false;
    proc_changed(proc);
}

void proc_continue(process_t *proc)
{
    if (proc->state != PROC_STOPPED) {
        return;
    }
    proc->state = PROC_RUNNING;
    proc->stop_unreported = false;
    proc->continue_unreported = true;
    proc_changed(proc);
}

void proc_reap(proc_table_t *tab, process_t *zombie)
{
    assert(zombie->state == PROC_ZOMBIE && list_empty(&zombie->children));
    list_remove(&zombie->sibling);
    list_remove(&zombie->link);
    if (tab->change != NULL) {
        tab->change(zombie, true, tab->change_arg);
    }
    if (tab->release != NULL) {
        tab->release(zombie, tab->release_arg);
    }
    if (zombie->scope->init == zombie) {
        zombie->scope->init = NULL;
    }
    scope_uncharge(zombie->scope);
    scope_t *joined = zombie->joined;
    if (joined != NULL) {
        joined->count--;
        if (joined->init == zombie) {
            joined->init = NULL;
        }
    }
    zombie->pid->proc = NULL;
    /* The PID entry goes last: it may hold the scope's last reference. */
    pid_entry_put(&tab->pids, zombie->pgrp);
    pid_entry_put(&tab->pids, zombie->session);
    pid_entry_put(&tab->pids, zombie->pid);
    proc_free(zombie);
    if (joined != NULL) {
        scope_put(joined);
    }
}

const char *proc_state_name(proc_state_t state)
{
    static const char *const names[] = {
        [PROC_RUNNING] = "running",
        [PROC_STOPPED] = "stopped",
        [PROC_ZOMBIE] = "zombie",
    };
    return names[state];
}

int proc_pid_list_add(proc_pid_list_t *list, int pid)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity != 0 ? list->capacity * 2 : 16;
        int *pids = realloc(list->pids, capacity * sizeof(*pids));
        if (pids == NULL) {
            return -ENOMEM;
        }
        list->pids = pids;
        list->capacity = capacity;
    }
    list->pids[list->count++] = pid;
    return 0;
}

void proc_pid_list_free(proc_pid_list_t *list)
{
    free(list->pids);
    *list = (proc_pid_list_t){0};
}
