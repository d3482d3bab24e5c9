#include "tty_signals.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>

#include "lifecycle.h"
#include "protocol/tty_signal.h"
#include "signals.h"
#include "wake.h"
#include "uapi/objects.h"

static volatile tty_signal_ring_t *const ring = (volatile tty_signal_ring_t *)TTY_SIGNAL_RING_VADDR;
static cptr_t ring_frame = CAP_NULL;
static uint32_t lost_reported;

int tty_signals_create(void)
{
    ring_frame = slot_alloc();
    if (ring_frame == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t err = pool_create(CAP_INIT_POOL, OBJ_FRAME, 0, CAP_INIT_CNODE, ring_frame);
    if (err == KERR_OK) {
        err = vspace_map(CAP_INIT_VSPACE, ring_frame, TTY_SIGNAL_RING_VADDR, MAP_READ | MAP_WRITE);
    }
    if (err != KERR_OK) {
        ring_frame = CAP_NULL; /* the drain then has no ring to read */
    }
    return err == KERR_OK ? 0 : errno_from_kerr(err);
}

cptr_t tty_signals_signal_cap(void)
{
    return wake_signal_cap(); /* the main thread's notification (wake.h) */
}

int tty_signals_share(task_t *t)
{
    return task_map_shared(t, ring_frame, TTY_SIGNAL_RING_VADDR, MAP_READ | MAP_WRITE);
}

/* The signals a terminal generates; anything else in the ring is refused. */
static bool terminal_signal(int sig)
{
    switch (sig) {
    case SIGINT:
    case SIGQUIT:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
    case SIGHUP:
    case SIGCONT:
    case SIGWINCH:
        return true;
    default:
        return false;
    }
}

/* The group is named by its global PID: each live member gets the signal
 * from proc-server itself. */
static void signal_group(int pgrp, int sig)
{
    const proc_table_t *tab = lifecycle_table();
    const pid_entry_t *group = pid_entry_find(&tab->pids, tab->root_scope, pgrp);
    if (group == NULL) {
        return; /* the group ended before its signal came */
    }
    proc_pid_list_t members = {0};
    const list_node_t *pos;
    list_for_each(pos, &tab->procs)
    {
        const process_t *proc = list_entry(pos, process_t, link);
        if (proc->pgrp == group && proc->state != PROC_ZOMBIE &&
            proc_pid_list_add(&members, proc_global_pid(proc)) < 0) {
            break; /* out of memory: those found so far get it */
        }
    }
    for (size_t i = 0; i < members.count; i++) {
        process_t *t = proc_find_global(tab, members.pids[i]);
        if (t != NULL && t->state != PROC_ZOMBIE) {
            signals_send(NULL, t, sig);
        }
    }
    proc_pid_list_free(&members);
}

void tty_signals_drain(void)
{
    tty_signal_entry_t s;
    if (ring_frame == CAP_NULL) {
        return; /* no console-server: the notification was the watcher's */
    }
    while (tty_signal_pop(ring, &s)) {
        if (!terminal_signal(s.signal) || s.pgrp <= 0) {
            fprintf(stderr, "proc-server: terminal signal %d for group %d refused\n", s.signal,
                    s.pgrp);
            continue;
        }
        signal_group(s.pgrp, s.signal);
    }
    uint32_t lost = ring->lost;
    if (lost != lost_reported) {
        fprintf(stderr, "proc-server: %u terminal signals lost (ring full)\n",
                lost - lost_reported);
        lost_reported = lost;
    }
}
