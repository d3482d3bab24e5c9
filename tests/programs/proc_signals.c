/*
 * Signals as a Linux program sees them: handlers with SA_SIGINFO, the mask,
 * sigsuspend and SIGCHLD, SA_RESTART against EINTR, a fault handler left by
 * siglongjmp, registers kept across a handler, sigaltstack, nanosleep and
 * pause interrupted, what fork and exec keep. Each check prints
 * "signals: NAME ok" or "signals: NAME FAILED ..."; the last line counts the
 * failures and the exit status is 0 when there are none.
 *
 * The same source runs on the Linux host (a ctest), so every expectation
 * here is checked against Linux too. Under Capsule it is init (PID 1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("signals: FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno);              \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

static volatile sig_atomic_t hits, last_sig, last_code, last_pid;
static volatile uintptr_t last_addr, handler_stack;

static void on_info(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    hits++;
    last_sig = sig;
    last_code = info->si_code;
    last_pid = info->si_pid;
    int local;
    handler_stack = (uintptr_t)&local;
}

static void on_plain(int sig)
{
    hits++;
    last_sig = sig;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void install_plain(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void reset(int sig)
{
    signal(sig, SIG_DFL);
    hits = 0, last_sig = 0, last_code = -1, last_pid = -1;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* A child that sends sig to its parent after ms milliseconds, then exits
 * with `code` after `linger` more. */
static pid_t signal_parent_later(int sig, long ms, long linger, int code)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(ms);
        kill(parent, sig);
        sleep_ms(linger);
        _exit(code);
    }
    return pid;
}

static bool check_handler_siginfo(void)
{
    reset(SIGUSR1);
    install(SIGUSR1, on_info, 0);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK(hits == 1 && last_sig == SIGUSR1);
    CHECK(last_code == SI_USER && last_pid == getpid());
    reset(SIGUSR1);
    return true;
}

static bool check_mask_defers(void)
{
    sigset_t block, old, pending;
    reset(SIGUSR1);
    install_plain(SIGUSR1, on_plain, 0);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &block, &old) == 0);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK(hits == 0);
    CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1));
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    CHECK(hits == 1 && last_sig == SIGUSR1);
    CHECK(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR1));
    /* SIGKILL and SIGSTOP are never blocked */
    sigfillset(&block);
    CHECK(sigprocmask(SIG_SETMASK, &block, &old) == 0);
    sigset_t now;
    CHECK(sigprocmask(SIG_SETMASK, &old, &now) == 0);
    CHECK(!sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP) && sigismember(&now, SIGUSR2));
    reset(SIGUSR1);
    return true;
}

static bool check_sigsuspend_sigchld(void)
{
    sigset_t all, none, old;
    reset(SIGCHLD);
    install(SIGCHLD, on_info, 0);
    sigfillset(&all);
    sigemptyset(&none);
    CHECK(sigprocmask(SIG_SETMASK, &all, &old) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        _exit(5);
    }
    CHECK(pid > 0);
    while (hits == 0) {
        CHECK(sigsuspend(&none) == -1 && errno == EINTR);
    }
    CHECK(last_sig == SIGCHLD && last_code == CLD_EXITED && last_pid == pid);
    sigset_t now;
    CHECK(sigprocmask(SIG_SETMASK, &old, &now) == 0 && sigismember(&now, SIGUSR1));
    int status;
    CHECK(waitpid(pid, &status, WNOHANG) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 5);
    reset(SIGCHLD);
    return true;
}

static bool check_wait4_restart(void)
{
    int status;
    reset(SIGUSR1);
    install_plain(SIGUSR1, on_plain, SA_RESTART);
    pid_t pid = signal_parent_later(SIGUSR1, 50, 50, 7);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(hits == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 7);
    reset(SIGUSR1);
    return true;
}

static bool check_wait4_eintr(void)
{
    int status;
    reset(SIGUSR1);
    install_plain(SIGUSR1, on_plain, 0);
    pid_t pid = signal_parent_later(SIGUSR1, 50, 50, 8);
    errno = 0;
    CHECK(waitpid(pid, &status, 0) == -1 && errno == EINTR && hits == 1);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 8);
    reset(SIGUSR1);
    return true;
}

static sigjmp_buf fault_jump;
static volatile uintptr_t bad_address = 16; /* below any mapping */

static void on_segv(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    last_sig = sig;
    last_code = info->si_code;
    last_addr = (uintptr_t)info->si_addr;
    siglongjmp(fault_jump, 1);
}

static bool check_segv_handler(void)
{
    reset(SIGSEGV);
    install(SIGSEGV, on_segv, 0);
    if (sigsetjmp(fault_jump, 1) == 0) {
        *(volatile int *)bad_address = 1;
        CHECK(!"the store faults");
    }
    CHECK(last_sig == SIGSEGV && last_code == SEGV_MAPERR && last_addr == 16);
    sigset_t now;
    CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0 && !sigismember(&now, SIGSEGV));
    reset(SIGSEGV);
    return true;
}

/* The handler clobbers every register a handler may clobber. */
static void on_clobber(int sig)
{
    hits++;
    last_sig = sig;
    __asm__ volatile("pxor %%xmm0, %%xmm0; pxor %%xmm1, %%xmm1; pxor %%xmm7, %%xmm7;"
                     "pxor %%xmm8, %%xmm8; pxor %%xmm15, %%xmm15;"
                     "xor %%r8, %%r8; xor %%r9, %%r9; xor %%r10, %%r10; xor %%r11, %%r11"
                     :
                     :
                     : "xmm0", "xmm1", "xmm7", "xmm8", "xmm15", "r8", "r9", "r10", "r11");
}

/* Registers held in a loop in the program while another process's signal
 * diverts it (the upcall path): every one must come back. */
static bool regs_survive_async(void)
{
    static volatile int flag;
    hits = 0;
    uint64_t in[4] = {0x1111222233334444ull, 0x5555666677778888ull, 0x9999aaaabbbbccccull,
                      0xddddeeeeffff0001ull};
    uint64_t out[4] = {0}, r12, r13, r8, r10;
    pid_t pid = signal_parent_later(SIGUSR2, 50, 0, 0);
    __asm__ volatile("movdqu (%[in]), %%xmm0\n"
                     "movdqu 16(%[in]), %%xmm15\n"
                     "movq (%[in]), %%r12\n"
                     "movq 8(%[in]), %%r13\n"
                     "movq 16(%[in]), %%r8\n"
                     "movq 24(%[in]), %%r10\n"
                     "1: cmpl $0, (%[hits])\n"
                     "je 1b\n"
                     "movdqu %%xmm0, (%[out])\n"
                     "movdqu %%xmm15, 16(%[out])\n"
                     "movq %%r12, %[r12]\n"
                     "movq %%r13, %[r13]\n"
                     "movq %%r8, %[r8]\n"
                     "movq %%r10, %[r10]\n"
                     : [r12] "=m"(r12), [r13] "=m"(r13), [r8] "=m"(r8), [r10] "=m"(r10)
                     : [in] "r"(in), [out] "r"(out), [hits] "r"(&hits)
                     : "xmm0", "xmm15", "r8", "r10", "r12", "r13", "memory", "cc");
    (void)flag;
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(hits == 1 && last_sig == SIGUSR2);
    CHECK(memcmp(in, out, sizeof(out)) == 0);
    CHECK(r12 == in[0] && r13 == in[1] && r8 == in[2] && r10 == in[3]);
    return true;
}

/* The same through a system call's return: kill() raw, in asm. */
static bool regs_survive_syscall(void)
{
    hits = 0;
    uint64_t in[2] = {0x0123456789abcdefull, 0xfedcba9876543210ull};
    uint64_t out[2] = {0}, r8 = 0, r9 = 0;
    long pid = getpid();
    __asm__ volatile(
        "movdqu (%[in]), %%xmm1\n"
        "movq (%[in]), %%r8\n"
        "movq 8(%[in]), %%r9\n"
        "movl %[nr], %%eax\n"
        "movq %[pid], %%rdi\n"
        "movl %[sig], %%esi\n"
        "syscall\n"
        "movdqu %%xmm1, (%[out])\n"
        "movq %%r8, %[r8]\n"
        "movq %%r9, %[r9]\n"
        : [r8] "=m"(r8), [r9] "=m"(r9)
        : [in] "r"(in), [out] "r"(out), [nr] "i"(SYS_kill), [pid] "r"(pid), [sig] "i"(SIGUSR2)
        : "rax", "rdi", "rsi", "rcx", "r11", "r8", "r9", "xmm1", "memory", "cc");
    CHECK(hits == 1);
    CHECK(out[0] == in[0] && out[1] == in[1] && r8 == in[0] && r9 == in[1]);
    return true;
}

static bool check_registers(void)
{
    reset(SIGUSR2);
    install_plain(SIGUSR2, on_clobber, 0);
    bool ok = regs_survive_syscall() && regs_survive_async();
    reset(SIGUSR2);
    return ok;
}

static bool check_uncatchable(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_plain;
    errno = 0;
    CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL);
    sa.sa_handler = SIG_IGN;
    errno = 0;
    CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
    CHECK(sigaction(SIGKILL, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL);
    errno = 0;
    CHECK(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(syscall(SYS_rt_sigprocmask, 7, &sa.sa_mask, NULL, 8) == -1 && errno == EINVAL);
    return true;
}

static bool check_nanosleep_eintr(void)
{
    reset(SIGUSR1);
    install_plain(SIGUSR1, on_plain, SA_RESTART); /* nanosleep never restarts */
    pid_t pid = signal_parent_later(SIGUSR1, 50, 0, 0);
    struct timespec req = {5, 0}, rem = {0, 0};
    errno = 0;
    CHECK(nanosleep(&req, &rem) == -1 && errno == EINTR && hits == 1);
    CHECK(rem.tv_sec >= 3 && rem.tv_sec <= 5);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    reset(SIGUSR1);
    return true;
}

static bool check_pause(void)
{
    reset(SIGUSR1);
    install_plain(SIGUSR1, on_plain, SA_RESTART);
    pid_t pid = signal_parent_later(SIGUSR1, 50, 0, 0);
    errno = 0;
    CHECK(pause() == -1 && errno == EINTR && hits == 1);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    reset(SIGUSR1);
    return true;
}

static bool check_altstack(void)
{
    static char alt[65536];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof(alt), .ss_flags = 0}, old;
    CHECK(sigaltstack(&ss, &old) == 0 && (old.ss_flags & SS_DISABLE));
    reset(SIGUSR1);
    install(SIGUSR1, on_info, SA_ONSTACK);
    CHECK(kill(getpid(), SIGUSR1) == 0 && hits == 1);
    CHECK(handler_stack >= (uintptr_t)alt && handler_stack < (uintptr_t)alt + sizeof(alt));
    install(SIGUSR1, on_info, 0);
    CHECK(kill(getpid(), SIGUSR1) == 0 && hits == 2);
    CHECK(handler_stack < (uintptr_t)alt || handler_stack >= (uintptr_t)alt + sizeof(alt));
    ss.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&ss, NULL) == 0);
    reset(SIGUSR1);
    return true;
}

static bool check_timedwait(void)
{
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
    struct timespec zero = {0, 0};
    errno = 0;
    CHECK(sigtimedwait(&set, NULL, &zero) == -1 && errno == EAGAIN);
    CHECK(kill(getpid(), SIGUSR2) == 0);
    siginfo_t info;
    CHECK(sigtimedwait(&set, &info, &zero) == SIGUSR2 && info.si_pid == getpid());
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    return true;
}

/* fork keeps dispositions and the mask but not pending signals; exec keeps
 * ignored signals, the mask and pending signals, and resets handlers. */
static bool check_fork_exec(const char *self)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    CHECK(sigprocmask(SIG_BLOCK, &block, &old) == 0);
    install_plain(SIGUSR2, on_plain, 0);
    signal(SIGTERM, SIG_IGN);
    CHECK(kill(getpid(), SIGHUP) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t pending, mask;
        struct sigaction sa;
        sigpending(&pending);
        sigprocmask(SIG_SETMASK, NULL, &mask);
        sigaction(SIGUSR2, NULL, &sa);
        if (sigismember(&pending, SIGHUP) || !sigismember(&mask, SIGHUP) ||
            sa.sa_handler != on_plain) {
            _exit(1);
        }
        kill(getpid(), SIGHUP); /* pending again, to go through exec */
        char *argv[] = {(char *)self, "exec-check", NULL};
        execv(self, argv);
        _exit(2);
    }
    CHECK(pid > 0);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* the parent's own pending SIGHUP is still there; ignoring drops it */
    sigset_t pending;
    CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGHUP));
    signal(SIGHUP, SIG_IGN);
    CHECK(sigpending(&pending) == 0 && !sigismember(&pending, SIGHUP));
    signal(SIGHUP, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    reset(SIGUSR2);
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    return true;
}

/* After exec (argv[1] == "exec-check"): 0 if what exec keeps was kept. */
static int exec_check(void)
{
    sigset_t pending, mask;
    struct sigaction usr2, term;
    sigpending(&pending);
    sigprocmask(SIG_SETMASK, NULL, &mask);
    sigaction(SIGUSR2, NULL, &usr2);
    sigaction(SIGTERM, NULL, &term);
    if (usr2.sa_handler != SIG_DFL) {
        return 3;
    }
    if (term.sa_handler != SIG_IGN) {
        return 4;
    }
    if (!sigismember(&mask, SIGHUP) || !sigismember(&pending, SIGHUP)) {
        return 5;
    }
    return 0;
}

/* ash's foreground wait: SIGCHLD caught with every signal masked in the
 * handler, and a blocking wait4 that must report the child's status. */
static bool check_sigchld_blocking_wait(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_plain;
    sigfillset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    hits = 0;
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            if (i == 1) {
                sleep_ms(30);
            }
            _exit(10 + i);
        }
        int status = -1;
        CHECK(wait4(-1, &status, 0, NULL) == pid);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 10 + i);
    }
    CHECK(hits == 3);
    errno = 0;
    CHECK(wait4(-1, NULL, WNOHANG, NULL) == -1 && errno == ECHILD);
    signal(SIGCHLD, SIG_DFL);
    return true;
}

/* SIGCHLD on stop and continue (CLD_STOPPED, CLD_CONTINUED) unless
 * SA_NOCLDSTOP; always on exit. SIGCHLD stays blocked but for sigsuspend,
 * so that no two of them coalesce (on Linux the one for a continue comes
 * from the child, later). */
static bool wait_hits(int n)
{
    sigset_t none;
    sigemptyset(&none);
    while (hits < n) {
        sigsuspend(&none);
    }
    return true;
}

static bool stop_continue_round(int flags, bool reported)
{
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    reset(SIGCHLD);
    install(SIGCHLD, on_info, flags);
    CHECK(sigprocmask(SIG_BLOCK, &chld, &old) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGSTOP);
        sleep_ms(100);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
    CHECK(WSTOPSIG(status) == SIGSTOP);
    if (reported) {
        wait_hits(1);
        CHECK(last_code == CLD_STOPPED && last_pid == pid);
    }
    CHECK(kill(pid, SIGCONT) == 0);
    if (reported) {
        wait_hits(2);
        CHECK(last_code == CLD_CONTINUED && last_pid == pid);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
    int want = reported ? 3 : 1;
    wait_hits(want);
    CHECK(hits == want && last_code == CLD_EXITED);
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    reset(SIGCHLD);
    return true;
}

static bool check_stop_continue(void)
{
    return stop_continue_round(0, true) && stop_continue_round(SA_NOCLDSTOP, false);
}

static volatile sig_atomic_t masked_self, masked_other;

static void on_mask_probe(int sig)
{
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    hits++;
    masked_self = sigismember(&now, sig);
    masked_other = sigismember(&now, SIGUSR2);
}

/* SA_RESETHAND, SA_NODEFER and sa_mask while the handler runs. */
static bool check_action_flags(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_mask_probe;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    hits = 0;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0 && kill(getpid(), SIGUSR1) == 0);
    CHECK(hits == 1 && masked_self && masked_other);
    sa.sa_flags = SA_NODEFER | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0 && kill(getpid(), SIGUSR1) == 0);
    CHECK(hits == 2 && !masked_self && !masked_other);
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
    sigset_t now;
    CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0 && !sigismember(&now, SIGUSR1));
    return true;
}

static volatile int zero_divisor;

/* #UD and a divide error go to their handlers with Linux's si_code. */
static bool check_ill_fpe(void)
{
    reset(SIGILL);
    install(SIGILL, on_segv, 0);
    if (sigsetjmp(fault_jump, 1) == 0) {
        __asm__ volatile("ud2");
    }
    CHECK(last_sig == SIGILL && last_code == ILL_ILLOPN && last_addr != 0);
    reset(SIGFPE);
    install(SIGFPE, on_segv, 0);
    if (sigsetjmp(fault_jump, 1) == 0) {
        int quotient = 1;
        __asm__ volatile("cltd; idivl %1" : "+a"(quotient) : "r"(zero_divisor) : "rdx", "cc");
    }
    CHECK(last_sig == SIGFPE && last_code == FPE_INTDIV);
    reset(SIGILL);
    reset(SIGFPE);
    return true;
}

/* A blocked signal with the default action acts when it is unblocked. */
static bool check_deferred_default(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigprocmask(SIG_BLOCK, &set, NULL);
        kill(getpid(), SIGTERM);
        sleep_ms(10);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        _exit(1); /* not reached */
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    return true;
}

static bool check_sigchld_ignored_reaps(void)
{
    signal(SIGCHLD, SIG_IGN);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    CHECK(pid > 0);
    errno = 0;
    /* the child is reaped as it exits: wait4 finds no child */
    CHECK(waitpid(pid, NULL, 0) == -1 && errno == ECHILD);
    signal(SIGCHLD, SIG_DFL);
    return true;
}

static void run(const char *name, bool (*check)(void))
{
    if (check()) {
        printf("signals: %s ok\n", name);
    } else {
        printf("signals: %s FAILED\n", name);
        failures++;
    }
    fflush(stdout);
}

static const char *self_path;

static bool check_fork_exec_self(void)
{
    return check_fork_exec(self_path);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "exec-check") == 0) {
        return exec_check();
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    self_path = strchr(argv[0], '/') != NULL ? argv[0] : "/sbin/init";
    run("handler-siginfo", check_handler_siginfo);
    run("mask-defers", check_mask_defers);
    run("sigsuspend-sigchld", check_sigsuspend_sigchld);
    run("wait4-restart", check_wait4_restart);
    run("wait4-eintr", check_wait4_eintr);
    run("segv-handler", check_segv_handler);
    run("registers", check_registers);
    run("uncatchable", check_uncatchable);
    run("nanosleep-eintr", check_nanosleep_eintr);
    run("pause", check_pause);
    run("altstack", check_altstack);
    run("timedwait", check_timedwait);
    run("fork-exec", check_fork_exec_self);
    run("sigchld-wait", check_sigchld_blocking_wait);
    run("sigchld-ignored", check_sigchld_ignored_reaps);
    run("stop-continue", check_stop_continue);
    run("action-flags", check_action_flags);
    run("ill-fpe", check_ill_fpe);
    run("deferred-default", check_deferred_default);
    printf("signals: %d checks failed\n", failures);
    return failures == 0 ? 0 : 1;
}
