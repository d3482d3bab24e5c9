/* Once per number: the -ENOSYS reports a process makes (enosys_filter.h). */
#include "capsule/enosys_filter.h"

bool enosys_cmdline_has_word(const char *cmdline, size_t max, const char *word)
{
    size_t wlen = 0;
    while (word[wlen] != '\0') {
        wlen++;
    }
    size_t i = 0;
    while (i < max && cmdline[i] != '\0') {
        size_t start = i;
        while (i < max && cmdline[i] != '\0' && cmdline[i] != ' ') {
            i++;
        }
        if (i - start == wlen) {
            size_t k = 0;
            while (k < wlen && cmdline[start + k] == word[k]) {
                k++;
            }
            if (k == wlen) {
                return true;
            }
        }
        while (i < max && cmdline[i] == ' ') {
            i++;
        }
    }
    return false;
}

bool enosys_filter_first(enosys_filter_t *filter, uint64_t nr)
{
    if (nr >= ENOSYS_FILTER_NUMBERS) {
        bool first = !filter->seen_beyond;
        filter->seen_beyond = true;
        return first;
    }
    uint64_t bit = 1ull << (nr % 64);
    bool first = (filter->seen[nr / 64] & bit) == 0;
    filter->seen[nr / 64] |= bit;
    return first;
}
