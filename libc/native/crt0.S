/*
 * Start of a native root task: rdi = the boot-info page, rsp = the stack
 * top. main(bootinfo) runs; if it returns, the thread suspends itself.
 */
    .text
    .global _start
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call native_start
1:  ud2
    jmp 1b

    .section .note.GNU-stack, "", @progbits
