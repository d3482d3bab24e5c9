/*
 * Scope memory pools (PROC_SCOPE_SET_MEMORY): what a program inside a
 * container sees when the container's memory runs out, and what an idle
 * container costs. Runs as /sbin/init and spawns itself in the roles below;
 * each role's exit status is its failure count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capsule/proc_client.h"
#include "protocol/proc.h"

#define MIB (1ull << 20)
#define CONTAINER_BYTES (8 * MIB)
#define CHUNK (64 * 1024)
#define IDLE_CONTAINERS 200
#define IDLE_BUSYBOX 10

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("memory: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno);               \
        }                                                                                          \
    } while (0)

static int wait_status(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

/* Touches every page, so the memory is really there (it is anyway: pages
 * are allocated when mapped, never on a fault). */
static void touch(char *p, size_t len)
{
    for (size_t i = 0; i < len; i += 4096) {
        p[i] = 1;
    }
}

/* Maps anonymous chunks until mmap fails; returns the bytes it got. (mmap
 * rather than malloc: malloc asks for ever larger groups, so its failure
 * says little about how much is left.) */
static size_t allocate_all(int *err)
{
    size_t total = 0;
    for (;;) {
        errno = 0;
        char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            *err = errno;
            return total;
        }
        touch(p, CHUNK);
        total += CHUNK;
        if (total > 64 * MIB) {
            *err = 0;
            return total; /* no limit at all: stop before the machine does */
        }
    }
}

/* Inside a container of argv[2] bytes: mmap, malloc, sbrk, fork and execve
 * all fail cleanly with ENOMEM once it is full, and the program goes on. */
static int as_hog(char **argv)
{
    size_t limit = strtoull(argv[2], NULL, 0);
    int err;
    size_t got = allocate_all(&err);
    printf("memory: hog allocated %zu KiB, then errno %d\n", got >> 10, err);
    CHECK(err == ENOMEM);
    CHECK(got < limit && got > limit / 2);
    /* less than a chunk is left, so nothing of a chunk's size fits */
    errno = 0;
    CHECK(malloc(CHUNK) == NULL && errno == ENOMEM);
    errno = 0;
    CHECK(sbrk(CHUNK) == (void *)-1 && errno == ENOMEM);
    errno = 0;
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    printf("memory: fork in the full container: %d, errno %d\n", (int)pid, errno);
    CHECK(pid == -1 && errno == ENOMEM);
    /* exec builds the new image beside the old one: no room, the old stays */
    char *idle[] = {"/sbin/init", "idle", NULL};
    errno = 0;
    CHECK(execve(idle[0], idle, NULL) == -1 && errno == ENOMEM);
    /* the program still works: it can write, and use what it has */
    printf("memory: hog still running after ENOMEM\n");
    return failures;
}

/* Inside a container: a parent holding 3 MiB forks until fork fails (each
 * child copies the 3 MiB); the children's memory is the container's. */
static int as_forker(void)
{
    char *p = malloc(3 * MIB);
    CHECK(p != NULL);
    if (p != NULL) {
        touch(p, 3 * MIB);
    }
    pid_t kids[16];
    int n = 0;
    for (; n < 16; n++) {
        errno = 0;
        kids[n] = fork();
        if (kids[n] == 0) {
            pause();
            _exit(0);
        }
        if (kids[n] < 0) {
            break;
        }
    }
    int err = errno;
    printf("memory: forker made %d children before errno %d\n", n, err);
    CHECK(n >= 1 && n < 3);
    CHECK(err == ENOMEM);
    for (int i = 0; i < n; i++) {
        kill(kids[i], SIGKILL);
        CHECK(wait_status(kids[i]) == 1000 + SIGKILL);
    }
    /* the children's memory came back: one more fork fits */
    pid_t again = fork();
    if (again == 0) {
        _exit(0);
    }
    CHECK(again > 0 && wait_status(again) == 0);
    return failures;
}

/* An idle container's process: tells init it is up (a byte on its
 * stdout), then waits forever. */
__attribute__((noreturn)) static void as_idle(void)
{
    char c = 'u';
    write(1, &c, 1);
    close(1);
    for (;;) {
        pause();
    }
}

static int spawn_into(capsule_obj_t *scope, char **argv, const int fds[3])
{
    static char *envp[] = {"PATH=/sbin:/bin", NULL};
    return capsule_spawn(argv[0], argv, envp, fds, scope, NULL);
}

/* The request's arguments and rules, on scopes without processes. */
static void check_requests(void)
{
    capsule_obj_t a, ro, sub;
    CHECK(capsule_scope_create(0, &a) == 0);
    CHECK(capsule_scope_memory_usage(&a) == -ENODATA);
    CHECK(capsule_scope_set_memory(&a, MIB - 1) == -EINVAL);
    CHECK(capsule_scope_set_memory(&a, 1) == -EINVAL);
    CHECK(capsule_scope_set_memory(&a, 1ull << 50) == -EINVAL); /* above the machine */
    CHECK(capsule_scope_set_memory(&a, UINT64_MAX) == -EINVAL);
    CHECK(capsule_obj_restrict(&a, PROC_SCOPE_RIGHT_LIST, &ro) == 0);
    CHECK(capsule_scope_set_memory(&ro, CONTAINER_BYTES) == -EPERM);
    CHECK(capsule_scope_memory_usage(&a) == -ENODATA); /* nothing changed */
    CHECK(capsule_scope_set_memory(&a, CONTAINER_BYTES) == 0);
    CHECK(capsule_scope_memory_usage(&a) == 0);
    CHECK(capsule_scope_memory_usage(&ro) == 0);       /* the list right reads it */
    CHECK(capsule_scope_set_memory(&a, 4 * MIB) == 0); /* replaced while empty */
    /* a sub-scope's ceiling is within its parent's */
    CHECK(capsule_scope_subscope(&a, 0, &sub) == 0);
    CHECK(capsule_scope_set_memory(&sub, 4 * MIB + 1) == -EINVAL);
    CHECK(capsule_scope_set_memory(&sub, 2 * MIB) == 0);
    CHECK(capsule_scope_memory_usage(&a) > 0); /* the sub-scope's pool structure */
    /* a parent's pool cannot be replaced under a sub-scope's */
    CHECK(capsule_scope_set_memory(&a, CONTAINER_BYTES) == -EBUSY);
    CHECK(capsule_scope_set_memory(&sub, 0) == 0);
    CHECK(capsule_scope_memory_usage(&sub) == -ENODATA);
    CHECK(capsule_scope_set_memory(&a, CONTAINER_BYTES) == 0);
    /* once the scope has a process, its memory is fixed */
    int up[2];
    CHECK(pipe(up) == 0);
    char *argv[] = {"/sbin/init", "idle", NULL};
    int fds[3] = {-1, up[1], 2};
    int pid = spawn_into(&a, argv, fds);
    close(up[1]);
    CHECK(pid > 1);
    char c;
    CHECK(read(up[0], &c, 1) == 1);
    close(up[0]);
    CHECK(capsule_scope_set_memory(&a, 4 * MIB) == -EBUSY);
    CHECK(capsule_scope_set_memory(&a, 0) == -EBUSY);
    int64_t used = capsule_scope_memory_usage(&a);
    printf("memory: one idle process holds %lld KiB of its container's pool\n",
           (long long)used >> 10);
    CHECK(used > 0 && used < (int64_t)CONTAINER_BYTES);
    kill(pid, SIGKILL);
    CHECK(wait_status(pid) == 1000 + SIGKILL);
    /* its objects went with it */
    CHECK(capsule_scope_memory_usage(&a) == 0);
    capsule_obj_close(&sub);
    capsule_obj_close(&ro);
    capsule_obj_close(&a);
}

/* Scope pools nest as deep as leaves room for their processes' pools, and
 * a process starts in the deepest. */
static void check_nesting(void)
{
    capsule_obj_t cur, sub;
    uint64_t bytes = 32 * MIB;
    int levels = 0, err;
    CHECK(capsule_scope_create(0, &cur) == 0);
    while ((err = capsule_scope_set_memory(&cur, bytes)) == 0) {
        levels++;
        CHECK(capsule_scope_subscope(&cur, 0, &sub) == 0);
        capsule_obj_close(&cur); /* the sub-scope keeps it */
        cur = sub;
        bytes -= MIB;
        CHECK(levels <= 32);
    }
    printf("memory: scope pools nest %d deep, then %d\n", levels, err);
    CHECK(err == -ENOSPC && levels == 13);
    char *argv[] = {"/sbin/init", "true", NULL};
    int fds[3] = {-1, 1, 2};
    int pid = capsule_spawn(argv[0], argv, NULL, fds, &cur, NULL);
    CHECK(pid > 1 && wait_status(pid) == 0);
    capsule_obj_close(&cur);
}

/* A program that allocates until failure in an 8 MiB container gets ENOMEM
 * and goes on; the host is untouched and can still allocate. */
static void check_exhaustion(void)
{
    capsule_obj_t scope;
    char limit[32];
    snprintf(limit, sizeof(limit), "%llu", CONTAINER_BYTES);
    char *argv[] = {"/sbin/init", "hog", limit, NULL};
    int fds[3] = {0, 1, 2};
    CHECK(capsule_scope_create(0, &scope) == 0);
    CHECK(capsule_scope_set_memory(&scope, CONTAINER_BYTES) == 0);
    int pid = spawn_into(&scope, argv, fds);
    CHECK(pid > 1);
    CHECK(wait_status(pid) == 0);
    CHECK(capsule_scope_memory_usage(&scope) == 0);
    capsule_obj_close(&scope);
    /* the host: 12 MiB more than the container had, in one process */
    char *p = malloc(12 * MIB);
    CHECK(p != NULL);
    if (p != NULL) {
        touch(p, 12 * MIB);
        free(p);
    }
    printf("memory: host allocated 12 MiB after the container ran out: %s\n",
           p != NULL ? "ok" : "FAILED");
}

/* fork inside a container, and a sub-scope without a pool of its own
 * drawing on its parent's. */
static void check_fork_and_subscope(void)
{
    capsule_obj_t scope, sub;
    int fds[3] = {0, 1, 2};
    CHECK(capsule_scope_create(0, &scope) == 0);
    CHECK(capsule_scope_set_memory(&scope, CONTAINER_BYTES) == 0);
    char *forker[] = {"/sbin/init", "forker", NULL};
    int pid = spawn_into(&scope, forker, fds);
    CHECK(pid > 1 && wait_status(pid) == 0);
    capsule_obj_close(&scope);

    char limit[32];
    snprintf(limit, sizeof(limit), "%llu", 2 * CONTAINER_BYTES);
    char *hog[] = {"/sbin/init", "hog", limit, NULL};
    CHECK(capsule_scope_create(0, &scope) == 0);
    CHECK(capsule_scope_set_memory(&scope, 2 * CONTAINER_BYTES) == 0);
    CHECK(capsule_scope_subscope(&scope, 0, &sub) == 0);
    pid = spawn_into(&sub, hog, fds);
    CHECK(pid > 1 && wait_status(pid) == 0);
    CHECK(capsule_scope_memory_usage(&scope) == 0);
    capsule_obj_close(&sub);
    capsule_obj_close(&scope);
}

/* `count` containers of `bytes` each under one parent scope, each running
 * argv idle; prints what the parent's pool holds per container. */
static void measure_idle(const char *what, char **argv, int count, uint64_t bytes)
{
    capsule_obj_t all;
    CHECK(capsule_scope_create(0, &all) == 0);
    CHECK(capsule_scope_set_memory(&all, 256 * MIB) == 0);
    int up[2];
    CHECK(pipe(up) == 0);
    int fds[3] = {-1, up[1], 2};
    int started = 0;
    for (int i = 0; i < count; i++) {
        capsule_obj_t c;
        if (capsule_scope_subscope(&all, 0, &c) != 0) {
            break;
        }
        CHECK(capsule_scope_set_memory(&c, bytes) == 0);
        int pid = spawn_into(&c, argv, fds);
        capsule_obj_close(&c); /* the scope lives on with its process */
        if (pid < 0) {
            printf("memory: container %d: spawn failed: %d\n", i, pid);
            break;
        }
        started++;
    }
    close(up[1]);
    CHECK(started == count);
    int ready = 0;
    char c;
    while (ready < started && read(up[0], &c, 1) == 1) {
        ready++;
    }
    close(up[0]);
    int64_t used = capsule_scope_memory_usage(&all);
    printf("memory: %d idle %s containers hold %lld KiB of kernel pool: %lld bytes each\n", started,
           what, (long long)used >> 10, started > 0 ? (long long)used / started : 0ll);
    CHECK(capsule_scope_kill(&all, SIGKILL) == started);
    int reaped = 0;
    while (reaped < started && wait(NULL) > 0) {
        reaped++;
    }
    CHECK(reaped == started);
    /* every container's scope and pool went with its process */
    CHECK(capsule_scope_memory_usage(&all) == 0);
    capsule_obj_close(&all);
}

/* brk(2) itself: musl's sbrk refuses any increment. */
static uintptr_t brk_to(uintptr_t addr)
{
    return (uintptr_t)syscall(SYS_brk, addr);
}

/* The heap (proc-server/heap.h): the break moves to the byte, its pages
 * read zero until written (also after the break went down and up again), a
 * read() lands in pages never touched, a fork child has its own copy, and
 * a heap larger than the largest allowed is refused. */
static int as_brk(void)
{
    uintptr_t start = brk_to(0);
    CHECK(start % 4096 == 0);
    size_t len = 5 * 4096 + 100;
    CHECK(brk_to(start + len) == start + len);
    CHECK(brk_to(0) == start + len);
    unsigned char *p = (unsigned char *)start;
    bool zero = true;
    for (size_t i = 0; i < len; i += 512) {
        zero = zero && p[i] == 0;
    }
    CHECK(zero);
    memset(p, 0x5a, 4096);
    /* a server writes into pages the program never touched */
    int fd = open("/sbin/init", O_RDONLY);
    CHECK(fd >= 0 && read(fd, p + 2 * 4096, 2 * 4096) == 2 * 4096);
    CHECK(memcmp(p + 2 * 4096, "\177ELF", 4) == 0);
    close(fd);
    pid_t pid = fork();
    if (pid == 0) {
        bool same = p[0] == 0x5a && p[4095] == 0x5a && memcmp(p + 2 * 4096, "\177ELF", 4) == 0;
        memset(p, 0x11, 4096);
        p[5 * 4096] = 1; /* a page the parent never touched */
        _exit(same ? 0 : 1);
    }
    CHECK(pid > 0 && wait_status(pid) == 0);
    CHECK(p[0] == 0x5a && p[4095] == 0x5a && p[5 * 4096] == 0);
    /* down and up again: the pages above the break's page came back
     * zeroed; the page holding the break kept its bytes, as on Linux */
    CHECK(brk_to(start + 10) == start + 10);
    CHECK(brk_to(start + len) == start + len);
    CHECK(p[0] == 0x5a && p[10] == 0x5a && p[4096] == 0 && p[2 * 4096] == 0);
    CHECK(brk_to(start + (512ull << 20)) == start + len); /* beyond the largest heap */
    CHECK(brk_to(start) == start);
    return failures;
}

/* Inside a container: heap pages promised by brk while there was room, then
 * the room taken by mmap; touching them kills the process (SIGKILL, as
 * Linux's out-of-memory killer), nothing outside. */
static int as_heap_hog(void)
{
    uintptr_t start = brk_to(0);
    size_t len = 2 * MIB;
    if (brk_to(start + len) != start + len) {
        return 90;
    }
    int err;
    allocate_all(&err);
    for (size_t i = 0; i < len; i += 4096) {
        ((volatile char *)start)[i] = 1;
    }
    return 91; /* every page fitted: not what the test wants */
}

/* Pages of .bss nobody touched before the checks below (proc-server makes
 * them on first touch: proc-server/zero_pages.h). */
static unsigned char bss_pages[8 * 4096] __attribute__((aligned(4096)));

/* .bss on demand: it reads zero, a server writes into pages never
 * touched, a fork child gets the touched pages and zeros for the others,
 * and mprotect works on a page not made yet. */
static void check_bss(void)
{
    unsigned char *p = bss_pages;
    CHECK(p[0] == 0 && p[4096 + 7] == 0);
    int fd = open("/sbin/init", O_RDONLY);
    CHECK(fd >= 0 && read(fd, p + 2 * 4096, 2 * 4096) == 2 * 4096);
    CHECK(memcmp(p + 2 * 4096, "\177ELF", 4) == 0);
    close(fd);
    p[0] = 0x77;
    pid_t pid = fork();
    if (pid == 0) {
        bool ok = p[0] == 0x77 && memcmp(p + 2 * 4096, "\177ELF", 4) == 0 && p[5 * 4096] == 0;
        p[6 * 4096] = 1;
        _exit(ok ? 0 : 1);
    }
    CHECK(pid > 0 && wait_status(pid) == 0);
    CHECK(p[6 * 4096] == 0);
    /* a page never touched: read-only, read, writable again, written */
    CHECK(mprotect(p + 7 * 4096, 4096, PROT_READ) == 0);
    CHECK(p[7 * 4096] == 0);
    CHECK(mprotect(p + 7 * 4096, 4096, PROT_READ | PROT_WRITE) == 0);
    p[7 * 4096] = 3;
    CHECK(p[7 * 4096] == 3);
    printf("memory: bss on demand checked\n");
}

static void check_heap(void)
{
    char *brk_argv[] = {"/sbin/init", "brk", NULL};
    int fds[3] = {0, 1, 2};
    int pid = capsule_spawn(brk_argv[0], brk_argv, NULL, fds, NULL, NULL);
    int brk_status = pid > 1 ? wait_status(pid) : -1;
    CHECK(brk_status == 0);
    capsule_obj_t scope;
    char *hog_argv[] = {"/sbin/init", "heaphog", NULL};
    CHECK(capsule_scope_create(0, &scope) == 0);
    CHECK(capsule_scope_set_memory(&scope, CONTAINER_BYTES) == 0);
    pid = spawn_into(&scope, hog_argv, fds);
    int hog_status = pid > 1 ? wait_status(pid) : -1;
    CHECK(hog_status == 1000 + SIGKILL);
    CHECK(capsule_scope_memory_usage(&scope) == 0);
    capsule_obj_close(&scope);
    printf("memory: heap: status %d; heap out of memory: status %d\n", brk_status, hog_status);
}

#define STACK_FRAME_BYTES 4096

/* Recurses `depth` frames of about 4 KiB each, every frame's bytes written
 * on the way down and checked on the way up: the stack grows on demand. At
 * the bottom, `at_bottom` runs. Returns the number of bad bytes. */
static int recurse(int depth, int (*at_bottom)(void))
{
    volatile unsigned char frame[STACK_FRAME_BYTES];
    for (size_t i = 0; i < sizeof(frame); i += 512) {
        frame[i] = (unsigned char)(depth + i);
    }
    int bad = depth > 0 ? recurse(depth - 1, at_bottom) : at_bottom();
    for (size_t i = 0; i < sizeof(frame); i += 512) {
        bad += frame[i] != (unsigned char)(depth + i);
    }
    return bad;
}

/* A read into a stack buffer no one has touched: the server's copy finds
 * its pages mapped (the runtime touches a lent buffer first). */
static int read_into_fresh_stack(void)
{
    char buf[64 * 1024];
    int fd = open("/sbin/init", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
    if (fd >= 0) {
        close(fd);
    }
    return n == (ssize_t)sizeof(buf) && memcmp(buf, "\177ELF", 4) == 0 ? 0 : 1;
}

/* fork at the bottom of a deep stack: the child has every page of it. */
static int fork_at_bottom(void)
{
    int bad = read_into_fresh_stack();
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0); /* unwinding in the child checks the copied frames */
    }
    return bad + (pid > 0 && wait_status(pid) == 0 ? 0 : 1);
}

static int none(void)
{
    return 0;
}

static int as_deep(void)
{
    /* 6 MiB of the 8 MiB RLIMIT_STACK, checked going up */
    return recurse(6 * 256, fork_at_bottom) == 0 ? 0 : 1;
}

static int as_overflow(void)
{
    recurse(1 << 20, none); /* 4 GiB: past the limit */
    return 1;
}

/* Unmapped address space is used again first, so a long-running program's
 * mappings stay where its earlier ones were (the runtime maps a metadata
 * page per 4 MiB of address space it has ever used). */
static void check_reuse(void)
{
    char *a = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *b = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(a != MAP_FAILED && b != MAP_FAILED);
    CHECK(munmap(a, MIB) == 0);
    char *c = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(c == a);
    CHECK(munmap(c, MIB) == 0 && munmap(b, MIB) == 0);
}

/* The stack grows on demand up to RLIMIT_STACK, and a fork copies it; past
 * the limit the process gets SIGSEGV. */
static void check_stack(void)
{
    struct rlimit lim;
    CHECK(getrlimit(RLIMIT_STACK, &lim) == 0 && lim.rlim_cur == 8 * MIB && lim.rlim_max == 8 * MIB);
    char *deep[] = {"/sbin/init", "deep", NULL};
    char *overflow[] = {"/sbin/init", "overflow", NULL};
    int fds[3] = {0, 1, 2};
    int pid = capsule_spawn(deep[0], deep, NULL, fds, NULL, NULL);
    int deep_status = pid > 1 ? wait_status(pid) : -1;
    CHECK(deep_status == 0);
    pid = capsule_spawn(overflow[0], overflow, NULL, fds, NULL, NULL);
    int overflow_status = pid > 1 ? wait_status(pid) : -1;
    CHECK(overflow_status == 1000 + SIGSEGV);
    printf("memory: deep stack: status %d; overflow: status %d\n", deep_status, overflow_status);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "deep") == 0) {
        return as_deep();
    }
    if (argc > 1 && strcmp(argv[1], "overflow") == 0) {
        return as_overflow();
    }
    if (argc > 2 && strcmp(argv[1], "hog") == 0) {
        return as_hog(argv);
    }
    if (argc > 1 && strcmp(argv[1], "forker") == 0) {
        return as_forker();
    }
    if (argc > 1 && strcmp(argv[1], "brk") == 0) {
        return as_brk();
    }
    if (argc > 1 && strcmp(argv[1], "heaphog") == 0) {
        return as_heap_hog();
    }
    if (argc > 1 && strcmp(argv[1], "true") == 0) {
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "idle") == 0) {
        as_idle();
    }
    if (argc > 1) {
        return 99;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    check_requests();
    check_nesting();
    check_exhaustion();
    check_fork_and_subscope();
    check_stack();
    check_bss();
    check_heap();
    check_reuse();
    char *idle[] = {"/sbin/init", "idle", NULL};
    measure_idle("test-program", idle, IDLE_CONTAINERS, 2 * MIB);
    char *sleeper[] = {"/bin/sh", "-c", "printf u; exec sleep 100000", NULL};
    measure_idle("BusyBox", sleeper, IDLE_BUSYBOX, 8 * MIB);
    printf("memory: %d checks failed\n", failures);
    return 42;
}
