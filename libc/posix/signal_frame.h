/*
 * Linux's x86_64 signal frame, as the kernel builds it (the ABI glibc and
 * musl handlers and their restorers expect): at the handler's rsp the
 * restorer's address, then a ucontext whose uc_mcontext holds the general
 * registers in Linux's sigcontext order, then the siginfo; the FXSAVE
 * image lies above, 64-byte aligned, named by uc_mcontext.fpstate.
 */
#ifndef CAPSULE_POSIX_SIGNAL_FRAME_H
#define CAPSULE_POSIX_SIGNAL_FRAME_H

#include <stdint.h>

#include "uapi/registers.h"

typedef struct {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate; /* the FXSAVE image's address, 0 for none */
    uint64_t reserved[8];
} linux_sigcontext_t;

typedef struct {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
} linux_stack_t;

typedef struct {
    uint64_t flags;
    uint64_t link;
    linux_stack_t stack;
    linux_sigcontext_t mcontext;
    uint64_t sigmask;
} linux_ucontext_t;

typedef struct {
    int32_t signo, error, code, pad;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status; /* SIGCHLD */
        } proc;
        uint64_t addr; /* faults */
        uint8_t bytes[112];
    } u;
} linux_siginfo_t;

typedef struct {
    uint64_t restorer; /* the handler returns here */
    linux_ucontext_t uc;
    linux_siginfo_t info;
} linux_rt_sigframe_t;

_Static_assert(sizeof(linux_sigcontext_t) == 256, "Linux's sigcontext");
_Static_assert(sizeof(linux_ucontext_t) == 304, "Linux's ucontext with a 64-bit mask");
_Static_assert(sizeof(linux_siginfo_t) == 128, "Linux's siginfo");
_Static_assert(__builtin_offsetof(linux_rt_sigframe_t, info) == 312, "Linux's rt_sigframe");

/* What the frame records besides the registers. */
typedef struct {
    uint64_t sigmask; /* restored by rt_sigreturn */
    uint64_t trapno, err, cr2;
    linux_stack_t altstack;
} signal_frame_extra_t;

/* Fills `sc` from the registers. */
void signal_frame_put_regs(linux_sigcontext_t *sc, const user_regs_t *r,
                           const signal_frame_extra_t *extra, uint64_t fpstate);

/* The registers a frame's sigcontext restores into `r` (segment bases and
 * anything not in sigcontext are left as they are). Only the flags a
 * program may change are taken. */
void signal_frame_get_regs(const linux_sigcontext_t *sc, user_regs_t *r);

#endif
