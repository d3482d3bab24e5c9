/*
 * Layout of the words TCB_ReadRegisters returns and TCB_WriteRegisters takes.
 *
 * ReadRegisters replies with REGS_READ_WORDS message registers:
 *   [0] thread state (TCB_STATE_*), [1] fault vector, [2] fault error code,
 *   [3] fault address (CR2 for a page fault), [4..] user_regs_t, then the
 *   512-byte FXSAVE image (MXCSR reserved bits cleared).
 * WriteRegisters takes [0] flags (REGS_WRITE_RESUME, REGS_WRITE_FPU), then a
 * user_regs_t, then (with REGS_WRITE_FPU) the FXSAVE image.
 */
#ifndef CAPSULE_UAPI_REGISTERS_H
#define CAPSULE_UAPI_REGISTERS_H

#include <stdint.h>

typedef struct {
    uint64_t rip, rsp, rflags;
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t fs_base, gs_base;
} user_regs_t;

#define REGS_WORDS (sizeof(user_regs_t) / 8)
#define FPU_IMAGE_BYTES 512
#define FPU_IMAGE_WORDS (FPU_IMAGE_BYTES / 8)

#define REGS_READ_HEADER_WORDS 4
#define REGS_READ_WORDS (REGS_READ_HEADER_WORDS + REGS_WORDS + FPU_IMAGE_WORDS)

#define REGS_WRITE_RESUME 0x1u
#define REGS_WRITE_FPU 0x2u
#define REGS_WRITE_WORDS (1 + REGS_WORDS + FPU_IMAGE_WORDS)

/* Flags a thread may hold; everything else in RFLAGS is forced by the kernel
 * (IF = 1, IOPL = 0, NT = RF = VM = 0). */
#define RFLAGS_USER_MASK 0x240dd5ull /* CF PF AF ZF SF TF DF OF AC ID */
#define RFLAGS_IF 0x200ull

_Static_assert(REGS_READ_WORDS <= 120, "register image fits in a message");

#endif
