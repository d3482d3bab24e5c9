/*
 * Register preservation (registers.h). registers_syscall loads every
 * general-purpose register but rax, rcx, r11 and rsp, and xmm0-xmm15, from
 * arrays, makes one system call, and stores them all again; the caller
 * compares. The system call's arguments are just the values loaded into
 * rdi, rsi, rdx, r10, r8 and r9.
 */
#define _GNU_SOURCE
#include "registers.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Indexes into the general-purpose array. */
enum {
    R_RAX,
    R_RBX,
    R_RDX,
    R_RSI,
    R_RDI,
    R_RBP,
    R_R8,
    R_R9,
    R_R10,
    R_R12,
    R_R13,
    R_R14,
    R_R15,
    R_COUNT
};

static const char *const reg_names[R_COUNT] = {"rax", "rbx", "rdx", "rsi", "rdi", "rbp", "r8",
                                               "r9",  "r10", "r12", "r13", "r14", "r15"};

/* registers_syscall(in, out, xmm_in, xmm_out): in[R_RAX] is the call number,
 * out[R_RAX] its result. */
void registers_syscall(const uint64_t *in, uint64_t *out, const uint8_t *xmm_in, uint8_t *xmm_out);

__asm__(".text\n"
        ".globl registers_syscall\n"
        ".type registers_syscall, @function\n"
        "registers_syscall:\n"
        "    push %rbx\n    push %rbp\n    push %r12\n    push %r13\n    push %r14\n    push %r15\n"
        "    push %rsi\n" /* out: 8(%rsp) */
        "    push %rcx\n" /* xmm_out: 0(%rsp) */
        "    movdqu 0(%rdx), %xmm0\n    movdqu 16(%rdx), %xmm1\n"
        "    movdqu 32(%rdx), %xmm2\n    movdqu 48(%rdx), %xmm3\n"
        "    movdqu 64(%rdx), %xmm4\n    movdqu 80(%rdx), %xmm5\n"
        "    movdqu 96(%rdx), %xmm6\n    movdqu 112(%rdx), %xmm7\n"
        "    movdqu 128(%rdx), %xmm8\n    movdqu 144(%rdx), %xmm9\n"
        "    movdqu 160(%rdx), %xmm10\n    movdqu 176(%rdx), %xmm11\n"
        "    movdqu 192(%rdx), %xmm12\n    movdqu 208(%rdx), %xmm13\n"
        "    movdqu 224(%rdx), %xmm14\n    movdqu 240(%rdx), %xmm15\n"
        "    mov 0(%rdi), %rax\n    mov 8(%rdi), %rbx\n    mov 16(%rdi), %rdx\n"
        "    mov 24(%rdi), %rsi\n    mov 40(%rdi), %rbp\n    mov 48(%rdi), %r8\n"
        "    mov 56(%rdi), %r9\n    mov 64(%rdi), %r10\n    mov 72(%rdi), %r12\n"
        "    mov 80(%rdi), %r13\n    mov 88(%rdi), %r14\n    mov 96(%rdi), %r15\n"
        "    mov 32(%rdi), %rdi\n"
        "    syscall\n"
        "    push %rdi\n" /* rdi after: 0(%rsp); xmm_out 8; out 16 */
        "    mov 16(%rsp), %rdi\n"
        "    mov %rax, 0(%rdi)\n    mov %rbx, 8(%rdi)\n    mov %rdx, 16(%rdi)\n"
        "    mov %rsi, 24(%rdi)\n    mov %rbp, 40(%rdi)\n    mov %r8, 48(%rdi)\n"
        "    mov %r9, 56(%rdi)\n    mov %r10, 64(%rdi)\n    mov %r12, 72(%rdi)\n"
        "    mov %r13, 80(%rdi)\n    mov %r14, 88(%rdi)\n    mov %r15, 96(%rdi)\n"
        "    pop %rax\n    mov %rax, 32(%rdi)\n"
        "    pop %rdi\n" /* xmm_out */
        "    movdqu %xmm0, 0(%rdi)\n    movdqu %xmm1, 16(%rdi)\n"
        "    movdqu %xmm2, 32(%rdi)\n    movdqu %xmm3, 48(%rdi)\n"
        "    movdqu %xmm4, 64(%rdi)\n    movdqu %xmm5, 80(%rdi)\n"
        "    movdqu %xmm6, 96(%rdi)\n    movdqu %xmm7, 112(%rdi)\n"
        "    movdqu %xmm8, 128(%rdi)\n    movdqu %xmm9, 144(%rdi)\n"
        "    movdqu %xmm10, 160(%rdi)\n    movdqu %xmm11, 176(%rdi)\n"
        "    movdqu %xmm12, 192(%rdi)\n    movdqu %xmm13, 208(%rdi)\n"
        "    movdqu %xmm14, 224(%rdi)\n    movdqu %xmm15, 240(%rdi)\n"
        "    pop %rsi\n"
        "    pop %r15\n    pop %r14\n    pop %r13\n    pop %r12\n    pop %rbp\n    pop %rbx\n"
        "    ret\n"
        ".size registers_syscall, .-registers_syscall\n");

static volatile int handled;

/* A handler that leaves the caller-saved registers and every xmm register
 * changed: what it finds on return must be the interrupted code's again. */
static void scribble(int sig)
{
    (void)sig;
    handled++;
    __asm__ volatile("mov $-1, %%rdx\n mov $-1, %%rsi\n mov $-1, %%rdi\n mov $-1, %%r8\n"
                     "mov $-1, %%r9\n mov $-1, %%r10\n pcmpeqd %%xmm0, %%xmm0\n"
                     "pcmpeqd %%xmm1, %%xmm1\n pcmpeqd %%xmm7, %%xmm7\n pcmpeqd %%xmm8, %%xmm8\n"
                     "pcmpeqd %%xmm15, %%xmm15\n" ::
                         : "rdx", "rsi", "rdi", "r8", "r9", "r10", "xmm0", "xmm1", "xmm7", "xmm8",
                           "xmm15", "memory");
}

static char failure[96];

/* One call with every register patterned; args[0..5] go in rdi, rsi, rdx,
 * r10, r8, r9. False and `failure` set when a register changed. */
static bool probe(const char *what, long nr, const uint64_t args[6])
{
    uint64_t in[R_COUNT], out[R_COUNT];
    uint8_t xin[256], xout[256];
    for (int i = 0; i < R_COUNT; i++) {
        in[i] = 0x0101010101010101ull * (uint64_t)(i + 1) ^ 0x8040201008040201ull;
    }
    for (int i = 0; i < 256; i++) {
        xin[i] = (uint8_t)(i * 7 + 3);
    }
    in[R_RAX] = (uint64_t)nr;
    const int arg_regs[6] = {R_RDI, R_RSI, R_RDX, R_R10, R_R8, R_R9};
    for (int i = 0; i < 6; i++) {
        if (args != NULL) {
            in[arg_regs[i]] = args[i];
        }
    }
    registers_syscall(in, out, xin, xout);
    if ((int64_t)out[R_RAX] < 0 && (int64_t)out[R_RAX] > -4096) {
        snprintf(failure, sizeof(failure), "%s failed (%ld)", what, (long)out[R_RAX]);
        return false;
    }
    for (int i = 1; i < R_COUNT; i++) {
        if (out[i] != in[i]) {
            snprintf(failure, sizeof(failure), "%s changed %s", what, reg_names[i]);
            return false;
        }
    }
    for (int i = 0; i < 16; i++) {
        if (memcmp(xin + 16 * i, xout + 16 * i, 16) != 0) {
            snprintf(failure, sizeof(failure), "%s changed xmm%d", what, i);
            return false;
        }
    }
    return true;
}

const char *registers_check_all(void)
{
    struct stat st;
    struct timespec ts;
    const uint64_t fstat_args[6] = {1, (uint64_t)&st, 0, 0, 0, 0};
    const uint64_t clock_args[6] = {CLOCK_MONOTONIC, (uint64_t)&ts, 0, 0, 0, 0};
    const uint64_t kill_args[6] = {(uint64_t)getpid(), SIGUSR1, 0, 0, 0, 0};
    signal(SIGUSR1, scribble);
    bool ok = probe("getpid", SYS_getpid, NULL) && probe("fstat", SYS_fstat, fstat_args) &&
              probe("clock_gettime", SYS_clock_gettime, clock_args) &&
              probe("kill with a handler", SYS_kill, kill_args);
    signal(SIGUSR1, SIG_DFL);
    if (ok && handled != 1) {
        snprintf(failure, sizeof(failure), "the handler ran %d times", handled);
        ok = false;
    }
    return ok ? NULL : failure;
}
