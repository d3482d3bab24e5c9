/*
 * The personality entry. The kernel returns a Linux-numbered `syscall` here
 * with rcx = the program's return address and r11 = its flags; every other
 * register is the program's. Linux preserves all of them but rax, rcx and
 * r11, and never touches the program's stack (its red zone lies below rsp),
 * so the runtime switches to its own stack through GS first.
 *
 * The frame holds every register of the program, so that a forked child
 * can leave the runtime exactly as its parent entered it.
 */
    .section capsule_runtime, "ax", @progbits
    .global runtime_syscall_entry, runtime_return
runtime_syscall_entry:
    movq %rsp, %gs:0            /* runtime_thread_t.program_rsp */
    movq %gs:8, %rsp            /* runtime_thread_t.runtime_stack */
    pushq %rcx                  /* syscall_frame_t, from the top down */
    pushq %r11
    pushq %rdi
    pushq %rsi
    pushq %rdx
    pushq %r10
    pushq %r8
    pushq %r9
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rax
    subq $8, %rsp               /* padding: the call needs rsp % 16 == 0 */
    cld
    movq %rsp, %rdi
    call runtime_dispatch

/* rsp = a syscall_frame_t, rax = the result for the program. */
runtime_return:
    addq $16, %rsp              /* padding and nr */
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    popq %r9
    popq %r8
    popq %r10
    popq %rdx
    popq %rsi
    popq %rdi
    popfq                       /* the program's flags (r11 is clobbered, as on Linux) */
    popq %rcx
    movq %gs:0, %rsp
    jmpq *%rcx

    .section .note.GNU-stack, "", @progbits
