/*
 * sysfuzz: random Linux system calls and random native IPC from inside a
 * process, to show that nothing a program asks can hurt the kernel, the
 * servers or another process (issue 9.2; docs/security.md).
 *
 *   sysfuzz [-s SEED] [-n ROUNDS] [-b BATCH] [-t MS] [-v]
 *
 * The parent jails itself (so no round can reach the machine's power or
 * anything outside its container), then forks one child per BATCH rounds.
 * A child fuzzes: each round is a Linux call (a random number with random
 * arguments: pointers into mapped, unmapped and kernel memory, path names,
 * descriptors, sizes) or a native call (random CPtr, label, message
 * registers, capability transfers, buffer descriptors, receive slot). A
 * child that dies is counted by the signal that killed it, one that hangs
 * past MS milliseconds is killed, and the next batch goes on: the test is
 * what survives, not the child. Batch k's child seeds its generator from
 * SEED and k, so "sysfuzz -s SEED -n N" replays a run exactly up to the
 * machine's own timing. With -v a batch that hangs names its last call.
 *
 * What a child never does, because it would only end the fuzzing early or
 * reach its own parent rather than test anything: exit, execve, fork and
 * clone (natively too: proc-server's fork, exec and spawn requests), pause
 * and rt_sigsuspend (they wait for a signal nobody sends),
 * rt_sigreturn with garbage, arch_prctl (musl's thread pointer), signals to
 * any process but itself, and memory calls (munmap, mremap, mprotect,
 * madvise, brk, a fixed mmap) on anything but its scratch area or memory
 * it never mapped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capsule/proc_client.h"
#include "capsule/syscall.h"
#include "protocol/posix_runtime.h"
#include "protocol/proc.h"
#include "uapi/bootinfo.h"

#define SCRATCH_SIZE (64 * 1024)
#define HIGHEST_LINUX_CALL 460

static uint64_t rng_state;

/* splitmix64: small, and every seed gives a full-period sequence */
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
    return n == 0 ? 0 : rnd() % n;
}

static uint8_t *scratch; /* the child's own memory to point into */

static const char *const paths[] = {
    "/",
    "/tmp",
    "/tmp/fz",
    "/tmp/fz/a",
    "/proc/self/status",
    "/proc/1",
    "/proc/self/fd",
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/ptmx",
    "/dev/urandom",
    "/etc/passwd",
    "/bin/busybox",
    ".",
    "..",
    "",
    "/proc/self/maps",
    "/dev/pts/0",
    "/proc/mounts",
    "/tmp/fz/b/",
    "//tmp/../tmp",
    "/proc/loadavg",
    "/proc/meminfo",
    "/bin",
};

/* A pointer a system call may be given: mostly into the scratch area, else
 * somewhere that must be refused (unmapped, kernel, non-canonical,
 * read-only). */
static uint64_t pointer(void)
{
    switch (below(12)) {
    case 0:
        return 0;
    case 1:
        return 0x1000 + below(0x10000);
    case 2:
        return 0xffff800000000000ull + below(1ull << 32);
    case 3:
        return 0xffffffff80000000ull + below(1ull << 24);
    case 4:
        return 0x800000000000ull - below(64); /* straddles the end of user space */
    case 5:
        return 0x7fffffffe000ull + below(0x1000); /* the kernel info page, read-only */
    case 6:
        return (uint64_t)scratch + SCRATCH_SIZE - below(64); /* runs off the end */
    case 7:
        return rnd();
    default:
        return (uint64_t)scratch + below(SCRATCH_SIZE);
    }
}

/* A path name: one of the paths above, copied into scratch, or garbage. */
static uint64_t path(void)
{
    if (below(8) == 0) {
        return pointer();
    }
    char *p = (char *)scratch + below(SCRATCH_SIZE - 256);
    if (below(16) == 0) { /* longer than PATH_MAX */
        size_t n = 4096 + below(256);
        if ((uint8_t *)p + n >= scratch + SCRATCH_SIZE) {
            n = (size_t)(scratch + SCRATCH_SIZE - (uint8_t *)p) - 1;
        }
        memset(p, 'a', n);
        p[n] = 0;
        return (uint64_t)p;
    }
    strcpy(p, paths[below(sizeof(paths) / sizeof(paths[0]))]);
    return (uint64_t)p;
}

static uint64_t number(void)
{
    static const uint64_t edges[] = {0,
                                     1,
                                     2,
                                     3,
                                     4096,
                                     4095,
                                     0x7fffffff,
                                     0x80000000,
                                     0xffffffff,
                                     ~0ull,
                                     ~0ull >> 1,
                                     1ull << 63,
                                     (uint64_t)-4096,
                                     64,
                                     256,
                                     1024};
    switch (below(4)) {
    case 0:
        return edges[below(sizeof(edges) / sizeof(edges[0]))];
    case 1:
        return below(64);
    case 2:
        return rnd() >> below(64);
    default:
        return rnd();
    }
}

static uint64_t descriptor(void)
{
    return below(8) == 0 ? number() : below(24);
}

/* One argument, of a kind chosen at random: most calls take pointers,
 * descriptors and small numbers. */
static uint64_t argument(void)
{
    switch (below(5)) {
    case 0:
        return pointer();
    case 1:
        return path();
    case 2:
        return descriptor();
    default:
        return number();
    }
}

/* An address a memory call may name: the scratch area's pages or memory
 * the child never mapped, never its text, data or stack. */
static uint64_t own_memory(void)
{
    if (below(3) == 0) {
        return pointer() & ~0xfffull;
    }
    return (uint64_t)scratch + (below(SCRATCH_SIZE / 4096) << 12);
}

static long raw_syscall(long n, const uint64_t a[6])
{
    register uint64_t r10 __asm__("r10") = a[3];
    register uint64_t r8 __asm__("r8") = a[4];
    register uint64_t r9 __asm__("r9") = a[5];
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* Makes the call harmless to the fuzzing itself (see the top comment);
 * false: skip it. */
static bool tame(long n, uint64_t a[6])
{
    switch (n) {
    case SYS_exit:
    case SYS_exit_group:
    case SYS_execve:
    case SYS_execveat:
    case SYS_fork:
    case SYS_vfork:
    case SYS_clone:
    case SYS_clone3:
    case SYS_rt_sigreturn:
    case SYS_arch_prctl:
    case SYS_ptrace:
    case SYS_pause:
    case SYS_rt_sigsuspend: /* waits for a signal nobody sends: the watchdog's */
        return false;
    case SYS_kill:
    case SYS_tkill:
    case SYS_rt_sigqueueinfo:
    case SYS_prlimit64:
        a[0] = below(2) ? (uint64_t)getpid() : 1u << 22;
        return true;
    case SYS_tgkill:
    case SYS_rt_tgsigqueueinfo:
        a[0] = a[1] = below(2) ? (uint64_t)getpid() : 1u << 22;
        return true;
    case SYS_munmap:
    case SYS_mremap:
    case SYS_mprotect:
    case SYS_madvise:
    case SYS_msync:
    case SYS_mlock:
    case SYS_munlock:
        a[0] = own_memory();
        a[1] = below(4) ? below(SCRATCH_SIZE) : number();
        if (n == SYS_mremap) {
            a[3] &= ~(uint64_t)MREMAP_FIXED;
        }
        return true;
    case SYS_mmap:
        a[3] &= ~(uint64_t)(MAP_FIXED | MAP_FIXED_NOREPLACE);
        if (below(4) == 0) {
            a[0] = own_memory();
            a[3] |= MAP_FIXED;
        }
        return true;
    case SYS_brk:
        a[0] = below(2) ? 0 : number();
        return a[0] == 0 || a[0] > (uint64_t)sbrk(0) + (1u << 20);
    default:
        return true;
    }
}

/* With -v, before each call the child writes what it is about to do to a
 * pipe the parent drains, so a batch that hangs names its last call. */
#define TRACE_FD 200
static bool tracing;

typedef struct {
    int64_t number;      /* Linux call number, or the native call (negative) */
    uint64_t a0, a1, a2; /* the first arguments; native: CPtr, label, MR0 */
} trace_t;

static void trace(int64_t number, uint64_t a0, uint64_t a1, uint64_t a2)
{
    if (tracing) {
        trace_t t = {number, a0, a1, a2};
        write(TRACE_FD, &t, sizeof(t));
    }
}

static void linux_round(void)
{
    long n = (long)below(HIGHEST_LINUX_CALL);
    if (below(64) == 0) {
        n = (long)(number() & 0x7fffffffffffffffull); /* past every Linux number */
    }
    uint64_t a[6];
    for (int i = 0; i < 6; i++) {
        a[i] = argument();
    }
    if (tame(n, a)) {
        trace(n, a[0], a[1], a[2]);
        raw_syscall(n, a);
    }
}

static ipc_buffer_t *ipc_buffer(void)
{
    return (ipc_buffer_t *)((const bootinfo_t *)BOOTINFO_VADDR)->ipc_buffer_vaddr;
}

/* A CPtr: the process's own slots (its CNode, TCB, VSpace, pool, sessions),
 * the program's slots, or anything. */
static uint64_t cptr(void)
{
    switch (below(4)) {
    case 0:
        return below(CAP_PROCESS_FIRST_FREE);
    case 1: {
        uint64_t end = 1ull << ((const bootinfo_t *)BOOTINFO_VADDR)->cnode_size_bits;
        return end - 1 - below(CAP_PROGRAM_SLOTS + 4);
    }
    case 2:
        return number();
    default:
        return below(16) + (below(2) ? CAP_PROC_SESSION : 0);
    }
}

/* A label: a kernel invocation, a server request of some protocol
 * (proc 0x1xx, vfs 0x2xx, console 0x3xx, debug 0x6xx), or anything. */
static uint64_t label(void)
{
    static const uint64_t bases[] = {0, 0x100, 0x200, 0x300, 0x600, 0xdb0};
    if (below(8) == 0) {
        return rnd() >> 12;
    }
    uint64_t base = bases[below(sizeof(bases) / sizeof(bases[0]))];
    return base + below(base == 0 ? 100 : 0x80);
}

/* proc-server requests that would start processes the watchdog cannot see,
 * or signal the parent: skipped or aimed at the child itself. */
static bool tame_native(uint64_t cap, uint64_t lab, uint64_t *mr0)
{
    if (cap != CAP_PROC_SESSION) {
        return true;
    }
    if (lab == PROC_FORK || lab == PROC_EXEC || lab == PROC_SPAWN) {
        return false;
    }
    if (lab == PROC_KILL) {
        *mr0 = (uint64_t)getpid();
    }
    return true;
}

static void native_round(void)
{
    static const int64_t calls[] = {SYS_CALL,  SYS_CALL,   SYS_CALL, SYS_CALL,   SYS_REPLY_RECV,
                                    SYS_SEND,  SYS_NBSEND, SYS_RECV, SYS_NBRECV, SYS_REPLY,
                                    SYS_YIELD, -9,         -100};
    int64_t call = calls[below(sizeof(calls) / sizeof(calls[0]))];
    uint64_t cap = cptr(), lab = label();
    uint64_t info =
        msginfo_with(msginfo_make(lab, below(4) ? below(8) : below(128)), below(4), below(5));
    if (below(16) == 0) {
        info = rnd();
    }
    uint64_t mr[4];
    for (int i = 0; i < 4; i++) {
        mr[i] = argument();
    }
    if (!tame_native(cap, msginfo_label(info), &mr[0])) {
        return;
    }
    ipc_buffer_t *buf = ipc_buffer();
    for (int i = 4; i < 12; i++) {
        buf->mr[i] = argument();
    }
    for (int i = 0; i < MSG_MAX_CAPS; i++) {
        buf->caps[i] = cptr();
    }
    for (int i = 0; i < MSG_MAX_DESCRIPTORS; i++) {
        buf->descriptors[i] = (buffer_desc_t){pointer(), number(), below(8) ? below(4) : rnd()};
    }
    buf->recv_slot = below(2) ? 0 : cptr();
    /* a receive on the child's own objects would wait for ever: bound it
     * (1-20 ms) unless the draw says otherwise, which the watchdog covers */
    buf->timeout_ns = below(32) ? (1 + below(20)) * 1000000ull : rnd();
    trace(call, cap, info, mr[0]);
    sys_ipc(call, cap, info, mr[0], mr[1], mr[2], mr[3]);
    /* the runtime's next call must not find the fuzzer's receive slot or
     * timeout: only the kernel and the servers are under test */
    buf->recv_slot = 0;
    buf->timeout_ns = 0;
}

static void child(uint64_t seed, unsigned batch, unsigned rounds)
{
    rng_state = seed ^ ((uint64_t)batch * 0xd1b54a32d192ed03ull);
    scratch = mmap(NULL, SCRATCH_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (scratch == MAP_FAILED) {
        _exit(100);
    }
    for (size_t i = 0; i < SCRATCH_SIZE; i += 8) {
        *(uint64_t *)(scratch + i) = below(2) ? rnd() : below(256);
    }
    mkdir("/tmp/fz", 0777);
    for (unsigned i = 0; i < rounds; i++) {
        if (below(4) == 0) {
            native_round();
        } else {
            linux_round();
        }
    }
    _exit(0);
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits for pid at most ms milliseconds, then kills it; its status, and
 * whether the watchdog had to kill it. */
static trace_t last_call;
static int trace_in = -1;

static void drain_trace(void)
{
    trace_t t[64];
    ssize_t n;
    while (trace_in >= 0 && (n = read(trace_in, t, sizeof(t))) >= (ssize_t)sizeof(t[0])) {
        last_call = t[n / sizeof(t[0]) - 1];
    }
}

static int reap(pid_t pid, long ms, bool *hung)
{
    long deadline = now_ms() + ms;
    int status;
    *hung = false;
    for (;;) {
        drain_trace();
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            drain_trace();
            return status;
        }
        if (r < 0 && errno != EINTR) {
            return -1;
        }
        if (now_ms() > deadline && !*hung) {
            *hung = true;
            if (trace_in >= 0) {
                printf("sysfuzz: batch of pid %d hung in call %lld (%#llx, %#llx, %#llx)\n",
                       (int)pid, (long long)last_call.number, (unsigned long long)last_call.a0,
                       (unsigned long long)last_call.a1, (unsigned long long)last_call.a2);
            }
            kill(pid, SIGKILL);
        }
        struct timespec t = {0, 2000000};
        nanosleep(&t, NULL);
    }
}

typedef struct {
    unsigned children, clean, exited_other, hung, signals[65];
} tally_t;

static void count(tally_t *t, int status, bool hung)
{
    t->children++;
    if (hung) {
        t->hung++;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        t->clean++;
    } else if (WIFSIGNALED(status) && WTERMSIG(status) < 65) {
        t->signals[WTERMSIG(status)]++;
    } else {
        t->exited_other++;
    }
}

static void report(const tally_t *t, unsigned long rounds)
{
    printf("sysfuzz: %lu rounds, %u children: %u done, %u exited early, %u hung (killed)", rounds,
           t->children, t->clean, t->exited_other, t->hung);
    for (int s = 1; s < 65; s++) {
        if (t->signals[s] != 0) {
            printf(", %u by signal %d", t->signals[s], s);
        }
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    unsigned long rounds = 10000;
    unsigned batch = 200;
    long timeout_ms = 2000;
    int opt;
    while ((opt = getopt(argc, argv, "s:n:b:t:v")) != -1) {
        switch (opt) {
        case 'v':
            tracing = true;
            break;
        case 's':
            seed = strtoull(optarg, NULL, 0);
            break;
        case 'n':
            rounds = strtoul(optarg, NULL, 0);
            break;
        case 'b':
            batch = (unsigned)strtoul(optarg, NULL, 0);
            break;
        case 't':
            timeout_ms = strtol(optarg, NULL, 0);
            break;
        default:
            fprintf(stderr, "usage: sysfuzz [-s SEED] [-n ROUNDS] [-b BATCH] [-t MS] [-v]\n");
            return 2;
        }
    }
    if (batch == 0) {
        batch = 1;
    }
    /* jailed, a round can reach nothing outside the container: not the
     * machine's power, not the debug capability, not other containers */
    if (capsule_jail() != 0) {
        fprintf(stderr, "sysfuzz: cannot jail myself\n");
        return 1;
    }
    printf("sysfuzz: seed %#llx, %lu rounds in batches of %u\n", (unsigned long long)seed, rounds,
           batch);
    fflush(stdout);
    int null = open("/dev/null", O_RDWR);
    int trace_pipe[2];
    if (tracing && pipe(trace_pipe) == 0) {
        trace_in = trace_pipe[0];
        fcntl(trace_in, F_SETFL, O_NONBLOCK);
        dup2(trace_pipe[1], TRACE_FD);
        close(trace_pipe[1]);
    }
    tally_t tally = {0};
    unsigned long done = 0;
    for (unsigned k = 0; done < rounds; k++) {
        unsigned n = rounds - done < batch ? (unsigned)(rounds - done) : batch;
        pid_t pid = fork();
        if (pid < 0) {
            perror("sysfuzz: fork");
            return 1;
        }
        if (pid == 0) {
            /* its output, whatever it writes, goes nowhere */
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
            child(seed, k, n);
        }
        bool hung;
        int status = reap(pid, timeout_ms, &hung);
        count(&tally, status, hung);
        done += n;
        /* orphans of a child (none expected: it never forks) are ours */
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
        if (k % 50 == 49 && done < rounds) {
            report(&tally, done);
            fflush(stdout);
        }
    }
    report(&tally, done);
    return 0;
}
