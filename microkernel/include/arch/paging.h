/*
 * x86_64 four-level page tables: the kernel's own tables and the primitives
 * VSpace objects are built from. Page-table pages come from the frame
 * allocator; callers do the pool accounting.
 */
#ifndef CAPSULE_ARCH_PAGING_H
#define CAPSULE_ARCH_PAGING_H

#include "kernel/types.h"

#define PTE_PRESENT 0x1ull
#define PTE_WRITE 0x2ull
#define PTE_USER 0x4ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_HUGE 0x80ull
#define PTE_GLOBAL 0x100ull
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Builds the kernel's page tables (direct map of [0, ram_top), the kernel
 * image with W^X, a guard page under the kernel stack) and switches to them. */
void paging_init(uint64_t ram_top);

paddr_t paging_kernel_pml4(void);

/* Maps one page of device registers, uncached, in the kernel half. */
void *paging_map_mmio(paddr_t pa);

/* A new PML4 sharing the kernel half; 0 when out of frames. */
paddr_t pml4_create(void);

/* Page-table pages pml4_map would have to allocate to map `va`. */
int pml4_tables_needed(paddr_t pml4, vaddr_t va);

/* Maps `va` to `pa` (allocating tables); false if `va` is already mapped or
 * a table could not be allocated. */
bool pml4_map(paddr_t pml4, vaddr_t va, paddr_t pa, uint64_t flags);

/* Clears the mapping of `va` (flushing it when `pml4` is loaded). */
void pml4_unmap(paddr_t pml4, vaddr_t va);

/* Frees every user-half table and the PML4; returns the table pages freed,
 * the PML4 not counted. */
size_t pml4_destroy(paddr_t pml4);

/* The physical address behind user `va` if mapped with at least `need`
 * (PTE_USER, PTE_WRITE...) at every level, else 0. */
paddr_t pml4_translate(paddr_t pml4, vaddr_t va, uint64_t need);

#endif
