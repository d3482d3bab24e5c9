/*
 * The one place the runtime touches the program's memory. A fault on the
 * copy instruction goes to proc-server, which resumes the thread at the
 * fixup (the header names both), so a bad pointer gives -EFAULT.
 *
 * int64_t user_copy(void *dst, const void *src, size_t len): 0 or -EFAULT.
 */
    .section capsule_runtime, "ax", @progbits
    .global user_copy, user_copy_insn, user_copy_fixup
user_copy:
    movq %rdx, %rcx
user_copy_insn:
    rep movsb
    xorl %eax, %eax
    ret
user_copy_fixup:
    movq $-14, %rax             /* -EFAULT */
    ret

    .section .note.GNU-stack, "", @progbits
