/*
 * The legacy 8259 PICs. SeaBIOS leaves them at vector 8 with the PIT
 * running, which would alias the exception vectors: remap, then mask all.
 * User-mode drivers own lines through IRQHandler capabilities; the PICs
 * reach the CPU through the local APIC's virtual-wire LINT0.
 */
#include "arch/cpu.h"
#include "arch/machine.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

void pic_disable(void)
{
    outb(PIC1_CMD, 0x11); /* ICW1: init, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 0x20); /* ICW2: vectors 0x20..0x27 */
    outb(PIC2_DATA, 0x28); /* and 0x28..0x2f */
    outb(PIC1_DATA, 0x04); /* ICW3: slave on IRQ2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xff); /* mask every line but the cascade */
    outb(PIC2_DATA, 0xff);
    pic_mask(PIC_CASCADE_IRQ, false);
}

void pic_mask(unsigned irq, bool masked)
{
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
    uint8_t bit = (uint8_t)(1u << (irq % 8));
    uint8_t v = inb(port);
    outb(port, masked ? (uint8_t)(v | bit) : (uint8_t)(v & ~bit));
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8) {
        outb(PIC2_CMD, 0x20);
    }
    outb(PIC1_CMD, 0x20);
}

uint32_t port_read(uint16_t port, unsigned width)
{
    switch (width) {
    case 1:
        return inb(port);
    case 2:
        return inw(port);
    default:
        return inl(port);
    }
}

void port_write(uint16_t port, unsigned width, uint32_t value)
{
    switch (width) {
    case 1:
        outb(port, (uint8_t)value);
        break;
    case 2:
        outw(port, (uint16_t)value);
        break;
    default:
        outl(port, value);
        break;
    }
}
