/*
 * Processes as one process sees them (procfs): only those of its own scope
 * and the scopes below it, by its own scope's numbers — inside a container
 * PID 1 is the container's init and nothing of the host shows. Viewer-
 * relative by design: /proc never shows a process, or a number, the
 * reader could not name itself (kill, wait). Numbers come from the
 * process-table page (protocol/proc_table.h), whose records say the first
 * PROC_RECORD_LEVELS levels of each process's place: a viewer deeper than
 * that sees its own scope's processes but not those of scopes below it.
 *
 * Pure code over records: tested on the host.
 */
#ifndef VFS_PROC_VIEW_H
#define VFS_PROC_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol/proc_table.h"

typedef struct proc_view {
    bool all;       /* the root scope's view: every process, global numbers */
    unsigned level; /* the viewer's scope level */
    uint64_t scope; /* the viewer's scope */
} proc_view_t;

/* The view of the process whose record is viewer; NULL: the root scope's
 * (vfs-server itself, for proc-server's requests). */
proc_view_t proc_view_of(const proc_record_t *viewer);
/* A view that sees nothing (a reader without a record). */
proc_view_t proc_view_none(void);

/* rec's number as v names it; 0 when v cannot see it. */
int proc_view_nr(const proc_view_t *v, const proc_record_t *rec);

/* A consistent record of a live global PID (proc_table_lookup). */
typedef bool (*proc_view_find_fn)(int pid, proc_record_t *out);
/* The next live record above a global PID (proc_table_next). */
typedef bool (*proc_view_next_fn)(int after, proc_record_t *out);

/* The record of the process v calls nr (*out, its pid field still the
 * global PID); false when v sees none by that number. */
bool proc_view_find(const proc_view_t *v, int nr, proc_view_find_fn find, proc_view_next_fn next,
                    proc_record_t *out);

/*
 * rec as v shows it: pid, ppid, pgrp and sid in v's numbers (through find
 * for the parent and the leaders), 0 for any v cannot see — a parent
 * outside a container's scope is 0, as Linux shows it. A group or session
 * whose leader is gone is named by the number the process's own scope
 * gives it, when v is that scope (or the root's global number).
 */
void proc_view_translate(const proc_view_t *v, const proc_record_t *rec, proc_view_find_fn find,
                         proc_record_t *out);

#endif
