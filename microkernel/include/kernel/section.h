/*
 * Sections that keep the IPC fast path's code and data together; linker.ld
 * gives the code a page of its own and the data the rest of the kernel
 * stack's top page, and checks that each fits.
 *
 * Why: under QEMU's software emulation (TCG) every CR3 write flushes the
 * whole software TLB, and each distinct page touched afterwards costs a
 * page-table walk (docs/performance.md). A round trip between two address
 * spaces writes CR3 twice, so the path from syscall entry through the fast
 * path to sysretq should touch as few pages as it can. On hardware the same
 * layout saves TLB entries and cache lines.
 */
#ifndef CAPSULE_KERNEL_SECTION_H
#define CAPSULE_KERNEL_SECTION_H

/* Code on the fast path: entry, fastpath_*, the direct switch. */
#define FASTPATH_TEXT __attribute__((section(".text.fastpath")))

/* Variables the fast path reads or writes (per-CPU state, run-queue
 * bitmap). They go in the top page of the kernel stack, which every entry
 * touches anyway; they must be zero-initialised (the section is bss). */
#define FASTPATH_DATA __attribute__((section(".bss.fastpath")))

#endif
