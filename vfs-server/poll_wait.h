/*
 * VFS_POLL: poll(2) for a process's descriptors. With nothing ready and
 * VFS_POLL_WAIT, the caller waits (its reply capability kept) and every
 * change of a pipe makes the waiting polls look again. The timeout is the
 * caller's own (its Call's IPC timeout): a poll that timed out is gone and
 * its late answer fails, so it is simply dropped.
 */
#ifndef VFS_POLL_WAIT_H
#define VFS_POLL_WAIT_H

#include "client.h"
#include "request.h"

#define POLL_WAITERS 32 /* polls waiting at once (-ENOMEM past) */

int64_t poll_request(client_t *c, const request_t *req);

/* Some file's readiness may have changed: waiting polls look again. */
void poll_recheck(void);

#endif
