/*
 * The ways into the runtime that are not system calls, and the way out to
 * any context.
 *
 * runtime_upcall_entry: TCB_Interrupt diverted the thread from the program
 * (its context is in the IPC buffer's upcall area); runtime_fault_entry:
 * proc-server resumed a faulting thread here (its context is in the signal
 * page). Either way the thread was outside the runtime, so its stack is
 * free, and the C side never returns: it leaves through runtime_resume.
 */
    .section capsule_runtime, "ax", @progbits
    .global runtime_upcall_entry, runtime_fault_entry, runtime_resume

runtime_upcall_entry:
    movq %gs:8, %rsp            /* runtime_thread_t.runtime_stack */
    cld
    call signal_upcall
    ud2

runtime_fault_entry:
    movq %gs:8, %rsp
    cld
    call signal_fault_upcall
    ud2

/*
 * void runtime_resume(const user_regs_t *regs, const void *fpu): loads the
 * FXSAVE image `fpu` (unless NULL) and every general register, the flags,
 * rsp and rip of `regs` (uapi/registers.h order), without the kernel: rsp
 * and rip go through the GS block so that no register is left over.
 */
runtime_resume:
    testq %rsi, %rsi
    jz 1f
    fxrstor64 (%rsi)
1:  movq 8(%rdi), %rax
    movq %rax, %gs:0            /* runtime_thread_t.program_rsp */
    movq 0(%rdi), %rax
    movq %rax, %gs:16           /* runtime_thread_t.resume_rip */
    pushq 16(%rdi)              /* rflags, popped last */
    movq 24(%rdi), %rax
    movq 32(%rdi), %rbx
    movq 40(%rdi), %rcx
    movq 48(%rdi), %rdx
    movq 56(%rdi), %rsi
    movq 72(%rdi), %rbp
    movq 80(%rdi), %r8
    movq 88(%rdi), %r9
    movq 96(%rdi), %r10
    movq 104(%rdi), %r11
    movq 112(%rdi), %r12
    movq 120(%rdi), %r13
    movq 128(%rdi), %r14
    movq 136(%rdi), %r15
    movq 64(%rdi), %rdi
    popfq
    movq %gs:0, %rsp
    jmpq *%gs:16

    .section .note.GNU-stack, "", @progbits
