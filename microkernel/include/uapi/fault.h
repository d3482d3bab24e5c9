/*
 * Fault messages. A thread with a fault endpoint that faults sends, as if
 * by Call, a message labelled with the fault kind:
 *   mr[0] vector, mr[1] error code, mr[2] address (CR2 for a page fault),
 *   mr[3] rip, mr[4] rsp; for FAULT_UNKNOWN_SYSCALL also mr[5..11] = rax,
 *   rdi, rsi, rdx, r10, r8, r9 (the system call number and arguments).
 * The handler's reply label decides: FAULT_REPLY_RESUME restarts the thread
 * where it stopped (after the syscall for FAULT_UNKNOWN_SYSCALL),
 * FAULT_REPLY_SET_REGISTERS resumes it with the user_regs_t in the reply's
 * message registers, FAULT_REPLY_STOP leaves it stopped.
 */
#ifndef CAPSULE_UAPI_FAULT_H
#define CAPSULE_UAPI_FAULT_H

#define FAULT_PAGE 1
#define FAULT_GENERAL_PROTECTION 2
#define FAULT_INVALID_OPCODE 3
#define FAULT_DIVIDE 4
#define FAULT_UNKNOWN_SYSCALL 5
#define FAULT_OTHER 6

#define FAULT_MSG_WORDS 5
#define FAULT_MSG_SYSCALL_WORDS 12

#define FAULT_REPLY_RESUME 0
#define FAULT_REPLY_SET_REGISTERS 1
#define FAULT_REPLY_STOP 2

/* The vector reported for a system call no native number and no
 * personality takes. */
#define FAULT_VECTOR_SYSCALL 0x100

#endif
