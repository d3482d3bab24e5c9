/*
 * dbg's command table: the words a user types and the debug request each
 * becomes (protocol/debug.h). Pure: no system calls.
 */
#ifndef DBG_COMMANDS_H
#define DBG_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint64_t label;
    uint64_t arg;
    bool json;
} dbg_query_t;

/*
 * Parses argc words (without "dbg"): 0 with *out; -1 with *why a one-line
 * reason for words that name no command or lack its argument. "--json"
 * may stand anywhere.
 */
int dbg_parse(int argc, char **argv, dbg_query_t *out, const char **why);

/* The help text. */
extern const char dbg_help[];

#endif
