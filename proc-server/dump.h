/*
 * Debug text for proc-server's debug protocol (dbg): the process list, the
 * scope tree and the hostname contexts, one object per line under a header.
 *
 * Each function writes into buf as snprintf does: at most size bytes, always
 * NUL-terminated when size > 0, and returns the length the whole text needs
 * (without the NUL), so a caller can tell it was cut and retry larger.
 * The debug protocol is refused to jailed callers before these are reached.
 */
#ifndef PROC_DUMP_H
#define PROC_DUMP_H

#include <stddef.h>

#include "process.h"
#include "scope.h"

/*
 * Processes viewer can see (NULL: all), oldest first: global PID, PPID
 * (global), PIDs from the root scope down to its own ("57/1"), scope
 * ("id" or "id:name"), state, comm and command line.
 */
size_t dump_processes(const proc_table_t *tab, const scope_t *viewer, char *buf, size_t size);

/*
 * The tree under top (NULL: the root), indented by depth: id, name, state,
 * limit, count, the hostname context of its PID 1, PID 1's global PID.
 */
size_t dump_scopes(const proc_table_t *tab, const scope_t *top, char *buf, size_t size);

/* Every hostname context: id, references, hostname, domain name. */
size_t dump_hostnames(const proc_table_t *tab, char *buf, size_t size);

#endif
