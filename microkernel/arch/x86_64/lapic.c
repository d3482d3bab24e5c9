/*
 * The local APIC timer, periodic, calibrated against PIT channel 2 (three
 * 50 ms runs, median), which also gives the TSC frequency.
 */
#include "arch/cpu.h"
#include "arch/machine.h"
#include "arch/paging.h"
#include "arch/trap.h"
#include "kernel/log.h"

#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0

#define SVR_ENABLE 0x100
#define LVT_MASKED 0x10000
#define LVT_PERIODIC 0x20000
#define DIVIDE_BY_16 0x3

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define CALIBRATE_MS 50

static volatile uint32_t *lapic;

static uint32_t lapic_read(unsigned reg)
{
    return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
    lapic[reg / 4] = v;
}

typedef struct {
    uint64_t lapic_ticks;
    uint64_t tsc_ticks;
} calibration_t;

/* Runs the LAPIC counter and the TSC across one PIT one-shot interval. */
static calibration_t calibrate_once(void)
{
    uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;
    outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* speaker off, gate on */
    outb(PIT_CMD, 0xb0);                            /* ch2, lo/hi, mode 0 */
    outb(PIT_CH2, count & 0xff);
    outb(PIT_CH2, count >> 8);
    uint8_t gate = inb(PIT_GATE) & ~0x01;
    outb(PIT_GATE, gate); /* restart the count with a rising gate edge */
    outb(PIT_GATE, gate | 0x01);

    lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
    uint64_t tsc0 = rdtsc();
    while ((inb(PIT_GATE) & 0x20) == 0) {
        cpu_relax();
    }
    uint64_t tsc1 = rdtsc();
    uint32_t left = lapic_read(LAPIC_TIMER_CURRENT);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    return (calibration_t){0xffffffffu - left, tsc1 - tsc0};
}

static uint64_t median3(uint64_t a, uint64_t b, uint64_t c)
{
    if ((a <= b && b <= c) || (c <= b && b <= a)) {
        return b;
    }
    if ((b <= a && a <= c) || (c <= a && a <= b)) {
        return a;
    }
    return c;
}

uint64_t lapic_timer_init(unsigned hz)
{
    lapic = paging_map_mmio(rdmsr(MSR_APIC_BASE) & 0xfffff000);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
    lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);

    calibration_t r[3];
    for (int i = 0; i < 3; i++) {
        r[i] = calibrate_once();
    }
    uint64_t lapic_per_interval = median3(r[0].lapic_ticks, r[1].lapic_ticks, r[2].lapic_ticks);
    uint64_t tsc_per_interval = median3(r[0].tsc_ticks, r[1].tsc_ticks, r[2].tsc_ticks);
    uint64_t lapic_hz = lapic_per_interval * (1000 / CALIBRATE_MS);
    uint64_t tsc_hz = tsc_per_interval * (1000 / CALIBRATE_MS);

    lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)(lapic_hz / hz));
    kprintf("timer: LAPIC %lu kHz, TSC %lu MHz, %u Hz tick\n", lapic_hz / 1000, tsc_hz / 1000000,
            hz);
    return tsc_hz;
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}
