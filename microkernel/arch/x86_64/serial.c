/*
 * COM1 (16550) output by polling. The kernel writes to it during boot, for
 * its log and for panics; interrupts stay off on the UART.
 */
#include "arch/cpu.h"
#include "arch/serial.h"

#define COM1 0x3f8
#define LSR_THR_EMPTY 0x20

void serial_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* DLAB on */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1, DLAB off */
    outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
    outb(COM1 + 4, 0x03); /* DTR, RTS */
}

void serial_putc(char c)
{
    if (c == '\n') {
        serial_putc('\r');
    }
    while ((inb(COM1 + 5) & LSR_THR_EMPTY) == 0) {
        cpu_relax();
    }
    outb(COM1, (uint8_t)c);
}
