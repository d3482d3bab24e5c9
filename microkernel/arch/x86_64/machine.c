/* Power and idle. */
#include "arch/cpu.h"
#include "arch/machine.h"

#define ISA_DEBUG_EXIT_PORT 0xf4
#define ACPI_PM1A_CNT 0x604
#define KBC_COMMAND_PORT 0x64
#define KBC_PULSE_RESET 0xfe
#define ACPI_SLEEP_S5 0x2000

void machine_shutdown(uint32_t status)
{
    /* QEMU with isa-debug-exit exits here with status (status << 1) | 1. */
    outl(ISA_DEBUG_EXIT_PORT, status);
    outw(ACPI_PM1A_CNT, ACPI_SLEEP_S5);
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

/* The keyboard controller's reset line first (what PCs and QEMU honour);
 * should it not act, a triple fault: no IDT, then an exception. */
void machine_reset(void)
{
    outb(KBC_COMMAND_PORT, KBC_PULSE_RESET);
    static const struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) no_idt = {0, 0};
    __asm__ volatile("lidt %0; int3" ::"m"(no_idt));
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

void machine_idle_wait(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}
