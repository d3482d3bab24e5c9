/*
 * A token bucket for log lines a process can cause: a burst of
 * LOG_LIMIT_BURST lines, then one per LOG_LIMIT_PERIOD_NS; lines over the
 * limit are counted and the count is reported with the next line let
 * through. Pure (the caller passes the time), unit-tested on the host.
 */
#ifndef PROC_LOG_LIMIT_H
#define PROC_LOG_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define LOG_LIMIT_BURST 20
#define LOG_LIMIT_PERIOD_NS 100000000ull /* 10 lines a second after the burst */

typedef struct {
    uint64_t tokens;
    uint64_t last_ns;    /* when tokens were last refilled */
    uint64_t suppressed; /* lines dropped since the last one let through */
    bool started;
} log_limit_t;

/* Whether a line may be printed at `now_ns`; if so, *dropped is the number
 * of lines suppressed before it (then reset). */
bool log_limit_take(log_limit_t *limit, uint64_t now_ns, uint64_t *dropped);

#endif
