/*
 * What the server runtime and the POSIX runtime share: the personality
 * entry, anonymous memory and the slot allocator. Everything here runs on the runtime's
 * own stack with the program's registers saved, so it is built
 * -mgeneral-regs-only: a musl function may keep SSE values live across an
 * inline `syscall`, and Linux preserves them.
 */
#ifndef CAPSULE_SERVER_RUNTIME_H
#define CAPSULE_SERVER_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "uapi/bootinfo.h"

/* Code that runs inside the personality: the kernel treats a Linux system
 * call from this section as a fault instead of entering the runtime again. */
#define RUNTIME __attribute__((section("capsule_runtime")))

/* The registers of the program's `syscall`, as entry.S pushes them. */
typedef struct {
    uint64_t padding;
    uint64_t nr;
    uint64_t r15, r14, r13, r12, rbp, rbx;
    uint64_t a6, a5, a4, a3, a2, a1; /* r9, r8, r10, rdx, rsi, rdi */
    uint64_t rflags, rip;
} syscall_frame_t;

/* The per-thread block the GS base points at (offsets used by entry.S). */
typedef struct {
    uint64_t program_rsp;   /* 0: saved at entry */
    uint64_t runtime_stack; /* 8: top of the runtime stack */
    uint64_t resume_rip;    /* 16: where runtime_resume jumps (POSIX runtime) */
} runtime_thread_t;

void slots_init(const bootinfo_t *bi);

/* clock_gettime's clocks in nanoseconds; -EINVAL for an unknown clock. */
int64_t runtime_clock_ns(uint64_t clock, uint64_t *ns);

/* arch_prctl(ARCH_SET_FS) on the calling thread, and the base it set. */
int64_t runtime_set_fs(uint64_t addr);
uint64_t runtime_fs_base(void);

/* musl ships no kernel headers: arch_prctl codes from Linux's asm/prctl.h */
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

/* Each runtime's system call table; returns the result for rax. */
int64_t runtime_dispatch(syscall_frame_t *f);

int64_t memory_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd,
                    uint64_t offset);
int64_t memory_munmap(uint64_t addr, uint64_t len);
int64_t memory_mprotect(uint64_t addr, uint64_t len, uint64_t prot);
int64_t memory_brk(uint64_t addr);
/* mremap(2) of anonymous mappings in the window: shrink, grow in place, move
 * (MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP); errors as Linux's. */
int64_t memory_mremap(uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t flags,
                      uint64_t new_addr);
/* The boot-info page naming the program's segments and their frames, for
 * mprotect of the image. */
void memory_set_image(const bootinfo_t *bi);
/* Sets the (fixed) program break: the end of the program's image. */
void memory_set_break(uint64_t end);

#endif
