/*
 * Scopes, hostname contexts, jail and spawn through proc-server's requests
 * (libc/capsule's client). Runs as /sbin/init and spawns or re-executes
 * itself in the roles below; each role's exit status is its failure count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capsule/container_client.h"
#include "capsule/proc_client.h"
#include "capsule/syscall.h"
#include "protocol/posix_runtime.h"
#include "uapi/bootinfo.h"
#include "uapi/invocations.h"
#include "uapi/objects.h"

#define SCOPE_LIMIT 32

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("scopes: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno);               \
        }                                                                                          \
    } while (0)

static const char *nodename(void)
{
    static struct utsname u;
    return uname(&u) == 0 ? u.nodename : "?";
}

/* PID 1 of the new scope: it sees itself as 1 with no parent, its own
 * hostname, nothing outside (argv[2]: a host PID), and exactly the limit. */
static int as_scope_init(char **argv)
{
    int outside = atoi(argv[2]);
    CHECK(getpid() == 1);
    CHECK(getppid() == 0);
    CHECK(strcmp(nodename(), "inside") == 0);
    errno = 0;
    CHECK(kill(outside, 0) == -1 && errno == ESRCH);
    CHECK(kill(outside, SIGKILL) == -1 && errno == ESRCH);
    errno = 0;
    CHECK(waitpid(outside, NULL, WNOHANG) == -1 && errno == ECHILD);
    /* joins: the spawner outside is invisible, itself in no container */
    capsule_obj_t joined;
    CHECK(capsule_scope_join(outside, &joined) == -ESRCH);
    CHECK(capsule_hostname_join(outside, &joined) == -ESRCH);
    CHECK(capsule_scope_join(1, &joined) == -EPERM);
    int gate[2];
    CHECK(pipe(gate) == 0);
    int made = 0;
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) {
            char c;
            close(gate[1]);
            read(gate[0], &c, 1); /* until PID 1 lets go */
            _exit(0);
        }
        if (pid < 0) {
            CHECK(errno == EAGAIN);
            break;
        }
        made++;
        if (made > SCOPE_LIMIT) {
            break;
        }
    }
    printf("scopes: scope init made %d children\n", made);
    CHECK(made == SCOPE_LIMIT - 1); /* PID 1 counts */
    close(gate[1]);
    int reaped = 0;
    while (wait(NULL) > 0) {
        reaped++;
    }
    CHECK(reaped == made);
    pid_t again = fork(); /* room again once reaped */
    if (again == 0) {
        _exit(0);
    }
    CHECK(again > 0 && waitpid(again, NULL, 0) == again);
    return failures;
}

/* PID 1 of a scope limited to 1: fork is EAGAIN. It says so on its stdout
 * (its parent's pipe) and waits to be killed. */
static int as_limited(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    const char *verdict = pid == -1 && errno == EAGAIN ? "ok" : "no";
    write(1, verdict, 2);
    close(1);
    for (;;) {
        pause();
    }
}

/* A jailed process, after exec and fork: still jailed. */
static int as_jailed(void)
{
    capsule_obj_t obj;
    CHECK(capsule_scope_create(0, &obj) == -EPERM);
    CHECK(capsule_hostname_create(&obj) == -EPERM);
    CHECK(capsule_scope_join(1, &obj) == -EPERM); /* the jail first, whatever the PID */
    CHECK(capsule_hostname_join(99999, &obj) == -EPERM);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(capsule_scope_create(0, &obj) == -EPERM && capsule_hostname_create(&obj) == -EPERM
                  ? 0
                  : 1);
    }
    int status = -1;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return failures;
}

static int wait_status(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

static void check_hostname(capsule_obj_t *ctx)
{
    char buf[65];
    CHECK(capsule_hostname_set(ctx, "inside", 6) == 0);
    CHECK(capsule_hostname_get(ctx, 0, buf) == 6 && strcmp(buf, "inside") == 0);
    char long_name[65];
    memset(long_name, 'x', sizeof(long_name));
    CHECK(capsule_hostname_set(ctx, long_name, 65) == -EINVAL);
    CHECK(capsule_hostname_get(ctx, 0, buf) == 6 && strcmp(buf, "inside") == 0);
    CHECK(strcmp(nodename(), "capsule") == 0); /* the host's stays */
}

/* A capability restricted to listing lists, and can do nothing else. */
static void check_rights(capsule_obj_t *scope, capsule_obj_t *ctx)
{
    capsule_obj_t list_only, get_only;
    CHECK(capsule_obj_restrict(scope, PROC_SCOPE_RIGHT_LIST, &list_only) == 0);
    CHECK(list_only.handle != scope->handle);
    int pids[4];
    CHECK(capsule_scope_list(&list_only, pids, 4) == 0);
    CHECK(capsule_scope_kill(&list_only, SIGTERM) == -EPERM);
    CHECK(capsule_scope_set_limit(&list_only, 5) == -EPERM);
    capsule_obj_t sub;
    CHECK(capsule_scope_subscope(&list_only, 0, &sub) == -EPERM);
    char *argv[] = {"/sbin/init", "never", NULL};
    CHECK(capsule_spawn("/sbin/init", argv, NULL, NULL, &list_only, NULL) == -EPERM);
    capsule_obj_t wider;
    CHECK(capsule_obj_restrict(&list_only, PROC_SCOPE_RIGHTS_ALL, &wider) == 0);
    CHECK(capsule_scope_kill(&wider, 0) == -EPERM); /* rights only shrink */
    CHECK(capsule_obj_restrict(ctx, PROC_HOSTNAME_RIGHT_GET, &get_only) == 0);
    CHECK(capsule_hostname_set(&get_only, "evil", 4) == -EPERM);
    /* a scope capability is no hostname capability, nor the other way */
    char buf[65];
    CHECK(capsule_hostname_get(scope, 0, buf) == -EBADF);
    CHECK(capsule_scope_list(ctx, pids, 4) == -EBADF);
    capsule_obj_close(&wider);
    capsule_obj_close(&get_only);
    /* a copy of a closed handle's capability names nothing, not even the
     * handle that takes its place */
    uint64_t copy = (1ull << ((const bootinfo_t *)BOOTINFO_VADDR)->cnode_size_bits) - 1;
    sys_result_t r = sys_call(CAP_INIT_CNODE, msginfo_make(INV_CNODE_COPY, 4), copy, CAP_INIT_CNODE,
                              list_only.slot, RIGHT_WRITE | RIGHT_GRANT_REPLY);
    CHECK(r.err == KERR_OK);
    capsule_obj_close(&list_only);
    CHECK(capsule_scope_list(&(capsule_obj_t){copy, 0}, pids, 4) == -EBADF);
    capsule_obj_t next;
    CHECK(capsule_obj_restrict(scope, PROC_SCOPE_RIGHT_LIST, &next) == 0);
    CHECK(capsule_scope_list(&(capsule_obj_t){copy, 0}, pids, 4) == -EBADF);
    CHECK(capsule_scope_list(&next, pids, 4) == 0);
    capsule_obj_close(&next);
    sys_call(CAP_INIT_CNODE, msginfo_make(INV_CNODE_DELETE, 1), copy, 0, 0, 0);
}

static void check_spawn_into_scope(capsule_obj_t *scope, capsule_obj_t *ctx, pid_t sleeper)
{
    char outside[16];
    snprintf(outside, sizeof(outside), "%d", sleeper);
    char *argv[] = {"/sbin/init", "scope-init", outside, NULL};
    char *envp[] = {"PATH=/sbin", NULL};
    int fds[3] = {0, 1, 2};
    int pid = capsule_spawn("/sbin/init", argv, envp, fds, scope, ctx);
    CHECK(pid > 1);
    int pids[SCOPE_LIMIT + 8];
    long n = capsule_scope_list(scope, pids, SCOPE_LIMIT + 8);
    CHECK(n >= 1 && pids[0] == pid); /* the host sees it under its own number */
    CHECK(kill(pid, 0) == 0);
    CHECK(wait_status(pid) == 0);
    CHECK(capsule_scope_list(scope, pids, SCOPE_LIMIT + 8) == 0);
    /* its PID 1 gone, the scope is a stopped record: nothing enters it */
    CHECK(capsule_spawn("/sbin/init", argv, envp, fds, scope, ctx) == -EINVAL);
    CHECK(strcmp(nodename(), "capsule") == 0);
}

/* Joins of pid, PID 1 of a scope limited to 1 and spawned in our own VFS
 * context (the boot context): its hostname context is shared; a record
 * joining its scope counts toward that scope's limit; its mounts are ours
 * (and the host's), which no joining container may be handed. */
static void check_joins(int pid)
{
    capsule_obj_t h, j;
    char name[65];
    CHECK(capsule_hostname_join(pid, &h) == 0);
    CHECK(capsule_hostname_get(&h, 0, name) >= 0 && strcmp(name, nodename()) == 0);
    capsule_obj_close(&h);
    CHECK(capsule_scope_join(pid, &j) == 0);
    char *argv[] = {"/sbin/init", "never", NULL};
    CHECK(capsule_spawn("/sbin/init", argv, NULL, NULL, &j, NULL) == -EAGAIN);
    CHECK(capsule_scope_subscope(&j, 0, &h) == -EINVAL);
    CHECK(capsule_scope_set_limit(&j, 5) == -EINVAL);
    capsule_obj_close(&j);
    CHECK(capsule_spawn_mounts_of("/sbin/init", argv, NULL, NULL, NULL, NULL, 0, pid, NULL) ==
          -EPERM);
    CHECK(capsule_spawn_mounts_of("/sbin/init", argv, NULL, NULL, NULL, NULL, 0, getpid(), NULL) ==
          -EPERM);
}

/* Limit, kill-all and sub-scopes on a second scope; the child's fd 1 is the
 * parent's pipe (chosen descriptors). */
static void check_limit_and_kill(void)
{
    capsule_obj_t scope, sub;
    CHECK(capsule_scope_create(0, &scope) == 0);
    CHECK(capsule_scope_set_limit(&scope, 1) == 0);
    int out[2];
    CHECK(pipe(out) == 0);
    char *argv[] = {"/sbin/init", "limited", NULL};
    int fds[3] = {-1, out[1], 2};
    int pid = capsule_spawn("/sbin/init", argv, NULL, fds, &scope, NULL);
    CHECK(pid > 1);
    close(out[1]);
    char verdict[3] = {0};
    CHECK(read(out[0], verdict, 2) == 2 && strcmp(verdict, "ok") == 0);
    close(out[0]);
    check_joins(pid);
    CHECK(capsule_scope_subscope(&scope, 0, &sub) == 0);
    int pids[4];
    CHECK(capsule_scope_list(&sub, pids, 4) == 0);
    CHECK(capsule_scope_list(&scope, pids, 4) == 1 && pids[0] == pid);
    CHECK(capsule_scope_kill(&scope, SIGKILL) == 1);
    CHECK(wait_status(pid) == 1000 + SIGKILL);
    capsule_obj_close(&sub);
    capsule_obj_close(&scope);
}

static void check_jail(capsule_obj_t *scope)
{
    pid_t pid = fork();
    if (pid == 0) {
        capsule_obj_t obj;
        int bad = capsule_jail() != 0;
        bad |= capsule_jail() != 0; /* set once; setting again changes nothing */
        bad |= capsule_scope_create(0, &obj) != -EPERM;
        bad |= capsule_hostname_create(&obj) != -EPERM;
        bad |= capsule_scope_subscope(scope, 0, &obj) != -EPERM; /* inherited capability */
        char *argv[] = {"/sbin/init", "jailed", NULL};
        bad |= capsule_spawn("/sbin/init", argv, NULL, NULL, scope, NULL) != -EPERM;
        if (bad) {
            _exit(50);
        }
        execve("/sbin/init", argv, NULL);
        _exit(51);
    }
    CHECK(wait_status(pid) == 0);
    capsule_obj_t obj;
    CHECK(capsule_scope_create(0, &obj) == 0); /* the parent is not jailed */
    capsule_obj_close(&obj);
}

static int64_t raw(uint64_t cap, uint64_t label, uint64_t len, uint64_t a, uint64_t b, uint64_t c,
                   uint64_t d)
{
    capsule_raw_t r = {.label = label, .length = len, .mr = {a, b, c, d}};
    return capsule_proc_raw(cap, &r, NULL);
}

static uint64_t next_random(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s;
}

static void check_malformed(capsule_obj_t *scope, capsule_obj_t *ctx)
{
    uint64_t S = CAP_PROC_SESSION;
    CHECK(raw(S, PROC_SPAWN, 2, 64, 0, 0, 0) == -EINVAL);                           /* short */
    CHECK(raw(S, PROC_SPAWN, 4, 64, 0, PROC_NO_HANDLE, PROC_NO_HANDLE) == -EFAULT); /* no desc */
    CHECK(raw(S, PROC_SCOPE_CREATE, 1, 1ull << 40, 0, 0, 0) == -EINVAL);            /* limit */
    CHECK(raw(S, 0x15f, 0, 0, 0, 0, 0) == -ENOSYS);
    /* joins: a PID of a container below the caller's scope only */
    CHECK(raw(S, PROC_SCOPE_JOIN, 0, 0, 0, 0, 0) == -EINVAL);
    CHECK(raw(S, PROC_SCOPE_JOIN, 1, 1ull << 40, 0, 0, 0) == -EINVAL);
    CHECK(raw(S, PROC_SCOPE_JOIN, 1, (uint64_t)getpid(), 0, 0, 0) == -EPERM); /* no container */
    CHECK(raw(S, PROC_HOSTNAME_JOIN, 1, (uint64_t)getpid(), 0, 0, 0) == -EPERM);
    CHECK(raw(S, PROC_HOSTNAME_JOIN, 1, 32000, 0, 0, 0) == -ESRCH);
    CHECK(raw(scope->slot, PROC_SCOPE_SET_LIMIT, 1, 1ull << 40, 0, 0, 0) == -EINVAL);
    CHECK(raw(scope->slot, PROC_SCOPE_LIST, 1, 1ull << 40, 0, 0, 0) == -EFAULT);
    CHECK(raw(scope->slot, PROC_SCOPE_KILL, 1, 65, 0, 0, 0) == -EINVAL);
    CHECK(raw(scope->slot, PROC_EXIT, 1, 0, 0, 0, 0) == -ENOSYS); /* a session request */
    CHECK(raw(scope->slot, PROC_HOSTNAME_GET, 1, 0, 0, 0, 0) == -EBADF);
    CHECK(raw(ctx->slot, PROC_HOSTNAME_GET, 1, 2, 0, 0, 0) == -EINVAL);
    CHECK(raw(ctx->slot, PROC_HOSTNAME_GET, 1, 0, 0, 0, 0) == -EFAULT);
    CHECK(raw(ctx->slot, PROC_HOSTNAME_SET, 1, 3, 0, 0, 0) == -EFAULT);
    char *argv[] = {"/sbin/init", "never", NULL};
    capsule_obj_t bogus = {scope->slot, 9};
    CHECK(capsule_spawn("/sbin/init", argv, NULL, NULL, &bogus, NULL) == -EBADF);
    CHECK(capsule_spawn("/sbin/init", argv, NULL, NULL, NULL, scope) == -EBADF);
    int bad_fds[3] = {0, 1, 77};
    CHECK(capsule_spawn("/sbin/init", argv, NULL, bad_fds, NULL, NULL) == -EBADF);
    CHECK(capsule_spawn("/nonexistent", argv, NULL, NULL, NULL, NULL) == -ENOENT);
    /* a pty (runc exec -t) only joining a running container, with no
     * descriptor given: EINVAL, nothing made */
    int none[3] = {-1, -1, -1};
    CHECK(capsule_spawn_flags("/sbin/init", argv, NULL, none, scope, NULL, PROC_SPAWN_PTY) ==
          -EINVAL);
    CHECK(capsule_spawn_flags("/sbin/init", argv, NULL, NULL, scope, NULL,
                              PROC_SPAWN_PTY | PROC_SPAWN_JOIN) == -EINVAL);
    int master = -7;
    CHECK(capsule_spawn_join_pty("/sbin/init", argv, NULL, scope, NULL, 0, &master) == -EINVAL);
    CHECK(master == -7);
    /* random labels, lengths and fields: always an answer, never a success
     * for a label that does not exist */
    uint64_t seed = 12345;
    for (int i = 0; i < 300; i++) {
        uint64_t label = 0x13c + next_random(&seed) % 0x30;
        uint64_t cap =
            next_random(&seed) & 1 ? S : (next_random(&seed) & 1 ? scope->slot : ctx->slot);
        if (label == PROC_SCOPE_CREATE || label == PROC_HOSTNAME_CREATE || label == PROC_JAIL ||
            label == PROC_OBJ_RESTRICT || label == PROC_SCOPE_SUBSCOPE ||
            label == PROC_SCOPE_KILL || label == PROC_OBJ_CLOSE || label == PROC_CONTAINER_INFO ||
            label == PROC_CONTAINER_LIST || (label >= 0x130 && label < 0x140)) {
            continue; /* these succeed (or answer a size) by design, or belong elsewhere */
        }
        int64_t r = raw(cap, label, next_random(&seed) % 5, next_random(&seed), next_random(&seed),
                        next_random(&seed), next_random(&seed));
        bool known = (label >= 0x140 && label <= 0x145) || (label >= 0x148 && label <= 0x14f) ||
                     (label >= 0x150 && label <= 0x152) || (label >= 0x157 && label <= 0x15e);
        if (r == -EIO || (!known && r != -ENOSYS) || r > 0) {
            printf("scopes: FAIL random label %#lx on %lu: %ld\n", (unsigned long)label,
                   (unsigned long)cap, (long)r);
            failures++;
        }
    }
    CHECK(getpid() == 1); /* still served */
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "scope-init") == 0) {
        return as_scope_init(argv);
    }
    if (argc > 1 && strcmp(argv[1], "limited") == 0) {
        return as_limited();
    }
    if (argc > 1 && strcmp(argv[1], "jailed") == 0) {
        return as_jailed();
    }
    if (argc > 1) {
        return 99;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t sleeper = fork();
    if (sleeper == 0) {
        pause();
        _exit(0);
    }
    capsule_obj_t scope, ctx;
    CHECK(capsule_scope_create(SCOPE_LIMIT, &scope) == 0);
    CHECK(capsule_hostname_create(&ctx) == 0);
    check_hostname(&ctx);
    check_rights(&scope, &ctx);
    check_spawn_into_scope(&scope, &ctx, sleeper);
    check_limit_and_kill();
    check_jail(&scope);
    check_malformed(&scope, &ctx);
    kill(sleeper, SIGKILL);
    waitpid(sleeper, NULL, 0);
    printf("scopes: %d checks failed\n", failures);
    return 42;
}
