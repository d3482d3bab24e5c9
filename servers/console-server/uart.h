/*
 * A 16550 UART, driven through an IOPort capability for its eight ports:
 * receive interrupts on, transmit by polling. console-server drives COM1
 * (0x3f8, IRQ 4), the debug console COM2 (0x2f8, IRQ 3).
 */
#ifndef CONSOLE_UART_H
#define CONSOLE_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsule/server.h"

#define UART_COM1 0x3f8
#define UART_COM1_LAST 0x3ff
#define UART_COM2 0x2f8
#define UART_COM2_LAST 0x2ff

/*
 * Whether a UART answers at base: its scratch register keeps what is
 * written to it. A port with nothing behind it reads 0xff whatever was
 * written, so an absent UART is found without waiting on it.
 */
bool uart_present(cptr_t io_port, uint16_t base);

/* Programs the UART at base for 115200 8N1 with FIFOs and the
 * received-data interrupt. Returns 0 or -EIO when the IOPort capability
 * does not cover its ports. */
int uart_init(cptr_t io_port, uint16_t base);

/* Takes the bytes the UART holds, up to `cap`; returns how many. */
size_t uart_receive(uint8_t *buf, size_t cap);

/* Sends every byte, waiting for room in the transmit FIFO. */
void uart_transmit(const uint8_t *buf, size_t len);

#endif
