/*
 * proc-server's debug listings (protocol/debug.h): processes as a list and
 * as a tree, the scope tree with container IDs, and one process in full;
 * aligned text columns, or JSON when the text was started so.
 *
 * Pure code over the process model: tested on the host. The caller
 * (debug_ops.c) has checked the debug capability before any is reached.
 */
#ifndef PROC_DEBUG_PROC_H
#define PROC_DEBUG_PROC_H

#include "capsule/debug_text.h"
#include "process.h"

void debug_proc_list(const proc_table_t *tab, debug_text_t *t);
void debug_proc_tree(const proc_table_t *tab, debug_text_t *t);
void debug_proc_scopes(const proc_table_t *tab, debug_text_t *t);
/* One process by global PID: -ESRCH when there is none. */
int debug_proc_show(const proc_table_t *tab, int global_pid, debug_text_t *t);

#endif
