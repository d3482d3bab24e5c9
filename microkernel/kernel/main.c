/*
 * Kernel start-up: from the multiboot2 hand-over to the first user thread.
 */
#include "arch/cpu.h"
#include "arch/layout.h"
#include "arch/machine.h"
#include "arch/paging.h"
#include "arch/percpu.h"
#include "arch/serial.h"
#include "kernel/boot_task.h"
#include "kernel/fastpath.h"
#include "kernel/frame_alloc.h"
#include "kernel/log.h"
#include "kernel/memory.h"
#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/timeout.h"

#define MB2_INFO_MAX (1u << 20)
#define MAX_RESERVED (MB2_MAX_MODULES + 2)

extern char __kernel_start[], __kernel_end[];
__attribute__((noreturn)) void enter_first_thread(void);

static mb2_info_t boot_info;

static const char *memory_type_name(uint32_t type)
{
    switch (type) {
    case 1:
        return "usable";
    case 3:
        return "ACPI";
    case 4:
        return "ACPI NVS";
    case 5:
        return "bad";
    default:
        return "reserved";
    }
}

static void parse_boot_info(uint32_t magic, uint32_t info_pa)
{
    if (magic != MB2_BOOTLOADER_MAGIC) {
        panic("boot: not started by a multiboot2 loader (magic 0x%x)", magic);
    }
    /* The boot tables map the first 4 GiB, where GRUB puts the information. */
    const uint32_t *info = phys_to_virt(info_pa);
    uint32_t size = info[0];
    if (size > MB2_INFO_MAX) {
        panic("boot: multiboot2 information claims %u bytes", size);
    }
    const char *err = mb2_parse(info, size, &boot_info);
    if (err != NULL) {
        panic("boot: %s", err);
    }
}

static void print_boot_info(void)
{
    kprintf("command line: \"%s\"\n", boot_info.cmdline);
    kprintf("memory map:\n");
    for (size_t i = 0; i < boot_info.mmap_count; i++) {
        const mb2_mmap_entry_t *e = &boot_info.mmap[i];
        kprintf("  %016lx-%016lx %s\n", e->base, e->base + e->length - 1,
                memory_type_name(e->type));
    }
    kprintf("modules:\n");
    for (size_t i = 0; i < boot_info.module_count; i++) {
        const mb2_module_t *m = &boot_info.modules[i];
        kprintf("  %016lx-%016lx %7lu KiB  %s\n", m->start, m->end, (m->end - m->start) / 1024,
                m->cmdline);
    }
}

/* Starts the frame allocator; returns the usable bytes of RAM. */
static uint64_t init_memory(uint32_t info_pa, uint64_t *ram_top)
{
    phys_range_t usable[MB2_MAX_MMAP], reserved[MAX_RESERVED];
    size_t nu = 0, nr = 0;
    uint64_t total = 0;
    *ram_top = 0;
    for (size_t i = 0; i < boot_info.mmap_count; i++) {
        const mb2_mmap_entry_t *e = &boot_info.mmap[i];
        if (e->type == MB2_MEMORY_AVAILABLE) {
            usable[nu++] = (phys_range_t){e->base, e->length};
            total += e->length;
            if (e->base + e->length > *ram_top) {
                *ram_top = e->base + e->length;
            }
        }
    }
    paddr_t kstart = (paddr_t)__kernel_start - KERNEL_VMA;
    reserved[nr++] = (phys_range_t){kstart, (paddr_t)__kernel_end - KERNEL_VMA - kstart};
    reserved[nr++] = (phys_range_t){ALIGN_DOWN(info_pa, FRAME_SIZE),
                                    ALIGN_UP(info_pa + boot_info.total_size, FRAME_SIZE) -
                                        ALIGN_DOWN(info_pa, FRAME_SIZE)};
    for (size_t i = 0; i < boot_info.module_count; i++) {
        const mb2_module_t *m = &boot_info.modules[i];
        if (!IS_ALIGNED(m->start, FRAME_SIZE)) {
            panic("boot: module \"%s\" is not page aligned", m->cmdline);
        }
        reserved[nr++] = (phys_range_t){m->start, ALIGN_UP(m->end - m->start, FRAME_SIZE)};
    }
    const char *err = frame_alloc_init(usable, nu, reserved, nr);
    if (err != NULL) {
        panic("boot: %s", err);
    }
    return total;
}

static bool cmdline_has(const char *word)
{
    size_t n = strlen(word);
    for (const char *p = boot_info.cmdline; *p != '\0'; p++) {
        bool at_start = p == boot_info.cmdline || p[-1] == ' ';
        if (at_start && strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0')) {
            return true;
        }
    }
    return false;
}

/* `nofastpath` on the command line: every IPC takes the general path. */
static void read_flags(void)
{
    fastpath_enabled = !cmdline_has("nofastpath");
    if (!fastpath_enabled) {
        kprintf("ipc: fast path off\n");
    }
}

/* `test_panic` on the command line: a page fault in the kernel, so a
 * scenario can check what a panic prints. */
static void maybe_test_panic(void)
{
    if (cmdline_has("test_panic")) {
        volatile uint64_t bad_address = 8;
        *(volatile uint64_t *)bad_address = 1;
    }
}

void kernel_main(uint32_t magic, uint32_t info_pa)
{
    serial_init();
    kprintf("\nCapsule microkernel, x86_64\n");
    parse_boot_info(magic, info_pa);
    print_boot_info();
    uint64_t ram_top;
    uint64_t mem_total = init_memory(info_pa, &ram_top);
    paging_init(ram_top);
    cpu_init();
    fpu_init();
    pic_disable();
    maybe_test_panic();
    read_flags();
    kprintf("memory: %lu MiB usable, %lu MiB free\n", mem_total >> 20,
            (frame_alloc_free_count() * FRAME_SIZE) >> 20);
    clock_init(lapic_timer_init(TIMER_HZ));
    boot_task_create(&boot_info, mem_total);
    this_cpu()->loaded_cr3 = paging_kernel_pml4();
    enter_first_thread();
}
