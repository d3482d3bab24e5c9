/*
 * What proc-server does with a signal, decided from the target's signal
 * page alone (protocol/signal_page.h): pure functions, no IPC, so the rules
 * are unit-tested on the host. signals.c carries the decisions out.
 */
#ifndef PROC_SERVER_SIGNAL_RULES_H
#define PROC_SERVER_SIGNAL_RULES_H

#include <stdbool.h>

#include "protocol/signal_page.h"

typedef enum {
    SIGNAL_DROP,         /* ignored (SIG_IGN): nothing happens */
    SIGNAL_ACT_DEFAULT,  /* proc-server carries out signal(7)'s default action */
    SIGNAL_MAKE_PENDING, /* blocked: pending until the runtime unblocks or waits for it */
    SIGNAL_DELIVER,      /* a handler and not blocked: pending, and the thread interrupted */
} signal_route_t;

/*
 * The route of `sig` (1..64) to a process whose signal page is `page`
 * (NULL: it has none, as while it is torn down). SIGKILL and SIGSTOP always
 * take the default action. A blocked signal is never ignored, since its
 * disposition may change before it is unblocked (as Linux).
 */
signal_route_t signal_route(const signal_page_t *page, int sig);

/* Whether the page names a handler (not SIG_DFL or SIG_IGN) for sig. */
bool signal_has_handler(const signal_page_t *page, int sig);

/* What kill_verdict calls "handles" for a scope's PID 1: a handler, or the
 * signal blocked (Linux queues a blocked signal even for init, which may
 * take it with sigtimedwait or install a handler before unblocking it). */
bool signal_handles(const signal_page_t *page, int sig);

/* Whether a child of the page's process is reaped as it exits: SIGCHLD set
 * to SIG_IGN, or SA_NOCLDWAIT. */
bool signal_parent_autoreaps(const signal_page_t *page);

/* Whether the parent is sent SIGCHLD when a child stops or continues (no
 * SA_NOCLDSTOP); exits always send it unless SIGCHLD is SIG_IGN. */
bool signal_chld_on_stop(const signal_page_t *page);
bool signal_chld_on_exit(const signal_page_t *page);

/*
 * Records sig as pending with its info. Standard signals do not queue: if
 * sig is already pending nothing changes and false is returned. The info
 * is written before the bit (the runtime reads it once the bit is set).
 */
bool signal_mark_pending(signal_page_t *page, int sig, const signal_info_t *info);

/* A fresh process's page: every signal SIG_DFL, nothing blocked or pending. */
void signal_page_init(signal_page_t *page);

/* fork: the child gets the parent's dispositions and mask, nothing pending. */
void signal_page_for_fork(signal_page_t *child, const signal_page_t *parent);

/* exec: handlers go back to SIG_DFL (flags, mask and restorer cleared),
 * ignored signals stay ignored, the mask and the pending set are kept. */
void signal_page_for_exec(signal_page_t *page, const signal_page_t *old);

#endif
