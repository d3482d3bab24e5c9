#include "objects.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "containers.h"
#include "exec.h"
#include "handles.h"
#include "hostname.h"
#include "identity.h"
#include "kill.h"
#include "lifecycle.h"
#include "protocol/proc.h"
#include "scope.h"
#include "scope_memory.h"
#include "signals.h"
#include "uapi/objects.h"

handle_table_t *objects_handles(process_t *proc)
{
    return &((process_os_t *)proc->server_data)->handles;
}

void objects_drop(process_t *proc)
{
    if (proc->server_data != NULL) {
        handle_drop_all(objects_handles(proc));
    }
}

/* The capability for handle `index` of holder, in a slot of proc-server's
 * the reply carries (main.c deletes it once sent). */
static int64_t answer_handle(process_t *holder, int index, request_t *req)
{
    cptr_t slot = slot_alloc();
    uint64_t badge = obj_badge_make(proc_global_pid(holder), (unsigned)index,
                                    objects_handles(holder)->gen[index]);
    if (slot == CAP_NULL || cnode_mint(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, lifecycle_endpoint(),
                                       RIGHT_WRITE | RIGHT_GRANT_REPLY, badge) != KERR_OK) {
        slot_free(slot);
        handle_remove(objects_handles(holder), (unsigned)index); /* nothing to name it with */
        return -ENOMEM;
    }
    req->reply_cap = slot;
    return index;
}

int64_t objects_answer_new_handle(process_t *holder, handle_kind_t kind, void *obj, unsigned rights,
                                  request_t *req)
{
    int index = handle_add(objects_handles(holder), kind, obj, rights);
    return index < 0 ? index : answer_handle(holder, index, req);
}

static int limit_arg(uint64_t mr, unsigned *out)
{
    if (mr > INT_MAX) {
        return -EINVAL;
    }
    *out = mr == 0 ? SCOPE_NO_LIMIT : (unsigned)mr;
    return 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int64_t create_scope(process_t *caller, scope_t *parent, request_t *req)
{
    unsigned limit;
    int err = limit_arg(req->mr[0], &limit);
    if (err != 0) {
        return err;
    }
    scope_t *scope;
    if ((err = scope_create(lifecycle_table(), caller, parent, now_ns(), &scope)) != 0) {
        return err;
    }
    scope_set_limit(scope, limit);
    int64_t result =
        objects_answer_new_handle(caller, HANDLE_SCOPE, scope, PROC_SCOPE_RIGHTS_ALL, req);
    scope_put(scope); /* the handle holds its own reference, if any */
    return result;
}

static int64_t create_hostname(process_t *caller, request_t *req)
{
    hostname_ctx_t *ctx;
    int err = hostname_create(lifecycle_table(), caller, &ctx);
    if (err != 0) {
        return err;
    }
    int64_t result =
        objects_answer_new_handle(caller, HANDLE_HOSTNAME, ctx, PROC_HOSTNAME_RIGHTS_ALL, req);
    hostname_put(ctx);
    return result;
}

/* The descriptor of MR1 for child fd i: -1 for none. */
/* A held spawn makes the PID 1 of a scope its caller is still creating; a
 * joining one enters a running container beside its PID 1, taking the
 * hostname context, files and jail of that PID 1. */
static int spawn_mode(process_t *caller, uint64_t flags, spawn_opts_t *opts)
{
    scope_t *scope = opts->scope;
    if (flags & PROC_SPAWN_SUSPENDED) {
        if (scope == NULL || scope->state != SCOPE_CREATING || scope->owner != caller ||
            scope->count != 0) {
            return -EINVAL;
        }
        opts->held = true;
    }
    if (flags & PROC_SPAWN_JOIN) {
        if (scope == NULL || scope->state != SCOPE_RUNNING || scope->init == NULL ||
            scope->init->state == PROC_ZOMBIE) {
            return -EINVAL;
        }
        opts->like = scope->init;
        opts->hostname = scope->init->hostname;
    }
    opts->pty = (flags & PROC_SPAWN_PTY) != 0;
    opts->jail = (flags & PROC_SPAWN_JAIL) != 0;
    opts->search = (flags & PROC_SPAWN_SEARCH) != 0;
    opts->dropped = (flags & PROC_SPAWN_NO_ADMIN ? PROC_DROP_ADMIN : 0) |
                    (flags & PROC_SPAWN_NO_KILL ? PROC_DROP_KILL : 0) |
                    (flags & PROC_SPAWN_NO_CHROOT ? PROC_DROP_CHROOT : 0);
    return 0;
}

/* The process a namespace path names (linux.namespaces[].path): one the
 * caller sees, alive, in a container below the caller's own scope. Never
 * one of the caller's own scope: that process is in no container, and
 * joining it would hand a container its creator's scope, names or root
 * (for runc on the host: the host's). -ESRCH, -EPERM. */
static int joinable_process(process_t *caller, int pid, process_t **out)
{
    process_t *target = proc_find(lifecycle_table(), caller->scope, pid);
    if (target == NULL || target->state == PROC_ZOMBIE) {
        return -ESRCH;
    }
    if (target->scope == caller->scope) {
        return -EPERM;
    }
    *out = target;
    return 0;
}

/* Handles in MR2 and MR3, which PROC_SPAWN_MOUNTS_OF shares with more. */
#define HANDLE_WORD(mr) ((mr)&0xffffffffull)

static int spawn_targets(process_t *caller, const request_t *req, spawn_opts_t *opts)
{
    handle_t h;
    int err;
    bool mounts = (req->mr[1] & PROC_SPAWN_MOUNTS_OF) != 0;
    uint64_t scope_word = mounts ? HANDLE_WORD(req->mr[2]) : req->mr[2];
    uint64_t hostname_word = mounts ? HANDLE_WORD(req->mr[3]) : req->mr[3];
    if (scope_word != PROC_NO_HANDLE) {
        err = handle_get(objects_handles(caller), scope_word, HANDLE_SCOPE, PROC_SCOPE_RIGHT_SPAWN,
                         &h);
        if (err != 0) {
            return err;
        }
        opts->scope = h.obj;
    }
    /* joining, MR3 is the cwd's length, not a handle (protocol/proc.h) */
    if (hostname_word != PROC_NO_HANDLE && !(req->mr[1] & PROC_SPAWN_JOIN)) {
        err = handle_get(objects_handles(caller), hostname_word, HANDLE_HOSTNAME,
                         PROC_HOSTNAME_RIGHT_SET, &h);
        if (err != 0) {
            return err;
        }
        opts->hostname = h.obj;
    }
    return spawn_mode(caller, req->mr[1] & ~PROC_SPAWN_FD_BITS, opts);
}

/* The cwd a joining spawn names (desc 1), or NULL: the template's. */
static int spawn_cwd(const request_t *req, const spawn_opts_t *opts, uint64_t mounts_cwd,
                     char **cwd)
{
    *cwd = NULL;
    uint64_t len = opts->mounts_of != NULL                              ? mounts_cwd
                   : opts->like != NULL && req->mr[3] != PROC_NO_HANDLE ? req->mr[3]
                                                                        : 0;
    if (len == 0) {
        return 0;
    }
    if (req->descriptors < 2) {
        return -EFAULT;
    }
    return request_receive_string(1, len, PATH_MAX - 1, cwd);
}

static int64_t do_spawn(process_t *caller, request_t *req)
{
    if (req->length < 4 || req->descriptors < 1) {
        return req->length < 4 ? -EINVAL : -EFAULT;
    }
    /* attaching to another scope or context: refused to the jailed first */
    if ((req->mr[2] != PROC_NO_HANDLE || req->mr[3] != PROC_NO_HANDLE ||
         (req->mr[1] & PROC_SPAWN_MOUNTS_OF)) &&
        proc_check_unjailed(caller) != 0) {
        return -EPERM;
    }
    int mounts_pid;
    uint64_t mounts_cwd;
    if (proc_spawn_flags(req->mr[1]) != 0 ||
        proc_spawn_mounts_args(req, PATH_MAX - 1, &mounts_pid, &mounts_cwd) == -EINVAL) {
        return -EINVAL;
    }
    spawn_opts_t opts = {.parent = caller};
    for (unsigned i = 0; i < 3; i++) {
        opts.fds[i] = proc_spawn_fd(req->mr[1], i);
    }
    int err = spawn_targets(caller, req, &opts);
    if (err == 0 && mounts_pid > 0) {
        err = joinable_process(caller, mounts_pid, &opts.mounts_of);
    }
    char *cwd = NULL;
    if (err != 0 || (err = spawn_cwd(req, &opts, mounts_cwd, &cwd)) != 0) {
        return err;
    }
    opts.cwd = cwd;
    int master = -1;
    opts.pty_master = opts.pty ? &master : NULL;
    uint8_t *buf;
    exec_args_t args;
    int64_t result = exec_args_receive(req->mr[0], &buf, &args);
    if (result == 0) {
        const char *why;
        result = lifecycle_spawn(&opts, &args, &why);
        free(buf);
    }
    free(cwd);
    if (result > 0) {
        process_t *child = proc_find_global(lifecycle_table(), (int)result);
        result = child != NULL ? proc_pid_in(child, caller->scope) : -ESRCH;
        if (opts.pty) {
            req->reply_mr1 = (uint64_t)master; /* the caller's fd of the master */
        }
    }
    return result;
}

/* PROC_SCOPE_JOIN: a joined container record hosted by pid's scope. */
static int64_t join_scope(process_t *caller, request_t *req)
{
    int pid, err;
    process_t *target;
    scope_t *scope;
    if ((err = proc_join_pid_arg(req, &pid)) != 0 ||
        (err = joinable_process(caller, pid, &target)) != 0 ||
        (err = scope_create_joined(lifecycle_table(), caller, target->scope, now_ns(), &scope)) !=
            0) {
        return err;
    }
    int64_t result =
        objects_answer_new_handle(caller, HANDLE_SCOPE, scope, PROC_SCOPE_RIGHTS_ALL, req);
    scope_put(scope); /* the handle holds its own reference, if any */
    return result;
}

/* PROC_HOSTNAME_JOIN: pid's hostname context, shared from then on. */
static int64_t join_hostname(process_t *caller, request_t *req)
{
    int pid, err;
    process_t *target;
    if ((err = proc_join_pid_arg(req, &pid)) != 0 ||
        (err = joinable_process(caller, pid, &target)) != 0) {
        return err;
    }
    return objects_answer_new_handle(caller, HANDLE_HOSTNAME, target->hostname,
                                     PROC_HOSTNAME_RIGHTS_ALL, req);
}

int64_t objects_session_request(process_t *caller, request_t *req)
{
    switch (req->label) {
    case PROC_SCOPE_CREATE:
        return proc_check_unjailed(caller) != 0 ? -EPERM : create_scope(caller, NULL, req);
    case PROC_HOSTNAME_CREATE:
        return proc_check_unjailed(caller) != 0 ? -EPERM : create_hostname(caller, req);
    case PROC_JAIL:
        proc_jail(caller);
        return 0;
    case PROC_SPAWN:
        return do_spawn(caller, req);
    case PROC_SCOPE_JOIN:
        return proc_check_unjailed(caller) != 0 ? -EPERM : join_scope(caller, req);
    case PROC_HOSTNAME_JOIN:
        return proc_check_unjailed(caller) != 0 ? -EPERM : join_hostname(caller, req);
    case PROC_CONTAINER_OPEN:
    case PROC_CONTAINER_LIST:
        return containers_session_request(caller, req);
    default:
        return -ENOSYS;
    }
}

static int64_t scope_list(process_t *holder, scope_t *scope, const request_t *req)
{
    if (req->mr[0] > 0 && req->descriptors < 1) {
        return -EFAULT;
    }
    if (req->mr[0] > PROC_PID_MAX_DEFAULT) {
        return -EINVAL;
    }
    int *pids = malloc((req->mr[0] + 1) * sizeof(int));
    if (pids == NULL) {
        return -ENOMEM;
    }
    uint64_t count = 0;
    list_node_t *node;
    list_for_each(node, &lifecycle_table()->procs)
    {
        process_t *p = list_entry(node, process_t, link);
        int nr = proc_pid_in(p, holder->scope);
        if (scope_holds(scope, p) && nr > 0) {
            if (count < req->mr[0]) {
                pids[count] = nr;
            }
            count++;
        }
    }
    uint64_t n = count < req->mr[0] ? count : req->mr[0], done = 0;
    kerr_t kerr =
        n == 0 ? KERR_OK : reply_copy_to(CAP_REPLY_CURRENT, 0, 0, pids, n * sizeof(int), &done);
    free(pids);
    return kerr == KERR_OK && done == n * sizeof(int) ? (int64_t)count : -EFAULT;
}

static int64_t scope_kill(process_t *holder, scope_t *scope, const request_t *req)
{
    if (req->mr[0] > KILL_SIGNAL_MAX || kill_check_signal((int)req->mr[0]) != 0) {
        return -EINVAL;
    }
    return objects_scope_kill(holder, scope, (int)req->mr[0]);
}

int64_t objects_scope_kill(process_t *holder, scope_t *scope, int sig)
{
    proc_table_t *tab = lifecycle_table();
    proc_pid_list_t targets = {0};
    list_node_t *node;
    list_for_each(node, &tab->procs)
    {
        process_t *p = list_entry(node, process_t, link);
        if (p != holder && p->state != PROC_ZOMBIE && scope_holds(scope, p) &&
            proc_pid_list_add(&targets, proc_global_pid(p)) != 0) {
            proc_pid_list_free(&targets);
            return -ENOMEM;
        }
    }
    int64_t sent = 0;
    for (size_t i = 0; i < targets.count; i++) {
        /* a signal may end others in the list: look each one up again */
        process_t *p = proc_find_global(tab, targets.pids[i]);
        if (p != NULL && p->state != PROC_ZOMBIE && sig != 0) {
            signals_send(holder, p, sig);
        }
        sent += p != NULL;
    }
    proc_pid_list_free(&targets);
    return sent;
}

/* The container requests on a scope capability (containers.h). */
static bool container_label(uint64_t label)
{
    return label >= PROC_CONTAINER_ALLOW_DEBUG && label <= PROC_CONTAINER_DELETE;
}

static unsigned scope_right_of(uint64_t label)
{
    if (container_label(label)) {
        return PROC_SCOPE_RIGHT_MANAGE;
    }
    switch (label) {
    case PROC_SCOPE_SUBSCOPE:
        return PROC_SCOPE_RIGHT_CREATE;
    case PROC_SCOPE_LIST:
    case PROC_SCOPE_MEMORY_USAGE:
        return PROC_SCOPE_RIGHT_LIST;
    case PROC_SCOPE_KILL:
        return PROC_SCOPE_RIGHT_KILL;
    default:
        return PROC_SCOPE_RIGHT_LIMIT;
    }
}

static int64_t scope_request(process_t *holder, unsigned index, request_t *req)
{
    /* creating a sub-scope or managing a container is refused to the
     * jailed before the lookup */
    if ((req->label == PROC_SCOPE_SUBSCOPE ||
         scope_right_of(req->label) == PROC_SCOPE_RIGHT_MANAGE) &&
        proc_check_unjailed(holder) != 0) {
        return -EPERM;
    }
    handle_t h;
    int err =
        handle_get(objects_handles(holder), index, HANDLE_SCOPE, scope_right_of(req->label), &h);
    if (err != 0) {
        return err;
    }
    if (container_label(req->label)) {
        return containers_scope_request(holder, h.obj, req);
    }
    /* a joined container has no sub-scopes, and its limits are its host's */
    const scope_t *scope = h.obj;
    if (scope->host != NULL &&
        (req->label == PROC_SCOPE_SUBSCOPE || req->label == PROC_SCOPE_SET_LIMIT ||
         req->label == PROC_SCOPE_SET_MEMORY)) {
        return -EINVAL;
    }
    unsigned limit;
    switch (req->label) {
    case PROC_SCOPE_SUBSCOPE:
        return create_scope(holder, h.obj, req);
    case PROC_SCOPE_LIST:
        return scope_list(holder, h.obj, req);
    case PROC_SCOPE_KILL:
        return scope_kill(holder, h.obj, req);
    case PROC_SCOPE_SET_MEMORY:
        return scope_memory_set(h.obj, req->mr[0]);
    case PROC_SCOPE_MEMORY_USAGE:
        return scope_memory_usage(h.obj);
    default:
        if ((err = limit_arg(req->mr[0], &limit)) == 0) {
            scope_set_limit(h.obj, limit);
        }
        return err;
    }
}

static int64_t hostname_get_request(const hostname_ctx_t *ctx, const request_t *req)
{
    if (req->mr[0] > 1) {
        return -EINVAL;
    }
    if (req->descriptors < 1) {
        return -EFAULT;
    }
    const char *name = req->mr[0] == 0 ? ctx->hostname : ctx->domainname;
    size_t len = strlen(name);
    uint64_t done = 0;
    kerr_t kerr = reply_copy_to(CAP_REPLY_CURRENT, 0, 0, name, len + 1, &done);
    return kerr == KERR_OK && done == len + 1 ? (int64_t)len : -EFAULT;
}

static int64_t hostname_request(process_t *holder, unsigned index, const request_t *req)
{
    unsigned right =
        req->label == PROC_HOSTNAME_GET ? PROC_HOSTNAME_RIGHT_GET : PROC_HOSTNAME_RIGHT_SET;
    handle_t h;
    int err = handle_get(objects_handles(holder), index, HANDLE_HOSTNAME, right, &h);
    if (err != 0) {
        return err;
    }
    return req->label == PROC_HOSTNAME_GET
               ? hostname_get_request(h.obj, req)
               : identity_set_name(h.obj, req, req->label != PROC_HOSTNAME_SET);
}

static int64_t restrict_request(process_t *holder, unsigned index, request_t *req)
{
    const handle_table_t *t = objects_handles(holder);
    if (index >= HANDLES_MAX || t->h[index].kind == HANDLE_NONE) {
        return -EBADF;
    }
    if (req->mr[0] > UINT_MAX) {
        return -EINVAL;
    }
    handle_t h = t->h[index];
    return objects_answer_new_handle(holder, h.kind, h.obj, h.rights & (unsigned)req->mr[0], req);
}

int64_t objects_handle_request(process_t *holder, unsigned index, unsigned gen, request_t *req)
{
    if (!handle_current(objects_handles(holder), index, gen)) {
        return -EBADF; /* closed since the capability was made */
    }
    if (container_label(req->label)) {
        return scope_request(holder, index, req);
    }
    switch (req->label) {
    case PROC_OBJ_CLOSE:
        handle_remove(objects_handles(holder), index);
        return 0;
    case PROC_OBJ_RESTRICT:
        return restrict_request(holder, index, req);
    case PROC_SCOPE_SUBSCOPE:
    case PROC_SCOPE_LIST:
    case PROC_SCOPE_KILL:
    case PROC_SCOPE_SET_LIMIT:
    case PROC_SCOPE_SET_MEMORY:
    case PROC_SCOPE_MEMORY_USAGE:
        return scope_request(holder, index, req);
    case PROC_HOSTNAME_SET:
    case PROC_HOSTNAME_SET_DOMAIN:
    case PROC_HOSTNAME_GET:
        return hostname_request(holder, index, req);
    default:
        return -ENOSYS;
    }
}
