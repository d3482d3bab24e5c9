/*
 * Panics: print what happened, the registers when a trap caused it, and a
 * frame-pointer backtrace with symbol names, then stop the CPU for good.
 */
#include "kernel/panic.h"

#include "arch/cpu.h"
#include "arch/layout.h"
#include "arch/trap.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"

#define BACKTRACE_MAX 16

static void print_address(uint64_t addr)
{
    uint64_t offset = 0;
    const char *name = ksyms_lookup(addr, &offset);
    if (name != NULL) {
        kprintf("  %p %s+0x%lx\n", (void *)addr, name, offset);
    } else {
        kprintf("  %p ?\n", (void *)addr);
    }
}

static bool is_kernel_stack_address(uint64_t a)
{
    return a >= KERNEL_VMA && (a & 7) == 0;
}

static void backtrace_from(uint64_t rbp)
{
    kprintf("backtrace:\n");
    for (int i = 0; i < BACKTRACE_MAX && is_kernel_stack_address(rbp); i++) {
        const uint64_t *frame = (const uint64_t *)rbp;
        print_address(frame[1]);
        rbp = frame[0];
    }
}

static __attribute__((noreturn)) void halt_forever(void)
{
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

void panic(const char *fmt, ...)
{
    __asm__ volatile("cli");
    klog_panic_mode();
    va_list ap;
    va_start(ap, fmt);
    kprintf("\nKERNEL PANIC: ");
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    backtrace_from((uint64_t)__builtin_frame_address(0));
    halt_forever();
}

static void print_frame(const trap_frame_t *f)
{
    kprintf("rip %p cs %lx rflags %lx rsp %p ss %lx\n", (void *)f->rip, f->cs, f->rflags,
            (void *)f->rsp, f->ss);
    kprintf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    kprintf("r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
    kprintf("r13 %016lx r14 %016lx r15 %016lx cr2 %016lx\n", f->r13, f->r14, f->r15, read_cr2());
    kprintf("cr0 %016lx cr3 %016lx cr4 %016lx\n", read_cr0(), read_cr3(), read_cr4());
}

static const char *const exception_names[] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "no FPU",
    "double fault",
    "coprocessor segment",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 error",
    "alignment check",
    "machine check",
    "SIMD error",
};

static const char *exception_name(uint64_t vector)
{
    return vector < ARRAY_SIZE(exception_names) ? exception_names[vector] : "exception";
}

void panic_trap(const trap_frame_t *f)
{
    __asm__ volatile("cli");
    klog_panic_mode();
    kprintf("\nKERNEL PANIC: exception %lu (%s) error code 0x%lx in kernel mode\n", f->vector,
            exception_name(f->vector), f->error);
    print_frame(f);
    print_address(f->rip);
    backtrace_from(f->rbp);
    halt_forever();
}
