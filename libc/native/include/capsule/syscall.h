/*
 * Native system calls from user space: the register convention of
 * uapi/syscalls.h as inline functions.
 */
#ifndef CAPSULE_NATIVE_SYSCALL_H
#define CAPSULE_NATIVE_SYSCALL_H

#include <stdint.h>

#include "uapi/errors.h"
#include "uapi/message.h"
#include "uapi/syscalls.h"

typedef uint64_t cptr_t;

typedef struct {
    kerr_t err;
    uint64_t info;  /* message info of the reply or the received message */
    uint64_t badge; /* of the sender (Recv) or the notification word (Wait) */
    uint64_t mr[MSG_REGISTERS_IN_CPU];
} sys_result_t;

/* Any native IPC call: `number` is SYS_*, registers as in uapi/syscalls.h. */
static inline sys_result_t sys_ipc(int64_t number, cptr_t cap, uint64_t info, uint64_t mr0,
                                   uint64_t mr1, uint64_t mr2, uint64_t mr3)
{
    register uint64_t r8 __asm__("r8") = mr1;
    register uint64_t r9 __asm__("r9") = mr2;
    register uint64_t r10 __asm__("r10") = mr3;
    uint64_t rax = (uint64_t)number;
    uint64_t rdx = mr0;
    uint64_t rdi = cap;
    __asm__ volatile("syscall"
                     : "+a"(rax), "+S"(info), "+d"(rdx), "+D"(rdi), "+r"(r8), "+r"(r9), "+r"(r10)
                     :
                     : "rcx", "r11", "memory");
    return (sys_result_t){(kerr_t)rax, info, rdi, {rdx, r8, r9, r10}};
}

static inline sys_result_t sys_call(cptr_t cap, uint64_t info, uint64_t mr0, uint64_t mr1,
                                    uint64_t mr2, uint64_t mr3)
{
    return sys_ipc(SYS_CALL, cap, info, mr0, mr1, mr2, mr3);
}

static inline kerr_t sys_yield(void)
{
    uint64_t rax = (uint64_t)SYS_YIELD;
    /* the reply's message info and registers come back in rsi, rdx, r8-r10 */
    __asm__ volatile("syscall"
                     : "+a"(rax)
                     :
                     : "rcx", "r11", "rsi", "rdx", "r8", "r9", "r10", "memory");
    return (kerr_t)rax;
}

static inline sys_result_t sys_send(cptr_t cap, uint64_t info, uint64_t mr0, uint64_t mr1)
{
    return sys_ipc(SYS_SEND, cap, info, mr0, mr1, 0, 0);
}

static inline sys_result_t sys_recv(cptr_t cap)
{
    return sys_ipc(SYS_RECV, cap, 0, 0, 0, 0, 0);
}

static inline sys_result_t sys_nbrecv(cptr_t cap)
{
    return sys_ipc(SYS_NBRECV, cap, 0, 0, 0, 0, 0);
}

/* Signal: Send on a notification capability. */
static inline kerr_t sys_signal(cptr_t cap)
{
    return sys_ipc(SYS_SEND, cap, 0, 0, 0, 0, 0).err;
}

#endif
