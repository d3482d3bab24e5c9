#include "containers.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "debug_ops.h"
#include "exit.h"
#include "kill.h"
#include "lifecycle.h"
#include "objects.h"
#include "protocol/proc.h"
#include "signals.h"

#define BUNDLE_PATH_MAX 4096

static uint64_t realtime_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return 0;
    }
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The scope's record text, then its registration: the commit of `create`. */
static int register_strings(scope_t *scope, const char *id, const char *bundle, const char *meta)
{
    if (!scope_name_valid(id) || bundle[0] == '\0') {
        return -EINVAL;
    }
    if (scope_find_child(scope->parent, id) != NULL) {
        return -EEXIST;
    }
    int err = meta[0] != '\0' ? scope_set_meta(scope, meta) : 0;
    if (err == 0 && (err = scope_register(scope, id, bundle)) == 0) {
        scope->registered_at = realtime_ns();
    }
    return err;
}

static int64_t do_register(process_t *holder, scope_t *scope, const request_t *req)
{
    if (req->length < 3) {
        return -EINVAL;
    }
    /* only the runtime that made it, while it is still being made, with its
     * PID 1 waiting: a record always has a process to start */
    if (scope->owner != holder || scope->state != SCOPE_CREATING || scope->init == NULL) {
        return -EINVAL;
    }
    if (req->descriptors < (req->mr[2] > 0 ? 3u : 2u)) {
        return -EFAULT;
    }
    char *id = NULL, *bundle = NULL, *meta = NULL;
    int err = request_receive_string(0, req->mr[0], SCOPE_NAME_MAX, &id);
    if (err == 0) {
        err = request_receive_string(1, req->mr[1], BUNDLE_PATH_MAX, &bundle);
    }
    if (err == 0) {
        err = request_receive_string(2, req->mr[2], PROC_CONTAINER_META_MAX, &meta);
    }
    if (err == 0) {
        err = register_strings(scope, id, bundle, meta);
    }
    free(id);
    free(bundle);
    free(meta);
    return err;
}

static int64_t do_start(scope_t *scope)
{
    process_t *init = scope->init;
    if (scope->state != SCOPE_CREATED || init == NULL || init->state == PROC_ZOMBIE) {
        return -EINVAL;
    }
    int err = lifecycle_release(init);
    if (err != 0) {
        return err;
    }
    return scope_start(scope);
}

static uint32_t state_code(scope_state_t state)
{
    switch (state) {
    case SCOPE_CREATING:
        return PROC_CONTAINER_CREATING;
    case SCOPE_CREATED:
        return PROC_CONTAINER_CREATED;
    case SCOPE_RUNNING:
        return PROC_CONTAINER_RUNNING;
    default:
        return PROC_CONTAINER_STOPPED;
    }
}

static size_t text_len(const char *s)
{
    return s != NULL ? strlen(s) : 0;
}

/* Appends s (may be NULL: empty) and its NUL at *pos. */
static void put_string(char *buf, size_t *pos, const char *s)
{
    size_t len = text_len(s);
    memcpy(buf + *pos, s != NULL ? s : "", len);
    buf[*pos + len] = '\0';
    *pos += len + 1;
}

static int64_t do_info(process_t *holder, const scope_t *scope, const request_t *req)
{
    uint64_t room = req->mr[0];
    if (room > 0 && req->descriptors < 1) {
        return -EFAULT;
    }
    const process_t *init = scope->init;
    bool live = init != NULL && init->state != PROC_ZOMBIE && scope->state != SCOPE_STOPPED;
    proc_container_info_t info = {
        .state = state_code(scope->state),
        .pid = live ? proc_pid_in(init, holder->scope) : 0,
        .exit_status = scope->state == SCOPE_STOPPED ? scope->exit_status : 0,
        .processes = scope->count,
        .created_ns = scope->registered_at,
        .id_len = (uint32_t)text_len(scope->name),
        .bundle_len = (uint32_t)text_len(scope->bundle),
        .meta_len = (uint32_t)text_len(scope->meta),
    };
    size_t total = sizeof(info) + info.id_len + info.bundle_len + info.meta_len + 3;
    if (total > room) {
        return (int64_t)total; /* the caller asks again with room enough */
    }
    char *buf = malloc(total);
    if (buf == NULL) {
        return -ENOMEM;
    }
    memcpy(buf, &info, sizeof(info));
    size_t pos = sizeof(info);
    put_string(buf, &pos, scope->name);
    put_string(buf, &pos, scope->bundle);
    put_string(buf, &pos, scope->meta);
    uint64_t done = 0;
    kerr_t kerr = reply_copy_to(CAP_REPLY_CURRENT, 0, 0, buf, total, &done);
    free(buf);
    return kerr == KERR_OK && done == total ? (int64_t)total : -EFAULT;
}

static int64_t do_kill(process_t *holder, scope_t *scope, const request_t *req)
{
    if (proc_container_kill_args(req) != 0) {
        return -EINVAL;
    }
    if (scope->state == SCOPE_STOPPED || scope->init == NULL || scope->init->state == PROC_ZOMBIE) {
        return -ESRCH;
    }
    if (req->mr[1] == 1) {
        return objects_scope_kill(holder, scope, (int)req->mr[0]);
    }
    signals_send(holder, scope->init, (int)req->mr[0]);
    return 1;
}

static int64_t do_delete(scope_t *scope, const request_t *req)
{
    if (req->mr[0] > 1) {
        return -EINVAL;
    }
    if (!scope->registered) {
        return -ENOENT; /* deleted already */
    }
    if (scope->state != SCOPE_STOPPED) {
        if (req->mr[0] == 0) {
            return -EBUSY;
        }
        /* stopped first, then every process of it killed, before the
         * record goes: nothing of it runs on once delete has answered */
        scope_stop(scope, proc_wstatus_signaled(SIGKILL, false));
        lifecycle_kill_doomed();
    }
    return scope_unregister(scope);
}

/* Only a holder that may debug can pass it on, and only before anything
 * runs in the scope: a running container never gains it. */
static int64_t do_allow_debug(const process_t *holder, scope_t *scope)
{
    if (!debug_ops_may_debug(holder)) {
        return -EPERM;
    }
    /* a joined container's processes are its host's: the host decides */
    if (scope->state != SCOPE_CREATING || scope->count != 0 || scope->host != NULL) {
        return -EINVAL;
    }
    scope->debug = true;
    return 0;
}

int64_t containers_scope_request(process_t *holder, scope_t *scope, request_t *req)
{
    switch (req->label) {
    case PROC_CONTAINER_ALLOW_DEBUG:
        return do_allow_debug(holder, scope);
    case PROC_CONTAINER_REGISTER:
        return do_register(holder, scope, req);
    case PROC_CONTAINER_START:
        return do_start(scope);
    case PROC_CONTAINER_INFO:
        return do_info(holder, scope, req);
    case PROC_CONTAINER_KILL:
        return do_kill(holder, scope, req);
    case PROC_CONTAINER_DELETE:
        return do_delete(scope, req);
    default:
        return -ENOSYS;
    }
}

static int64_t do_open(process_t *caller, request_t *req)
{
    if (req->descriptors < 1) {
        return -EFAULT;
    }
    char *id;
    int err = request_receive_string(0, req->mr[0], SCOPE_NAME_MAX, &id);
    if (err != 0) {
        return err;
    }
    scope_t *scope = scope_find_child(caller->scope, id);
    free(id);
    if (scope == NULL) {
        return -ENOENT;
    }
    return objects_answer_new_handle(caller, HANDLE_SCOPE, scope, PROC_SCOPE_RIGHTS_ALL, req);
}

/* The IDs of the caller's scope's registry, NUL-terminated, in creation order. */
static int64_t do_list(const process_t *caller, const request_t *req)
{
    uint64_t room = req->mr[0];
    if (room > PROC_CONTAINER_LIST_MAX) {
        return -EINVAL;
    }
    if (room > 0 && req->descriptors < 1) {
        return -EFAULT;
    }
    char *buf = malloc(room + 1);
    if (buf == NULL) {
        return -ENOMEM;
    }
    size_t total = 0;
    const list_node_t *pos;
    list_for_each(pos, &caller->scope->children)
    {
        const scope_t *child = list_entry(pos, scope_t, sibling);
        if (child->registered) {
            size_t len = strlen(child->name) + 1;
            if (total + len <= room) {
                memcpy(buf + total, child->name, len);
            }
            total += len;
        }
    }
    uint64_t done = 0;
    kerr_t kerr = KERR_OK;
    if (total > 0 && total <= room) {
        kerr = reply_copy_to(CAP_REPLY_CURRENT, 0, 0, buf, total, &done);
    }
    free(buf);
    return kerr == KERR_OK ? (int64_t)total : -EFAULT;
}

int64_t containers_session_request(process_t *caller, request_t *req)
{
    /* a jailed process can find no container, not even its own */
    if (proc_check_unjailed(caller) != 0) {
        return -EPERM;
    }
    return req->label == PROC_CONTAINER_OPEN ? do_open(caller, req) : do_list(caller, req);
}
