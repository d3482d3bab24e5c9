/* Reading records of the process-table page, each one consistent (seqlock). */
#include "proc_table.h"

#include <stddef.h>

/* proc-server outranks vfs-server, so a write never stays half-done while we
 * spin; the bound only keeps a broken writer from hanging vfs-server. */
#define SNAPSHOT_TRIES 1000

static const volatile void *table_base;

void proc_table_init(const volatile void *base)
{
    table_base = base;
}

bool proc_table_lookup(int pid, proc_record_t *out)
{
    if (table_base == NULL) {
        return false;
    }
    const volatile proc_record_t *slot = proc_table_slot((volatile void *)table_base, pid);
    return slot != NULL && proc_record_snapshot(slot, out, SNAPSHOT_TRIES) && out->pid == pid;
}

bool proc_table_next(int after, proc_record_t *out)
{
    if (table_base == NULL || after < 0) {
        return false;
    }
    const volatile proc_record_t *records = table_base;
    for (int pid = after + 1; pid < PROC_TABLE_SLOTS; pid++) {
        /* A cheap look first: almost every record of the table is free. */
        if (records[pid].pid == 0 && (records[pid].seq & 1) == 0) {
            continue;
        }
        if (proc_table_lookup(pid, out)) {
            return true;
        }
    }
    return false;
}

uint64_t proc_table_mem_total(void)
{
    if (table_base == NULL) {
        return 0;
    }
    /* written once, before vfs-server started: no lock needed */
    return ((const volatile proc_table_header_t *)table_base)->mem_total;
}
