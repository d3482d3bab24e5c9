/*
 * Days since the Unix epoch from a calendar date, counting in 400-year eras
 * that start on 1 March so the leap day falls at the end of each year.
 */
#include "kernel/civil_time.h"

int64_t civil_days_since_epoch(int64_t year, unsigned month, unsigned day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t year_of_era = year - era * 400;
    int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}
