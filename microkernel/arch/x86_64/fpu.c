/*
 * Eager FPU/SSE switching with FXSAVE: every thread owns a 512-byte image
 * that is saved and restored at each switch. No XSAVE (qemu64 lacks it).
 * Threads that declare they never use the FPU run with CR0.TS set, so
 * they cannot see the registers left in it; switching to them saves
 * nothing.
 */
#include <stdbool.h>

#include "arch/cpu.h"
#include "arch/machine.h"
#include "kernel/section.h"
#include "kernel/string.h"

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)

#define FXSAVE_FCW 0
#define FXSAVE_MXCSR 24
#define FCW_DEFAULT 0x037f
#define MXCSR_DEFAULT 0x1f80

void fpu_init(void)
{
    write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
}

void fpu_init_state(uint8_t *area)
{
    memset(area, 0, 512);
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(area + FXSAVE_FCW, &fcw, sizeof(fcw));
    memcpy(area + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}

static bool trapping FASTPATH_DATA; /* CR0.TS: the running thread may not use the FPU */

FASTPATH_TEXT void fpu_trap(bool on)
{
    if (on != trapping) {
        uint64_t cr0 = read_cr0();
        write_cr0(on ? cr0 | CR0_TS : cr0 & ~CR0_TS);
        trapping = on;
    }
}

/* fxsave and fxrstor fault while CR0.TS is set, even in the kernel. */
void fpu_save(uint8_t *area)
{
    bool was = trapping;
    fpu_trap(false);
    __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
    fpu_trap(was);
}

void fpu_restore(const uint8_t *area)
{
    bool was = trapping;
    fpu_trap(false);
    __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
    fpu_trap(was);
}
