#include "poll_wait.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "capsule/slots.h"
#include "readiness.h"

typedef struct {
    int pid;
    cptr_t reply; /* CAP_NULL: a free entry */
    uint64_t nfds;
    struct pollfd *fds;
} poll_waiter_t;

static poll_waiter_t waiters[POLL_WAITERS];

/* Fills in revents as Linux does; the count of entries with any. */
static int64_t evaluate(const client_t *c, struct pollfd *fds, uint64_t nfds)
{
    int64_t ready = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        struct pollfd *p = &fds[i];
        const file_t *f = fd_get(&c->fds, p->fd);
        if (p->fd < 0) {
            p->revents = 0; /* ignored, as poll(2) says */
        } else if (f == NULL) {
            p->revents = POLLNVAL;
        } else {
            p->revents = file_poll(f) & (p->events | POLLERR | POLLHUP);
        }
        ready += p->revents != 0;
    }
    return ready;
}

static void forget(poll_waiter_t *w)
{
    cnode_delete(CAP_INIT_CNODE, w->reply); /* empty already after a Send */
    slot_free(w->reply);
    free(w->fds);
    *w = (poll_waiter_t){0};
}

static bool gone(kerr_t err)
{
    return err == KERR_NO_CALLER || err == KERR_INVALID_CAP;
}

/* Entries whose caller is gone (timed out, cancelled, killed) come free. */
static void prune(void)
{
    for (unsigned i = 0; i < POLL_WAITERS; i++) {
        uint64_t done;
        if (waiters[i].reply != CAP_NULL &&
            gone(reply_copy_to(waiters[i].reply, 0, 0, NULL, 0, &done))) {
            forget(&waiters[i]);
        }
    }
}

static poll_waiter_t *free_waiter(void)
{
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < POLL_WAITERS; i++) {
            if (waiters[i].reply == CAP_NULL) {
                return &waiters[i];
            }
        }
        prune();
    }
    return NULL;
}

static int64_t defer(client_t *c, struct pollfd *fds, uint64_t nfds)
{
    poll_waiter_t *w = free_waiter();
    cptr_t reply = w != NULL ? request_save_caller() : CAP_NULL;
    if (reply == CAP_NULL) {
        free(fds);
        return -ENOMEM;
    }
    *w = (poll_waiter_t){c->pid, reply, nfds, fds};
    return REQUEST_DEFERRED;
}

int64_t poll_request(client_t *c, const request_t *req)
{
    uint64_t nfds;
    bool wait;
    int err = vfs_poll_args(req, &nfds, &wait);
    if (err != 0) {
        return err;
    }
    size_t size = nfds * sizeof(struct pollfd);
    struct pollfd *fds = malloc(size > 0 ? size : 1);
    if (fds == NULL) {
        return -ENOMEM;
    }
    int64_t ready = request_copy_in(0, 0, fds, size);
    if (ready == 0) {
        ready = evaluate(c, fds, nfds);
        /* revents now, so a poll that times out reads none */
        ready = request_copy_out(0, 0, fds, size) != 0 ? -EFAULT : ready;
    }
    if (ready != 0 || !wait) {
        free(fds);
        return ready;
    }
    return defer(c, fds, nfds);
}

static void answer(poll_waiter_t *w, int64_t result)
{
    sys_send(w->reply, msginfo_make(0, 1), (uint64_t)result, 0);
    forget(w);
}

void poll_recheck(void)
{
    for (unsigned i = 0; i < POLL_WAITERS; i++) {
        poll_waiter_t *w = &waiters[i];
        if (w->reply == CAP_NULL) {
            continue;
        }
        const client_t *c = client_find(w->pid);
        if (c == NULL) {
            forget(w); /* the process ended */
            continue;
        }
        int64_t ready = evaluate(c, w->fds, w->nfds);
        if (ready == 0) {
            continue;
        }
        uint64_t done;
        kerr_t err = reply_copy_to(w->reply, 0, 0, w->fds, w->nfds * sizeof(struct pollfd), &done);
        if (gone(err)) {
            forget(w);
        } else {
            answer(w, err == KERR_OK ? ready : -EFAULT);
        }
    }
}
