/*
 * Where a forked child starts. Its memory is a copy of its parent's taken
 * while the parent waited in the fork request, so the parent's syscall
 * frame is on the (copied) runtime stack: the child finishes the child's
 * half of fork in C and leaves through the same exit as every system call,
 * with rax = 0.
 */
    .section capsule_runtime, "ax", @progbits
    .global runtime_fork_child
runtime_fork_child:
    movq fork_frame(%rip), %rsp
    call fork_child_setup
    xorl %eax, %eax
    jmp runtime_return

    .section .note.GNU-stack, "", @progbits
