/*
 * The 16550 UART on COM1, driven through an IOPort capability for ports
 * 0x3f8-0x3ff: receive interrupts on (IRQ 4), transmit by polling.
 */
#ifndef CONSOLE_UART_H
#define CONSOLE_UART_H

#include <stddef.h>
#include <stdint.h>

#include "capsule/server.h"

#define UART_COM1 0x3f8
#define UART_COM1_LAST 0x3ff

/* Programs 115200 8N1 with FIFOs and the received-data interrupt.
 * Returns 0 or -EIO when the IOPort capability does not cover COM1. */
int uart_init(cptr_t io_port);

/* Takes the bytes the UART holds, up to `cap`; returns how many. */
size_t uart_receive(uint8_t *buf, size_t cap);

/* Sends every byte, waiting for room in the transmit FIFO. */
void uart_transmit(const uint8_t *buf, size_t len);

#endif
