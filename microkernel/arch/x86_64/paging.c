/*
 * Page tables. The kernel half (PML4 entries 256..511) is built once at boot
 * and copied into every VSpace, so it never changes afterwards. User halves
 * are built on demand by VSpace_Map through pml4_map().
 */
#include "arch/paging.h"

#include "arch/cpu.h"
#include "arch/layout.h"
#include "kernel/frame_alloc.h"
#include "kernel/memory.h"
#include "kernel/panic.h"

#define ENTRIES 512
#define HUGE_PAGE (2ull << 20)
#define KERNEL_HALF_FIRST 256

extern char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];
extern char boot_stack_bottom[];

static paddr_t kernel_pml4;
static vaddr_t mmio_next = MMIO_BASE;

void *phys_to_virt(paddr_t pa)
{
    return (void *)(pa + DIRECT_MAP_BASE);
}

paddr_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;
    if (v >= KERNEL_VMA) {
        return v - KERNEL_VMA;
    }
    return v - DIRECT_MAP_BASE;
}

static uint64_t *table(paddr_t pa)
{
    return phys_to_virt(pa);
}

static unsigned index_of(vaddr_t va, int level)
{
    return (va >> (12 + 9 * (level - 1))) & (ENTRIES - 1);
}

/* The entry for `va` at `level` (1 = PT), allocating tables on the way
 * when `alloc`; NULL if a table is missing (or allocation failed). */
static uint64_t *walk(paddr_t pml4, vaddr_t va, int level, bool alloc, uint64_t table_flags)
{
    paddr_t t = pml4;
    for (int l = 4; l > level; l--) {
        uint64_t *e = &table(t)[index_of(va, l)];
        if (!(*e & PTE_PRESENT)) {
            if (!alloc) {
                return NULL;
            }
            paddr_t fresh = frame_alloc(1);
            if (fresh == 0) {
                return NULL;
            }
            *e = fresh | table_flags;
        }
        ASSERT(!(*e & PTE_HUGE));
        t = *e & PTE_ADDR_MASK;
    }
    return &table(t)[index_of(va, level)];
}

static void kernel_map_page(vaddr_t va, paddr_t pa, uint64_t flags)
{
    uint64_t *e = walk(kernel_pml4, va, 1, true, PTE_PRESENT | PTE_WRITE);
    if (e == NULL) {
        panic("paging: out of frames building the kernel tables");
    }
    *e = pa | flags | PTE_PRESENT | PTE_GLOBAL;
}

static void map_direct(uint64_t ram_top)
{
    for (paddr_t pa = 0; pa < ram_top; pa += HUGE_PAGE) {
        uint64_t *e = walk(kernel_pml4, DIRECT_MAP_BASE + pa, 2, true, PTE_PRESENT | PTE_WRITE);
        if (e == NULL) {
            panic("paging: out of frames for the direct map");
        }
        *e = pa | PTE_PRESENT | PTE_WRITE | PTE_HUGE | PTE_GLOBAL | PTE_NX;
    }
}

/* Text is read-only and executable, read-only data is neither writable nor
 * executable, data and bss are writable but not executable. */
static void map_kernel_image(void)
{
    for (vaddr_t va = (vaddr_t)__kernel_start; va < (vaddr_t)__kernel_end; va += FRAME_SIZE) {
        uint64_t flags;
        if (va == (vaddr_t)boot_stack_bottom - FRAME_SIZE) {
            continue; /* guard page under the kernel stack */
        }
        if (va < (vaddr_t)__text_end) {
            flags = 0;
        } else if (va < (vaddr_t)__rodata_end) {
            flags = PTE_NX;
        } else {
            flags = PTE_WRITE | PTE_NX;
        }
        kernel_map_page(va, va - KERNEL_VMA, flags);
    }
}

void paging_init(uint64_t ram_top)
{
    kernel_pml4 = frame_alloc(1);
    if (kernel_pml4 == 0) {
        panic("paging: no frame for the kernel PML4");
    }
    /* Every kernel-half PDPT exists from now on, so copies stay valid. */
    for (unsigned i = KERNEL_HALF_FIRST; i < ENTRIES; i++) {
        paddr_t pdpt = frame_alloc(1);
        if (pdpt == 0) {
            panic("paging: no frame for kernel PDPTs");
        }
        table(kernel_pml4)[i] = pdpt | PTE_PRESENT | PTE_WRITE;
    }
    map_direct(ALIGN_UP(ram_top, HUGE_PAGE));
    map_kernel_image();
    write_cr4(read_cr4() | (1ull << 7)); /* PGE */
    write_cr3(kernel_pml4);
}

paddr_t paging_kernel_pml4(void)
{
    return kernel_pml4;
}

void *paging_map_mmio(paddr_t pa)
{
    vaddr_t va = mmio_next;
    mmio_next += FRAME_SIZE;
    kernel_map_page(va, ALIGN_DOWN(pa, FRAME_SIZE), PTE_WRITE | PTE_NX | PTE_PCD | PTE_PWT);
    invlpg(va);
    return (void *)(va + (pa & (FRAME_SIZE - 1)));
}

paddr_t pml4_create(void)
{
    paddr_t pml4 = frame_alloc(1);
    if (pml4 == 0) {
        return 0;
    }
    for (unsigned i = KERNEL_HALF_FIRST; i < ENTRIES; i++) {
        table(pml4)[i] = table(kernel_pml4)[i];
    }
    return pml4;
}

int pml4_tables_needed(paddr_t pml4, vaddr_t va)
{
    paddr_t t = pml4;
    for (int l = 4; l > 1; l--) {
        uint64_t e = table(t)[index_of(va, l)];
        if (!(e & PTE_PRESENT)) {
            return l - 1;
        }
        t = e & PTE_ADDR_MASK;
    }
    return 0;
}

bool pml4_map(paddr_t pml4, vaddr_t va, paddr_t pa, uint64_t flags)
{
    uint64_t *e = walk(pml4, va, 1, true, PTE_PRESENT | PTE_WRITE | PTE_USER);
    if (e == NULL || (*e & PTE_PRESENT)) {
        return false;
    }
    *e = pa | flags | PTE_PRESENT;
    return true;
}

void pml4_unmap(paddr_t pml4, vaddr_t va)
{
    uint64_t *e = walk(pml4, va, 1, false, 0);
    if (e == NULL) {
        return;
    }
    *e = 0;
    if ((read_cr3() & PTE_ADDR_MASK) == pml4) {
        invlpg(va);
    }
}

static size_t free_table(paddr_t t, int level)
{
    size_t freed = 0;
    if (level > 1) {
        for (unsigned i = 0; i < ENTRIES; i++) {
            uint64_t e = table(t)[i];
            if (e & PTE_PRESENT) {
                freed += free_table(e & PTE_ADDR_MASK, level - 1);
            }
        }
    }
    frame_free(t, 1);
    return freed + 1;
}

size_t pml4_destroy(paddr_t pml4)
{
    ASSERT((read_cr3() & PTE_ADDR_MASK) != pml4);
    size_t freed = 0;
    for (unsigned i = 0; i < KERNEL_HALF_FIRST; i++) {
        uint64_t e = table(pml4)[i];
        if (e & PTE_PRESENT) {
            freed += free_table(e & PTE_ADDR_MASK, 3);
        }
    }
    frame_free(pml4, 1);
    return freed;
}

paddr_t pml4_translate(paddr_t pml4, vaddr_t va, uint64_t need)
{
    paddr_t t = pml4;
    for (int l = 4; l >= 1; l--) {
        uint64_t e = table(t)[index_of(va, l)];
        if ((e & (PTE_PRESENT | need)) != (PTE_PRESENT | need)) {
            return 0;
        }
        t = e & PTE_ADDR_MASK;
    }
    return t + (va & (FRAME_SIZE - 1));
}
