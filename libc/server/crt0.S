/*
 * Start of a musl-linked server: rdi = its boot-info page, rsp = the stack
 * top. server_start sets the runtime up and enters musl.
 */
    .text
    .global _start
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call server_start
1:  ud2
    jmp 1b

    .section .note.GNU-stack, "", @progbits
