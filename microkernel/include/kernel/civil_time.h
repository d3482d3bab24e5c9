/* Calendar arithmetic for the wall clock (proleptic Gregorian, UTC). */
#ifndef CAPSULE_KERNEL_CIVIL_TIME_H
#define CAPSULE_KERNEL_CIVIL_TIME_H

#include <stdint.h>

/* Days from 1970-01-01 to year-month-day (month 1..12, day 1..31). */
int64_t civil_days_since_epoch(int64_t year, unsigned month, unsigned day);

#endif
