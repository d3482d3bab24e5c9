/*
 * Multiboot2 entry: 32-bit protected mode from GRUB to 64-bit long mode in
 * the higher half. The boot page tables map the first 4 GiB three times:
 * identity (to survive enabling paging), at the direct map and at the kernel
 * base. paging_init() replaces them with the real kernel tables.
 */
#include "arch/layout.h"

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_LOADER_MAGIC 0x36d76289
#define PHYS(sym) ((sym) - KERNEL_VMA)

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long 0                                   /* i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + (mb2_header_end - mb2_header))
    /* entry address tag: GRUB jumps to the physical address of _start */
    .balign 8
    .short 3, 0
    .long 12
    .long PHYS(_start)
    /* module alignment tag: modules start on page boundaries */
    .balign 8
    .short 6, 0
    .long 8
    /* end tag */
    .balign 8
    .short 0, 0
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    movl $PHYS(boot_stack_top), %esp
    cmpl $MB2_LOADER_MAGIC, %eax
    jne boot_fail
    movl %eax, PHYS(boot_mb2_magic)
    movl %ebx, PHYS(boot_mb2_info)

    /* long mode (bit 29) and NX (bit 20) in CPUID 0x80000001.EDX */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb boot_fail
    movl $0x80000001, %eax
    cpuid
    testl $(1 << 29), %edx
    jz boot_fail
    testl $(1 << 20), %edx
    jz boot_fail

    /* four page directories of 2 MiB pages: physical 0..4 GiB */
    movl $PHYS(boot_pd), %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax                           /* present, writable, 2 MiB */
    movl %eax, (%edi, %ecx, 8)
    movl %ecx, %eax
    shrl $11, %eax                            /* high bits of (ecx << 21) */
    movl %eax, 4(%edi, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jne 1b

    /* PDPT for identity and direct map: four entries, one per GiB */
    movl $PHYS(boot_pdpt_low), %edi
    movl $PHYS(boot_pd), %eax
    orl $0x3, %eax
    movl %eax, 0(%edi)
    addl $4096, %eax
    movl %eax, 8(%edi)
    addl $4096, %eax
    movl %eax, 16(%edi)
    addl $4096, %eax
    movl %eax, 24(%edi)

    /* PDPT for the kernel: -2 GiB maps physical 0..1 GiB */
    movl $PHYS(boot_pdpt_high), %edi
    movl $PHYS(boot_pd), %eax
    orl $0x3, %eax
    movl %eax, (510 * 8)(%edi)

    movl $PHYS(boot_pml4), %edi
    movl $PHYS(boot_pdpt_low), %eax
    orl $0x3, %eax
    movl %eax, 0(%edi)
    movl %eax, (256 * 8)(%edi)
    movl $PHYS(boot_pdpt_high), %eax
    orl $0x3, %eax
    movl %eax, (511 * 8)(%edi)
    movl %edi, %cr3

    movl %cr4, %eax
    orl $(1 << 5), %eax                       /* PAE */
    movl %eax, %cr4

    movl $0xc0000080, %ecx                    /* EFER: LME, NXE, SCE */
    rdmsr
    orl $((1 << 8) | (1 << 11) | (1 << 0)), %eax
    wrmsr

    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16)), %eax        /* PG, WP */
    movl %eax, %cr0

    lgdt PHYS(boot_gdt_ptr)
    ljmp $0x08, $PHYS(boot_long_mode)

boot_fail:
    /* print "no long mode" on COM1 and stop: nothing else can be done here */
    movl $PHYS(boot_fail_msg), %esi
2:  movb (%esi), %al
    testb %al, %al
    jz 3f
    movw $0x3f8, %dx
    outb %al, %dx
    incl %esi
    jmp 2b
3:  hlt
    jmp 3b

    .code64
boot_long_mode:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $boot_higher_half, %rax
    jmp *%rax

    .text
boot_higher_half:
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    movl boot_mb2_magic(%rip), %edi
    movl boot_mb2_info(%rip), %esi
    call kernel_main
4:  cli
    hlt
    jmp 4b

    .section .rodata
boot_fail_msg:
    .asciz "capsule: not a multiboot2 boot or no long mode/NX; stopping\r\n"

    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00209a0000000000                  /* 0x08: kernel code, 64-bit */
    .quad 0x0000920000000000                  /* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long PHYS(boot_gdt)

    .data
    .global boot_mb2_magic, boot_mb2_info
boot_mb2_magic: .long 0
boot_mb2_info: .long 0

    .section .boot.bss, "aw", @nobits
    .balign 4096
    .global boot_pml4
boot_pml4: .skip 4096
boot_pdpt_low: .skip 4096
boot_pdpt_high: .skip 4096
boot_pd: .skip 4 * 4096
    .global boot_stack_bottom, boot_stack_top
boot_stack_guard: .skip 4096                  /* unmapped by paging_init */
boot_stack_bottom: .skip KERNEL_STACK_SIZE - KERNEL_STACK_SHARED
boot_stack_top:                               /* linker.ld puts .bss.fastpath here */

    .section .note.GNU-stack, "", @progbits
