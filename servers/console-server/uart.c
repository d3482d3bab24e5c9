/*
 * The transmitter is polled: Line Status bit 5 says the transmit FIFO
 * is empty, and then 16 bytes fit, so output costs two port accesses per
 * 16 bytes at most. Receiving happens when IRQ 4 says data is ready.
 */
#include "uart.h"

#include <errno.h>

enum {
    REG_DATA = 0, /* receive buffer / transmit holding; divisor low with DLAB */
    REG_IER = 1,  /* interrupt enable; divisor high with DLAB */
    REG_FCR = 2,  /* FIFO control (write) */
    REG_LCR = 3,  /* line control */
    REG_MCR = 4,  /* modem control */
    REG_LSR = 5,  /* line status */
    REG_SCR = 7,  /* scratch: holds a byte, nothing else */
};

#define IER_RX_DATA 0x01
#define FCR_ENABLE_CLEAR 0xc7 /* FIFOs on and cleared, receive trigger at 14 bytes */
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the UART's interrupt line on a PC */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define TX_FIFO_BYTES 16
#define DIVISOR_115200 1

static cptr_t uart_port;
static uint16_t uart_base;

static uint8_t reg_in(unsigned reg)
{
    uint32_t value = 0;
    io_port_in(uart_port, uart_base + reg, 1, &value);
    return (uint8_t)value;
}

static void reg_out(unsigned reg, uint8_t value)
{
    io_port_out(uart_port, uart_base + reg, 1, value);
}

bool uart_present(cptr_t io_port, uint16_t base)
{
    static const uint8_t patterns[] = {0x5a, 0xa5};
    for (size_t i = 0; i < sizeof(patterns); i++) {
        uint32_t back = 0;
        if (io_port_out(io_port, base + REG_SCR, 1, patterns[i]) != KERR_OK ||
            io_port_in(io_port, base + REG_SCR, 1, &back) != KERR_OK || back != patterns[i]) {
            return false;
        }
    }
    return true;
}

int uart_init(cptr_t io_port, uint16_t base)
{
    uart_port = io_port;
    uart_base = base;
    uint32_t probe;
    if (io_port_in(io_port, base + REG_LSR, 1, &probe) != KERR_OK ||
        io_port_in(io_port, base + REG_SCR, 1, &probe) != KERR_OK) {
        return -EIO;
    }
    reg_out(REG_IER, 0);
    reg_out(REG_LCR, LCR_DLAB);
    reg_out(REG_DATA, DIVISOR_115200);
    reg_out(REG_IER, 0);
    reg_out(REG_LCR, LCR_8N1);
    reg_out(REG_FCR, FCR_ENABLE_CLEAR);
    reg_out(REG_MCR, MCR_DTR_RTS_OUT2);
    reg_out(REG_IER, IER_RX_DATA);
    return 0;
}

size_t uart_receive(uint8_t *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap && (reg_in(REG_LSR) & LSR_DATA_READY) != 0) {
        buf[n++] = reg_in(REG_DATA);
    }
    return n;
}

void uart_transmit(const uint8_t *buf, size_t len)
{
    while (len > 0) {
        while ((reg_in(REG_LSR) & LSR_THR_EMPTY) == 0) {
            /* a real line drains 16 bytes in 1.4 ms; QEMU never waits */
        }
        size_t burst = len < TX_FIFO_BYTES ? len : TX_FIFO_BYTES;
        for (size_t i = 0; i < burst; i++) {
            reg_out(REG_DATA, buf[i]);
        }
        buf += burst;
        len -= burst;
    }
}
