/*
 * Kernel entry and exit. Every entry from user mode builds a trap_frame_t at
 * the top of the per-CPU kernel stack and calls kernel_entry(), which leaves
 * there the frame of the thread to run next. A frame marked VEC_SYSCALL
 * returns with sysretq, any other with iretq.
 */
#include "arch/layout.h"
#include "arch/percpu.h"

#define VEC_SYSCALL 0x100
#define FRAME_VECTOR 120
#define FRAME_CS 24 /* from the vector word, before the GPRs are pushed */

.macro PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm

/* The system call entry and the return to user mode sit with the IPC fast
 * path in its own text page (kernel/section.h). */
    .section .text.fastpath, "ax", @progbits
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:CPU_OFF_USER_RSP
    movq %gs:CPU_OFF_KSTACK_TOP, %rsp
    pushq $SEL_USER_DS
    pushq %gs:CPU_OFF_USER_RSP
    pushq %r11
    pushq $SEL_USER_CS
    pushq %rcx
    pushq $0
    pushq $VEC_SYSCALL
    PUSH_GPRS
    xorl %ebp, %ebp
    movq %rsp, %rdi
    call kernel_entry
    jmp return_to_user

    .global return_to_user
return_to_user:
    cmpq $VEC_SYSCALL, FRAME_VECTOR(%rsp)
    POP_GPRS                       /* pop leaves the flags of the cmp alone */
    je 1f
    leaq 16(%rsp), %rsp
    swapgs
    iretq
1:  leaq 16(%rsp), %rsp
    movq 0(%rsp), %rcx             /* rip */
    movq 16(%rsp), %r11            /* rflags */
    movq 24(%rsp), %rsp            /* user rsp */
    swapgs
    sysretq

    .text
/* A syscall from compatibility mode: not supported; treated as a fault of
 * vector 6 (#UD) so the thread is stopped and reported. */
    .global syscall_entry_compat
syscall_entry_compat:
    swapgs
    movq %rsp, %gs:CPU_OFF_USER_RSP
    movq %gs:CPU_OFF_KSTACK_TOP, %rsp
    pushq $SEL_USER_DS
    pushq %gs:CPU_OFF_USER_RSP
    pushq %r11
    pushq $SEL_USER_CS
    pushq %rcx
    pushq $0
    pushq $6
    PUSH_GPRS
    xorl %ebp, %ebp
    movq %rsp, %rdi
    call kernel_entry
    jmp return_to_user

isr_common:
    cld                     /* gates keep the interrupted DF; C needs it clear */
    testb $3, FRAME_CS(%rsp)
    jz isr_from_kernel
    swapgs
    PUSH_GPRS
    xorl %ebp, %ebp
    movq %rsp, %rdi
    call kernel_entry
    jmp return_to_user

isr_from_kernel:
    PUSH_GPRS
    movq %rsp, %rdi
    call kernel_trap
    POP_GPRS
    addq $16, %rsp
    iretq

/* Interrupt and exception stubs: those without a CPU error code push 0. */
.macro ISR vec
    .balign 16
isr_\vec:
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp isr_common
.endm

.altmacro
.macro ISR_N n
    ISR %n
.endm
.macro ISR_ADDR n
    .quad isr_\n
.endm

    .set vec, 0
    .rept 256
    ISR_N %vec
    .set vec, vec + 1
    .endr

    .section .rodata
    .balign 8
    .global isr_table
isr_table:
    .set vec, 0
    .rept 256
    ISR_ADDR %vec
    .set vec, vec + 1
    .endr

/* Leaves the boot path for good: the first thread's frame goes at the top
 * of the kernel stack, as if it had entered the kernel. */
    .text
    .global enter_first_thread
enter_first_thread:
    movq %gs:CPU_OFF_KSTACK_TOP, %rsp
    subq $(22 * 8), %rsp
    xorl %ebp, %ebp
    movq %rsp, %rdi
    call sched_switch
    jmp return_to_user

    .section .note.GNU-stack, "", @progbits
