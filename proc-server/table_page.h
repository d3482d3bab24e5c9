/*
 * The process-table page (protocol/proc_table.h): its frames, mapped
 * read-write into proc-server and read-only into vfs-server, and the change
 * callback of the process model that keeps every record current.
 */
#ifndef PROC_SERVER_TABLE_PAGE_H
#define PROC_SERVER_TABLE_PAGE_H

#include "process.h"
#include "task.h"

/* Creates the zeroed frames (every record free) and maps them into
 * proc-server at PROC_TABLE_VADDR; writes the header (the RAM the kernel
 * found). 0 or -errno. */
int table_page_create(void);

/* Maps the table read-only into task t at PROC_TABLE_VADDR. */
int table_page_share(task_t *t);

/* From now on every change tab reports is written to the page. */
void table_page_attach(proc_table_t *tab);

#endif
