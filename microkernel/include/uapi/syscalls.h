/*
 * Native system call numbers and register convention.
 *
 * `syscall` with rax = number (negative), rdi = CPtr, rsi = message info,
 * rdx, r8, r9, r10 = message registers 0..3; further message registers are in
 * the thread's IPC buffer. On return rax = kerr_t, rsi = message info of the
 * reply and rdx, r8, r9, r10 = its first message registers. rcx and r11 are
 * clobbered (as by Linux); every other register is preserved.
 */
#ifndef CAPSULE_UAPI_SYSCALLS_H
#define CAPSULE_UAPI_SYSCALLS_H

enum {
#define SYSCALL(name, number) SYS_##name = number,
#include "syscalls.def"
#undef SYSCALL
};

#define SYS_MIN_NATIVE (-8)

#endif
