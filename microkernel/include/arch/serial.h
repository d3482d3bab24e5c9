/* The kernel's own COM1 output: early boot, the log and panics (polling). */
#ifndef CAPSULE_ARCH_SERIAL_H
#define CAPSULE_ARCH_SERIAL_H

void serial_init(void);
void serial_putc(char c);

#endif
