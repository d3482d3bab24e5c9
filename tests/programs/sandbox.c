/*
 * sandbox PROGRAM ARGS...: runs PROGRAM as PID 1 of a new scope, with a new
 * hostname context ("sandbox") and a copy of the caller's VFS context, on
 * the caller's descriptors 0-2; waits for it and exits as it did. What a
 * container will be once runc creates them, for the debug console's
 * scenario (dbg containers, caps of a process inside, dbg refused inside).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "capsule/proc_client.h"
#include "capsule/vfs_client.h"

extern char **environ;

static int fail(const char *what, int err)
{
    fprintf(stderr, "sandbox: %s: %s\n", what, strerror(-err));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sandbox PROGRAM ARGS...\n");
        return 2;
    }
    capsule_obj_t scope, host, ctx;
    int err = capsule_scope_create(0, &scope);
    if (err < 0) {
        return fail("scope", err);
    }
    if ((err = capsule_hostname_create(&host)) < 0 ||
        (err = capsule_hostname_set(&host, "sandbox", 7)) < 0) {
        return fail("hostname context", err);
    }
    if ((err = capsule_vfs_context_create(NULL, &ctx)) < 0 ||
        (err = capsule_vfs_context_prepare_spawn(&ctx, NULL)) < 0) {
        return fail("VFS context", err);
    }
    const int fds[3] = {0, 1, 2};
    int pid = capsule_spawn(argv[1], argv + 1, environ, fds, &scope, &host);
    if (pid < 0) {
        return fail(argv[1], pid);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        perror("sandbox: waitpid");
        return 1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
