/*
 * A process's signal page and signal notification as kernel objects: both
 * live in the process's pool (they go with its image), the process holds
 * them at CAP_SIGNAL_PAGE and CAP_SIGNAL_NOTIFY, and proc-server keeps its
 * own capabilities and a mapping of the page at an address named by the
 * global PID, so it can read and write any process's page at once.
 */
#ifndef PROC_SERVER_SIGNAL_MAP_H
#define PROC_SERVER_SIGNAL_MAP_H

#include "protocol/signal_page.h"
#include "task.h"

typedef struct {
    cptr_t frame;        /* proc-server's capability to the page, or CAP_NULL */
    cptr_t notify;       /* proc-server's capability to the notification */
    signal_page_t *view; /* proc-server's mapping of the page; NULL until attached */
} signal_map_t;

/* Creates the page (a copy of `initial`) and the notification in task `t`,
 * mapped and given to it. Not yet visible to proc-server: see attach. On an
 * error nothing is left in proc-server's CSpace (the task's pool owns the
 * objects). */
int signal_map_create(task_t *t, const signal_page_t *initial, signal_map_t *out);

/* Maps the page at proc-server's view for `global_pid` (the one a process
 * keeps for its life, across exec). */
int signal_map_attach(signal_map_t *m, int global_pid);

/* Unmaps proc-server's view and drops its capabilities. Call before the
 * task's pool is destroyed. */
void signal_map_release(signal_map_t *m);

#endif
