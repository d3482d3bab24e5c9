/*
 * Per-CPU set-up: GDT with the TSS, IST stacks, the IDT, the syscall MSRs
 * and the per-CPU block reached through the kernel GS base.
 */
#include "arch/cpu.h"
#include "arch/layout.h"
#include "arch/percpu.h"
#include "kernel/section.h"

typedef struct __attribute__((packed)) {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} tss_t;

typedef struct __attribute__((packed)) {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t flags;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} idt_entry_t;

typedef struct __attribute__((packed)) {
    uint16_t limit;
    uint64_t base;
} descriptor_ptr_t;

enum { IST_DOUBLE_FAULT = 1, IST_NMI = 2, IST_MACHINE_CHECK = 3, IST_DEBUG = 4, IST_COUNT = 4 };

#define GDT_ENTRIES 8

extern const uint64_t isr_table[256];
extern char boot_stack_top[];
void syscall_entry(void);
void syscall_entry_compat(void);

static cpu_t boot_cpu FASTPATH_DATA; /* reached on every kernel entry */
static tss_t tss __attribute__((aligned(16)));
static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static idt_entry_t idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

static void gdt_init(void)
{
    uint64_t base = (uint64_t)&tss;
    uint64_t limit = sizeof(tss) - 1;
    gdt[0] = 0;
    gdt[1] = 0x00209a0000000000ull; /* 0x08 kernel code 64 */
    gdt[2] = 0x0000920000000000ull; /* 0x10 kernel data */
    gdt[3] = 0;                     /* 0x18 placeholder: sysret's base */
    gdt[4] = 0x0000f20000000000ull; /* 0x20 user data (0x23) */
    gdt[5] = 0x0020fa0000000000ull; /* 0x28 user code 64 (0x2b) */
    gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[7] = base >> 32;

    descriptor_ptr_t ptr = {sizeof(gdt) - 1, (uint64_t)gdt};
    __asm__ volatile("lgdt %0\n"
                     "pushq %1\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1:\n"
                     "movw %2, %%ax\n"
                     "movw %%ax, %%ds\n"
                     "movw %%ax, %%es\n"
                     "movw %%ax, %%ss\n"
                     :
                     : "m"(ptr), "i"(SEL_KERNEL_CS), "i"(SEL_KERNEL_DS)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

static void tss_init(void)
{
    tss.rsp[0] = (uint64_t)boot_stack_top;
    for (int i = 0; i < IST_COUNT; i++) {
        tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
    }
    /* No I/O bitmap: every port access from user mode faults. */
    tss.iomap_base = sizeof(tss);
}

static void idt_set(int vec, uint64_t handler, uint8_t ist)
{
    idt[vec] = (idt_entry_t){
        .offset_low = handler & 0xffff,
        .selector = SEL_KERNEL_CS,
        .ist = ist,
        .flags = 0x8e, /* present, DPL 0, interrupt gate */
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_high = handler >> 32,
    };
}

static void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        idt_set(v, isr_table[v], 0);
    }
    idt_set(1, isr_table[1], IST_DEBUG);
    idt_set(2, isr_table[2], IST_NMI);
    idt_set(8, isr_table[8], IST_DOUBLE_FAULT);
    idt_set(18, isr_table[18], IST_MACHINE_CHECK);
    descriptor_ptr_t ptr = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(ptr));
}

static void syscall_init(void)
{
    wrmsr(MSR_STAR, ((uint64_t)SEL_SYSRET_BASE << 48) | ((uint64_t)SEL_KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_CSTAR, (uint64_t)syscall_entry_compat);
    /* IF, TF, DF, AC, NT and IOPL cleared on entry. */
    wrmsr(MSR_FMASK, 0x200ull | 0x100ull | 0x400ull | 0x40000ull | 0x4000ull | 0x3000ull);
}

void cpu_init(void)
{
    boot_cpu.self = &boot_cpu;
    boot_cpu.kstack_top = (uint64_t)boot_stack_top;
    tss_init();
    gdt_init();
    idt_init();
    syscall_init();
    wrmsr(MSR_GS_BASE, (uint64_t)&boot_cpu);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}
