#include "verbs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "create.h"
#include "record.h"
#include "terminal.h"

static const char *const status_names[] = {
    [PROC_CONTAINER_CREATING] = "creating",
    [PROC_CONTAINER_CREATED] = "created",
    [PROC_CONTAINER_RUNNING] = "running",
    [PROC_CONTAINER_STOPPED] = "stopped",
};

static const char *status_name(uint32_t state)
{
    return state <= PROC_CONTAINER_STOPPED ? status_names[state] : "unknown";
}

static int open_container(const cli_t *c, capsule_obj_t *out)
{
    int err = capsule_container_open(c->id, out);
    if (err == -ENOENT) {
        fprintf(stderr, "runc: %s: container \"%s\" does not exist\n", c->verb->name, c->id);
    } else if (err < 0) {
        fprintf(stderr, "runc: %s: %s: %s\n", c->verb->name, c->id,
                err == -EPERM ? "not permitted (runc is jailed)" : strerror(-err));
    }
    return err;
}

static int info_of(const cli_t *c, const capsule_obj_t *obj, capsule_container_t *out)
{
    int err = capsule_container_info(obj, out);
    if (err < 0) {
        fprintf(stderr, "runc: %s: %s: %s\n", c->verb->name, c->id, strerror(-err));
    }
    return err;
}

/* The container's status, or -1 (printed) when it cannot be found. */
static int status_of(const cli_t *c, capsule_obj_t *obj)
{
    capsule_container_t info;
    if (open_container(c, obj) < 0) {
        return -1;
    }
    if (info_of(c, obj, &info) < 0) {
        return -1;
    }
    int state = (int)info.info.state;
    capsule_container_free(&info);
    return state;
}

static int wrong_state(const cli_t *c, int state, const char *wanted)
{
    fprintf(stderr, "runc: %s: container \"%s\" is %s, not %s\n", c->verb->name, c->id,
            status_name((uint32_t)state), wanted);
    return 1;
}

/* ---- running in the foreground ---- */

static volatile sig_atomic_t pending[65];

static void note_signal(int sig)
{
    pending[sig] = 1;
}

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static void catch_forwarded(void)
{
    struct sigaction sa = {.sa_handler = note_signal};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
        sigaction(forwarded[i], &sa, NULL); /* no SA_RESTART: waitpid returns EINTR */
    }
}

/* Passes the signals runc got on to the target: the container's PID 1
 * (through the scope object, never a PID read earlier) or an exec'd process. */
static void forward_pending(const capsule_obj_t *scope, int pid)
{
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
        int sig = forwarded[i];
        if (pending[sig]) {
            pending[sig] = 0;
            if (scope != NULL) {
                capsule_container_kill(scope, sig, 0);
            } else {
                kill(pid, sig);
            }
        }
    }
}

/* Waits for pid, forwarding signals; its status as an exit code (128+N
 * for a death by signal N). */
static int wait_forwarding(const capsule_obj_t *scope, int pid)
{
    int status;
    catch_forwarded();
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "runc: waitpid: %s\n", strerror(errno));
            return 1;
        }
        forward_pending(scope, pid);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void forward_to_scope(void *scope)
{
    forward_pending(scope, 0);
}

/* process.terminal: the pty relayed while PID 1 runs (terminal.c). */
static int relay_forwarding(container_t *ct)
{
    catch_forwarded();
    return terminal_relay(ct->master, ct->pid, forward_to_scope, &ct->scope);
}

/* ---- the verbs ---- */

static int create_from(const cli_t *c, container_t *out)
{
    static const int stdio[3] = {0, 1, 2};
    bundle_t b;
    if (bundle_load(c->bundle, &b) < 0) {
        return -1;
    }
    /* runc would want --console-socket: the pty's master has nowhere to go */
    if (b.config.terminal && (c->detach || strcmp(c->verb->name, "run") != 0)) {
        fprintf(stderr,
                "runc: %s: process.terminal needs a foreground runc run "
                "(there is no --console-socket)\n",
                c->verb->name);
        bundle_free(&b);
        return -1;
    }
    int r = container_create(&b, c->id, stdio, out);
    bundle_free(&b);
    return r;
}

int verb_create(const cli_t *c)
{
    container_t ct;
    return create_from(c, &ct) < 0 ? 1 : 0;
}

int verb_run(const cli_t *c)
{
    container_t ct;
    if (create_from(c, &ct) < 0) {
        return 1;
    }
    int err = capsule_container_start(&ct.scope);
    if (err < 0) {
        fprintf(stderr, "runc: run: start: %s\n", strerror(-err));
        capsule_container_delete(&ct.scope, 1);
        return 1;
    }
    if (c->detach) {
        return 0;
    }
    int code = ct.master >= 0 ? relay_forwarding(&ct) : wait_forwarding(&ct.scope, ct.pid);
    if (!c->keep && (err = capsule_container_delete(&ct.scope, 1)) < 0) {
        fprintf(stderr, "runc: run: delete: %s\n", strerror(-err));
    }
    return code;
}

int verb_start(const cli_t *c)
{
    capsule_obj_t obj;
    int state = status_of(c, &obj);
    if (state < 0) {
        return 1;
    }
    if (state != PROC_CONTAINER_CREATED) {
        return wrong_state(c, state, "created");
    }
    int err = capsule_container_start(&obj);
    if (err < 0) {
        fprintf(stderr, "runc: start: %s: %s\n", c->id, strerror(-err));
        return 1;
    }
    return 0;
}

static void view_of(const capsule_container_t *info, record_view_t *v)
{
    *v = (record_view_t){.id = info->id,
                         .status = status_name(info->info.state),
                         .pid = info->info.pid,
                         .bundle = info->bundle,
                         .meta = info->meta};
}

int verb_state(const cli_t *c)
{
    capsule_obj_t obj;
    capsule_container_t info;
    if (open_container(c, &obj) < 0 || info_of(c, &obj, &info) < 0) {
        return 1;
    }
    record_view_t v;
    view_of(&info, &v);
    record_state_json(&v, stdout);
    putchar('\n');
    capsule_container_free(&info);
    return 0;
}

/* Every container of runc's scope, in registry order; *n of them. */
static capsule_container_t *list_all(size_t *n)
{
    char *ids;
    size_t count;
    int err = capsule_container_list(&ids, &count);
    if (err < 0) {
        fprintf(stderr, "runc: list: %s\n",
                err == -EPERM ? "not permitted (runc is jailed)" : strerror(-err));
        return NULL;
    }
    capsule_container_t *all = calloc(count + 1, sizeof(*all));
    *n = 0;
    for (const char *id = ids; all != NULL && *n < count; id += strlen(id) + 1) {
        capsule_obj_t obj;
        /* one may be deleted meanwhile: then it is simply not listed */
        if (capsule_container_open(id, &obj) == 0) {
            if (capsule_container_info(&obj, &all[*n]) == 0) {
                (*n)++;
            }
            capsule_obj_close(&obj);
        } else {
            count--;
        }
    }
    free(ids);
    return all;
}

static void list_table(const capsule_container_t *all, size_t n)
{
    int w = 2;
    for (size_t i = 0; i < n; i++) {
        w = (int)strlen(all[i].id) > w ? (int)strlen(all[i].id) : w;
    }
    printf("%-*s  %-6s  %-8s  %-24s  %s\n", w, "ID", "PID", "STATUS", "BUNDLE", "CREATED");
    for (size_t i = 0; i < n; i++) {
        char created[64];
        record_field(all[i].meta, "created", created, sizeof(created));
        printf("%-*s  %-6d  %-8s  %-24s  %s\n", w, all[i].id, all[i].info.pid,
               status_name(all[i].info.state), all[i].bundle, created);
    }
}

int verb_list(const cli_t *c)
{
    size_t n;
    capsule_container_t *all = list_all(&n);
    if (all == NULL) {
        return 1;
    }
    if (c->json) {
        putchar('[');
        for (size_t i = 0; i < n; i++) {
            record_view_t v;
            view_of(&all[i], &v);
            fputs(i > 0 ? "," : "", stdout);
            record_state_json(&v, stdout);
        }
        puts("]");
    } else if (c->quiet) {
        for (size_t i = 0; i < n; i++) {
            puts(all[i].id);
        }
    } else {
        list_table(all, n);
    }
    for (size_t i = 0; i < n; i++) {
        capsule_container_free(&all[i]);
    }
    free(all);
    return 0;
}

int verb_kill(const cli_t *c)
{
    capsule_obj_t obj;
    if (open_container(c, &obj) < 0) {
        return 1;
    }
    int err = capsule_container_kill(&obj, c->signal, c->all);
    if (err == -ESRCH) {
        fprintf(stderr, "runc: kill: container \"%s\" is not running\n", c->id);
    } else if (err < 0) {
        fprintf(stderr, "runc: kill: %s: %s\n", c->id, strerror(-err));
    }
    return err < 0;
}

int verb_delete(const cli_t *c)
{
    capsule_obj_t obj;
    int state = status_of(c, &obj);
    if (state < 0) {
        return 1;
    }
    if (state != PROC_CONTAINER_STOPPED && !c->force) {
        fprintf(stderr,
                "runc: delete: container \"%s\" is %s: only a stopped container can be "
                "deleted (-f kills it first)\n",
                c->id, status_name((uint32_t)state));
        return 1;
    }
    int err = capsule_container_delete(&obj, c->force);
    if (err < 0) {
        fprintf(stderr, "runc: delete: %s: %s\n", c->id, strerror(-err));
    }
    return err < 0;
}

int verb_ps(const cli_t *c)
{
    capsule_obj_t obj;
    if (open_container(c, &obj) < 0) {
        return 1;
    }
    int pids[1024];
    long n = capsule_scope_list(&obj, pids, 1024);
    if (n < 0) {
        fprintf(stderr, "runc: ps: %s: %s\n", c->id, strerror((int)-n));
        return 1;
    }
    puts("PID");
    for (long i = 0; i < n && i < 1024; i++) {
        printf("%d\n", pids[i]);
    }
    return 0;
}

/* exec's environment: the config's, then -e NAME=VALUE replacing or adding. */
static char **exec_env(const config_t *config, const cli_t *c)
{
    char **env = calloc(config->envc + c->envc + 1, sizeof(char *));
    size_t n = 0;
    for (size_t i = 0; env != NULL && i < config->envc; i++) {
        env[n++] = (char *)config->env[i];
    }
    for (size_t i = 0; env != NULL && i < c->envc; i++) {
        size_t name = strcspn(c->env[i], "=") + 1;
        size_t j = 0;
        while (j < n && strncmp(env[j], c->env[i], name) != 0) {
            j++;
        }
        env[j] = (char *)c->env[i];
        n += j == n;
    }
    return env;
}

static void forward_to_pid(void *pid)
{
    forward_pending(NULL, *(int *)pid);
}

/* exec -t: the pair is made by vfs-server inside the container (runc holds
 * no capability for a running container's context), its master given to
 * runc and relayed as `run` relays PID 1's (terminal.c). */
static int exec_tty(const cli_t *c, const capsule_obj_t *obj, char **env, const char *cwd)
{
    int master;
    int pid = capsule_spawn_join_pty(c->command[0], c->command, env, obj, cwd, PROC_SPAWN_SEARCH,
                                     &master);
    if (pid < 0) {
        return pid;
    }
    catch_forwarded();
    int code = terminal_relay(master, pid, forward_to_pid, &pid);
    close(master);
    return code;
}

static int exec_in(const cli_t *c, const capsule_obj_t *obj, const char *bundle_dir)
{
    bundle_t b;
    if (bundle_load(bundle_dir, &b) < 0) {
        return 1;
    }
    char **env = exec_env(&b.config, c);
    static const int stdio[3] = {0, 1, 2};
    /* as runc: --cwd, else the config's process.cwd, inside the container */
    const char *cwd = c->cwd != NULL ? c->cwd : b.config.cwd;
    if (env != NULL && c->tty) {
        int code = exec_tty(c, obj, env, cwd);
        free(env);
        bundle_free(&b);
        if (code == -ENXIO) {
            fprintf(stderr, "runc: exec: -t: the container has no /dev/ptmx of a devfs\n");
        } else if (code < 0) {
            fprintf(stderr, "runc: exec: %s: %s\n", c->command[0], strerror(-code));
        }
        return code < 0 ? 1 : code;
    }
    int pid = env == NULL ? -ENOMEM
                          : capsule_spawn_join(c->command[0], c->command, env, stdio, obj, cwd,
                                               PROC_SPAWN_SEARCH);
    free(env);
    bundle_free(&b);
    if (pid < 0) {
        fprintf(stderr, "runc: exec: %s: %s\n", c->command[0], strerror(-pid));
        return 1;
    }
    return wait_forwarding(NULL, pid);
}

int verb_exec(const cli_t *c)
{
    capsule_obj_t obj;
    capsule_container_t info;
    if (open_container(c, &obj) < 0 || info_of(c, &obj, &info) < 0) {
        return 1;
    }
    int code = info.info.state != PROC_CONTAINER_RUNNING
                   ? wrong_state(c, (int)info.info.state, "running")
                   : exec_in(c, &obj, info.bundle);
    capsule_container_free(&info);
    return code;
}
