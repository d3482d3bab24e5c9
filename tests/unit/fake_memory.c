/*
 * Fake physical RAM for host unit tests. The buffer is an anonymous mapping
 * so large "machines" cost only the pages a test touches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "fake_memory.h"

static uint8_t *ram;
static size_t ram_size;
/* Static, not on panic()'s stack: cmocka keeps the pointer after longjmp. */
static char panic_message[512];

void fake_memory_reset(size_t bytes)
{
    if (ram != NULL)
        munmap(ram, ram_size);
    ram_size = ALIGN_UP(bytes, FRAME_SIZE);
    ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
               -1, 0);
    if (ram == MAP_FAILED) {
        perror("fake_memory_reset: mmap");
        abort();
    }
    panic_message[0] = '\0';
}

void fake_memory_fill(uint8_t byte)
{
    memset(ram, byte, ram_size);
}

size_t fake_memory_size(void)
{
    return ram_size;
}

const char *fake_memory_last_panic(void)
{
    return panic_message;
}

void *phys_to_virt(paddr_t pa)
{
    if (ram == NULL || pa >= ram_size)
        panic("phys_to_virt: %#llx outside fake RAM of %#zx bytes", (unsigned long long)pa,
              ram_size);
    return ram + pa;
}

paddr_t virt_to_phys(const void *va)
{
    const uint8_t *p = va;

    if (ram == NULL || p < ram || p >= ram + ram_size)
        panic("virt_to_phys: %p outside fake RAM", va);
    return (paddr_t)(p - ram);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(panic_message, sizeof(panic_message), fmt, ap);
    va_end(ap);
    fprintf(stderr, "panic: %s\n", panic_message);
    /* Returns by longjmp under expect_assert_failure, else fails the test. */
    mock_assert(0, panic_message, __FILE__, __LINE__);
    abort();
}
