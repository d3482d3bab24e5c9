/*
 * The only code of the runtime that touches the program's memory. A fault
 * on an instruction between user_access_start and user_access_end goes to
 * proc-server, which resumes the thread at user_access_fixup (the runtime
 * header names all three), so a bad pointer gives -EFAULT. Every function
 * here is a leaf without a stack frame, so the fixup can return for it.
 */
    .section capsule_runtime, "ax", @progbits
    .global user_copy, user_strnlen, user_access_start, user_access_end, user_access_fixup

/* int64_t user_copy(void *dst, const void *src, size_t len): 0 or -EFAULT. */
user_copy:
    movq %rdx, %rcx
user_access_start:
    rep movsb
    xorl %eax, %eax
    ret

/* int64_t user_strnlen(const char *s, size_t max): the length of s, max if
 * no NUL lies in the first max bytes, or -EFAULT. */
user_strnlen:
    movq %rsi, %rcx
    xorl %eax, %eax
    testq %rcx, %rcx
    jz 1f
    repne scasb
    jne 1f
    subq %rcx, %rsi
    leaq -1(%rsi), %rax
    ret
1:  movq %rsi, %rax
    ret
user_access_end:

user_access_fixup:
    movq $-14, %rax             /* -EFAULT */
    ret

    .section .note.GNU-stack, "", @progbits
