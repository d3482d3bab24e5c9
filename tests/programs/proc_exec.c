/*
 * execve through proc-server: a forked child becomes a new image with the
 * arguments and environment it was given, close-on-exec descriptors closed
 * and the others kept; a "#!" script runs its interpreter; errors (missing
 * file, not an executable, bad pointer) leave the caller running; a page
 * of the program's read-only data, shared between every process running
 * the file, made writable and written by one is that process's own copy
 * (and its fork child's), never the others'. Runs as /sbin/init and
 * re-executes itself in the roles below.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("exec: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno);                 \
        }                                                                                          \
    } while (0)

/* A page of read-only data of its own: proc-server shares it between
 * every process running this file. */
static const char marker[4096] __attribute__((aligned(4096))) = "original";

/* The marker as memory holds it now (not as the compiler knows it). */
static const char *marker_now(void)
{
    const char *p = marker;
    __asm__ volatile("" : "+r"(p));
    return p;
}

/* Makes the shared page writable and writes it: its own copy, which a fork
 * child inherits. */
static int patch_marker(void)
{
    char *p = (char *)marker_now();
    if (mprotect(p, sizeof(marker), PROT_READ | PROT_WRITE) != 0) {
        return 4;
    }
    memcpy(p, "patched", 8);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(strcmp(marker_now(), "patched") == 0 ? 9 : 5);
    }
    int status;
    bool child_ok =
        waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 9;
    return child_ok && strcmp(marker_now(), "patched") == 0 ? 9 : 6;
}

/* The role of a re-executed image: its exit status says what it saw. */
static int as_child(int argc, char **argv)
{
    if (strcmp(argv[1], "patch") == 0) {
        return patch_marker();
    }
    if (strcmp(argv[1], "marker") == 0) {
        return strcmp(marker_now(), "original") == 0 ? 10 : 11;
    }
    if (strcmp(argv[1], "child") == 0) {
        const char *env = getenv("CAPSULE_TEST");
        bool args_ok = argc == 3 && strcmp(argv[2], "second") == 0;
        bool env_ok = env != NULL && strcmp(env, "yes") == 0 && getenv("PATH") == NULL;
        bool fds_ok = fcntl(3, F_GETFD) == -1 && errno == EBADF && fcntl(4, F_GETFD) == 0;
        return args_ok && env_ok && fds_ok ? 7 : 1;
    }
    if (strcmp(argv[1], "script-arg") == 0) {
        return argc == 4 && strcmp(argv[2], "/tmp/script") == 0 && strcmp(argv[3], "x") == 0 ? 8
                                                                                             : 2;
    }
    return 3;
}

static int run(char *const argv[], char *const envp[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, envp);
        _exit(99);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        return -1;
    }
    return WEXITSTATUS(status);
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) && close(fd) == 0);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        return as_child(argc, argv);
    }
    CHECK(open("/tmp/closed", O_CREAT | O_RDWR | O_CLOEXEC, 0600) == 3);
    CHECK(open("/tmp/kept", O_CREAT | O_RDWR, 0600) == 4);
    char *child[] = {"/sbin/init", "child", "second", NULL};
    char *env[] = {"CAPSULE_TEST=yes", NULL};
    CHECK(run(child, env) == 7);

    write_file("/tmp/script", "#!/sbin/init script-arg\n");
    char *script[] = {"/tmp/script", "x", NULL};
    CHECK(run(script, env) == 8);

    write_file("/tmp/garbage", "this is not an executable\n");
    CHECK(execve("/tmp/garbage", script, env) == -1 && errno == ENOEXEC);
    CHECK(execve("/nonexistent", script, env) == -1 && errno == ENOENT);
    CHECK(execve((const char *)0x10000000, script, env) == -1 && errno == EFAULT);
    write_file("/tmp/loop", "#!/tmp/script\n");
    CHECK(execve("/tmp/loop", script, env) == -1 && errno == ENOEXEC); /* one level only */
    char *patch[] = {"/sbin/init", "patch", NULL};
    char *check_marker[] = {"/sbin/init", "marker", NULL};
    CHECK(run(patch, env) == 9);
    CHECK(strcmp(marker_now(), "original") == 0); /* shares the page the child wrote */
    CHECK(run(check_marker, env) == 10);
    printf("exec: %d checks failed\n", failures);
    fflush(stdout);
    return failures == 0 ? 42 : 1;
}
