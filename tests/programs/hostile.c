/*
 * hostile: a misbehaving process for the fault-survival scenario (issue
 * 9.3). Each mode harms, by design, only the process and its container;
 * the scenario measures the others' latency meanwhile (latprobe.c).
 *
 *   hostile crash   children that fault (SIGSEGV) one after another, for ever
 *   hostile busy    a loop that never blocks
 *   hostile memory  allocates and touches memory until refused, then holds it
 *   hostile forks   forks until refused (the container's pids limit), all wait
 *   hostile flood   requests to proc-server and vfs-server back to back
 *   hostile pipe    fills pipes nobody reads until refused, then blocks
 *                   writing one more
 *
 * Prints "hostile: MODE ready" once the harm is in place (for the modes
 * that build up to a limit: what stopped it), then keeps going until
 * killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void ready(const char *mode, const char *detail)
{
    printf("hostile: %s ready%s%s\n", mode, detail[0] ? ": " : "", detail);
    fflush(stdout);
}

static void crash(void)
{
    ready("crash", "");
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) {
            int *volatile nowhere = NULL;
            *nowhere = 1; /* a real page fault, not a raised signal */
            _exit(0);
        }
        if (pid > 0) {
            waitpid(pid, NULL, 0);
        }
    }
}

static void busy(void)
{
    ready("busy", "");
    for (volatile unsigned long i = 0;; i++) {
    }
}

static void memory(void)
{
    size_t total = 0, chunk = 256 * 1024;
    for (;;) {
        char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            break;
        }
        memset(p, 0x5a, chunk); /* every page really held */
        total += chunk;
    }
    char detail[64];
    snprintf(detail, sizeof(detail), "%zu KiB, then %s", total / 1024, strerror(errno));
    ready("memory", detail);
    for (;;) {
        pause();
    }
}

static void forks(void)
{
    unsigned n = 0;
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) {
            for (;;) {
                pause();
            }
        }
        if (pid < 0) {
            break;
        }
        n++;
    }
    char detail[64];
    snprintf(detail, sizeof(detail), "%u children, then %s", n, strerror(errno));
    ready("forks", detail);
    for (;;) {
        pause();
    }
}

static void flood(void)
{
    struct stat st;
    ready("flood", "");
    for (;;) {
        getppid();
        stat("/", &st);
    }
}

static void never_read(void)
{
    static char block[4096];
    unsigned pipes = 0;
    size_t bytes = 0;
    int fds[2];
    int last = -1;
    while (pipe(fds) == 0) {
        fcntl(fds[1], F_SETFL, O_NONBLOCK);
        ssize_t n;
        while ((n = write(fds[1], block, sizeof(block))) > 0) {
            bytes += (size_t)n;
        }
        pipes++;
        last = fds[1];
    }
    char detail[80];
    snprintf(detail, sizeof(detail), "%u pipes, %zu KiB unread, then %s", pipes, bytes / 1024,
             strerror(errno));
    ready("pipe", detail);
    if (last >= 0) {
        fcntl(last, F_SETFL, 0);
        write(last, block, sizeof(block)); /* blocks for ever */
    }
    for (;;) {
        pause();
    }
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } modes[] = {{"crash", crash}, {"busy", busy},   {"memory", memory},
                 {"forks", forks}, {"flood", flood}, {"pipe", never_read}};
    for (size_t i = 0; argc == 2 && i < sizeof(modes) / sizeof(modes[0]); i++) {
        if (strcmp(argv[1], modes[i].name) == 0) {
            modes[i].run();
        }
    }
    fprintf(stderr, "usage: hostile crash|busy|memory|forks|flood|pipe\n");
    return 2;
}
