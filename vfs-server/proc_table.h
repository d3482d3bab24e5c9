/*
 * vfs-server's reader of the process-table page proc-server maps into it
 * (protocol/proc_table.h): the facts procfs shows about processes, read
 * without asking proc-server (which vfs-server may never Call).
 */
#ifndef VFS_PROC_TABLE_H
#define VFS_PROC_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol/proc_table.h"

/* Reads the table at base: PROC_TABLE_VADDR in the server, an array in a test. */
void proc_table_init(const volatile void *base);

/* The header's RAM size in bytes (0: unknown, or no table). */
uint64_t proc_table_mem_total(void);

/* A consistent copy of live global PID pid's record; false if there is none. */
bool proc_table_lookup(int pid, proc_record_t *out);

/* The live record with the smallest global PID above after (start with 0);
 * false when there is none. Processes may come and go between calls: each
 * record returned was consistent when read. */
bool proc_table_next(int after, proc_record_t *out);

#endif
