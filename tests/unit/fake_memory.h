/*
 * Host stand-ins for the kernel's memory environment: a buffer playing
 * physical RAM [0, size), phys_to_virt/virt_to_phys over it, and a panic()
 * that reports through cmocka's mock_assert so tests can use
 * expect_assert_failure() on ASSERT/panic paths.
 */
#ifndef CAPSULE_TESTS_FAKE_MEMORY_H
#define CAPSULE_TESTS_FAKE_MEMORY_H

#include "kernel/memory.h"
#include "kernel/panic.h"
#include "kernel/types.h"

#define FAKE_MEMORY_DEFAULT_SIZE (64ull << 20)

/* Replaces the fake RAM with `bytes` (rounded up to a page) of fresh zeroed
 * memory. Pointers into the previous fake RAM become invalid. */
void fake_memory_reset(size_t bytes);

/* Fills all fake RAM with `byte`, standing for whatever RAM holds at boot. */
void fake_memory_fill(uint8_t byte);

size_t fake_memory_size(void);

/* The message of the last panic(), or "" if none happened since the reset. */
const char *fake_memory_last_panic(void);

#endif
