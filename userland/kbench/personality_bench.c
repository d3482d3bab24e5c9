/*
 * The personality entry: a Linux-numbered `syscall` that the kernel turns
 * around to a user-space entry, which returns straight to the program the
 * way the posix runtime will (flags from r11, jump to rcx).
 */
#include "personality_bench.h"

#include <stddef.h>

#include "capsule/kernel.h"
#include "measure.h"
#include "uapi/bootinfo.h"

#define ITERATIONS 2000
#define LINUX_GETPPID 110

/* The whole "runtime": restore the flags and return past the syscall. */
__asm__(".text\n"
        ".global personality_stub, personality_stub_end\n"
        "personality_stub:\n"
        "    pushq %r11\n"
        "    popfq\n"
        "    jmpq *%rcx\n"
        "personality_stub_end:\n");

extern char personality_stub[], personality_stub_end[];

static kerr_t set_personality(uint64_t entry, uint64_t lo, uint64_t hi)
{
    uint64_t args[] = {entry, entry, lo, hi};
    return kernel_invoke(CAP_INIT_TCB, INV_TCB_SET_PERSONALITY, args, 4, NULL, 0);
}

static void linux_syscall(uint64_t number)
{
    __asm__ volatile("syscall" : "+a"(number) : : "rcx", "r11", "memory");
}

void personality_benchmark(void)
{
    uint64_t entry = (uint64_t)personality_stub;
    set_personality(entry, entry, (uint64_t)personality_stub_end);
    measurement_t m = {"personality_roundtrip", ITERATIONS, {0}};
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = tsc_now();
        for (int i = 0; i < ITERATIONS; i++) {
            linux_syscall(LINUX_GETPPID);
        }
        m.per_iteration[b] = (tsc_now() - t0) / ITERATIONS;
    }
    set_personality(0, 0, 0);
    measurement_report(&m);
}
