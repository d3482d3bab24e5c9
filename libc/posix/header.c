/*
 * The header proc-server reads to install the runtime, and the first
 * thread's runtime state it points at.
 */
#include "protocol/posix_runtime.h"
#include "runtime.h"

#define RUNTIME_STACK_BYTES 16384

void runtime_syscall_entry(void);
void user_access_start(void);
void user_access_end(void);
void user_access_fixup(void);
void runtime_fork_child(void);
void runtime_upcall_entry(void);
void runtime_fault_entry(void);
extern const char __runtime_text_start[], __runtime_text_end[];

static uint8_t main_stack[RUNTIME_STACK_BYTES] __attribute__((aligned(16)));
runtime_thread_t main_thread = {0, (uint64_t)(main_stack + RUNTIME_STACK_BYTES), 0};

__attribute__((section(".runtime_header"), used)) const posix_runtime_header_t runtime_header = {
    .magic = POSIX_RUNTIME_MAGIC,
    .syscall_entry = (uint64_t)runtime_syscall_entry,
    .upcall_entry = (uint64_t)runtime_upcall_entry,
    .text_lo = (uint64_t)__runtime_text_start,
    .text_hi = (uint64_t)__runtime_text_end,
    .main_thread = (uint64_t)&main_thread,
    .user_access_lo = (uint64_t)user_access_start,
    .user_access_hi = (uint64_t)user_access_end,
    .user_access_fixup = (uint64_t)user_access_fixup,
    .fork_child = (uint64_t)runtime_fork_child,
    .fault_entry = (uint64_t)runtime_fault_entry,
};
