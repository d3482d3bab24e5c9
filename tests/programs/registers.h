/*
 * Registers across system calls: Linux keeps every register but rax (the
 * result), rcx and r11 (the syscall instruction's own), general-purpose and
 * SSE alike, also when a signal handler runs on the way back.
 */
#ifndef TESTS_REGISTERS_H
#define TESTS_REGISTERS_H

/* NULL when every register survived every call tried; else which call and
 * register did not (a static string). */
const char *registers_check_all(void);

#endif
