/*
 * Which -ENOSYS answers the runtime reports: none unless the kernel command
 * line holds the word ENOSYS_LOG_WORD, and then each system call number
 * once per process (a fork child starts afresh). Pure, unit-tested on the
 * host. Shared by both runtimes: the POSIX runtime filters its reports
 * (libc/posix/enosys_log.c) and proc-server, which prints them at a limited
 * rate, reads the same word (proc-server/enosys_log.c).
 */
#ifndef CAPSULE_POSIX_ENOSYS_FILTER_H
#define CAPSULE_POSIX_ENOSYS_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENOSYS_LOG_WORD "posix.log_enosys"
/* Numbers below this are remembered one by one; all above share one mark
 * (Linux's x86_64 numbers end below 512; larger ones are noise). */
#define ENOSYS_FILTER_NUMBERS 1024

typedef struct {
    uint64_t seen[ENOSYS_FILTER_NUMBERS / 64];
    bool seen_beyond;
} enosys_filter_t;

/* Whether `word` is one of the space-separated words of the first `max`
 * bytes of `cmdline` (which may end earlier with a NUL). */
bool enosys_cmdline_has_word(const char *cmdline, size_t max, const char *word);

/* Whether `nr` is reported now: true the first time only. */
bool enosys_filter_first(enosys_filter_t *filter, uint64_t nr);

#endif
