/*
 * A process's record in the process-table page (protocol/proc_table.h):
 * what proc-server's model says about it, in the page's format. Pure: no
 * IPC, no clock (the caller gives the exit time).
 */
#ifndef PROC_RECORD_H
#define PROC_RECORD_H

#include <stdint.h>

#include "process.h"
#include "protocol/proc_table.h"

/* Fills out (seq 0) from proc; exit_ns is kept only for a zombie. */
void proc_record_encode(const process_t *proc, uint64_t exit_ns, proc_record_t *out);

/*
 * Publishes proc's record in the table at base (the model's change
 * callback): frees it when gone. now_ns becomes the exit time the first time
 * the process is seen a zombie; later updates keep that time.
 */
void proc_record_update(volatile void *base, const process_t *proc, bool gone, uint64_t now_ns);

#endif
