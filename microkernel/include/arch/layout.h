/* Where things live in the kernel half of every address space. */
#ifndef CAPSULE_ARCH_LAYOUT_H
#define CAPSULE_ARCH_LAYOUT_H

#define KERNEL_VMA 0xffffffff80000000
#define KERNEL_PHYS_BASE 0x200000
#define DIRECT_MAP_BASE 0xffff800000000000
#define MMIO_BASE 0xffffff0000000000
#define KERNEL_STACK_SIZE 16384
/* The last bytes of the kernel stack's top page hold the IPC fast path's
 * data instead (kernel/section.h, linker.ld): the stack ends below them. */
#define KERNEL_STACK_SHARED 512
#define IST_STACK_SIZE 8192

/* GDT selectors (notes/kernel-x86_64.md): STAR makes sysret use 0x2b/0x23. */
#define SEL_KERNEL_CS 0x08
#define SEL_KERNEL_DS 0x10
#define SEL_SYSRET_BASE 0x18
#define SEL_USER_DS 0x23
#define SEL_USER_CS 0x2b
#define SEL_TSS 0x30

#endif
