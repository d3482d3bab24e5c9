/* The CMOS real-time clock, read once at boot for the wall-clock time. */
#include "arch/cpu.h"
#include "arch/machine.h"
#include "kernel/civil_time.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_UPDATING 0x80
#define CMOS_STATUS_B_BINARY 0x04
#define CMOS_STATUS_B_24H 0x02

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static unsigned from_bcd(uint8_t v, bool binary)
{
    return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

uint64_t rtc_read_epoch_seconds(void)
{
    while (cmos_read(0x0a) & CMOS_UPDATING) {
        cpu_relax();
    }
    uint8_t status_b = cmos_read(0x0b);
    bool binary = status_b & CMOS_STATUS_B_BINARY;
    unsigned sec = from_bcd(cmos_read(0x00), binary);
    unsigned min = from_bcd(cmos_read(0x02), binary);
    uint8_t hour_raw = cmos_read(0x04);
    unsigned hour = from_bcd(hour_raw & 0x7f, binary);
    if (!(status_b & CMOS_STATUS_B_24H) && (hour_raw & 0x80)) {
        hour = (hour % 12) + 12; /* 12-hour clock, PM */
    }
    unsigned day = from_bcd(cmos_read(0x07), binary);
    unsigned month = from_bcd(cmos_read(0x08), binary);
    unsigned year = 2000 + from_bcd(cmos_read(0x09), binary);
    return (uint64_t)civil_days_since_epoch(year, month, day) * 86400 + hour * 3600 + min * 60 +
           sec;
}
