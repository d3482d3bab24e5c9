/* Power and idle. */
#include "arch/cpu.h"
#include "arch/machine.h"

#define ISA_DEBUG_EXIT_PORT 0xf4
#define ACPI_PM1A_CNT 0x604
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

void machine_idle_wait(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}
