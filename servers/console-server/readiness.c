/*
 * Readiness, for the poll and select of the processes whose console
 * vfs-server serves: vfs-server asks which events are ready now, and when
 * input it asked for is not, console-server signals vfs-server's
 * notification once it is. What flows leftwards goes by notification: a
 * Signal never blocks, and console-server never Calls vfs-server.
 */
#include <errno.h>

#include "console.h"
#include "uapi/objects.h"

#define READY_EVENTS (CONSOLE_READY_IN | CONSOLE_READY_OUT)

int64_t console_do_readiness(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    if (req->length < 1 || (req->mr[0] & ~(uint64_t)READY_EVENTS) != 0) {
        return -EINVAL;
    }
    uint64_t ready = req->mr[0] & CONSOLE_READY_OUT; /* output never waits */
    if (req->mr[0] & CONSOLE_READY_IN) {
        if (ldisc_read_ready(&c->tty.ld, 1, false)) {
            ready |= CONSOLE_READY_IN;
        } else {
            c->input_armed = true;
        }
    }
    return (int64_t)ready;
}

int64_t console_do_subscribe(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    uint64_t type = 0, rights = 0, badge = 0;
    if (req->caps != 1 ||
        cnode_identify(CAP_INIT_CNODE, req->landing, &type, &rights, &badge) != KERR_OK ||
        type != OBJ_NOTIFICATION || !(rights & RIGHT_WRITE)) {
        return -EINVAL;
    }
    if (c->subscriber == CAP_NULL && (c->subscriber = slot_alloc()) == CAP_NULL) {
        return -ENOMEM;
    }
    cnode_delete(CAP_INIT_CNODE, c->subscriber);
    return cnode_move(CAP_INIT_CNODE, c->subscriber, CAP_INIT_CNODE, req->landing) == KERR_OK
               ? 0
               : -ENOMEM;
}

void console_input_ready(console_t *c)
{
    if (c->input_armed && c->subscriber != CAP_NULL && ldisc_read_ready(&c->tty.ld, 1, false)) {
        c->input_armed = false;
        sys_signal(c->subscriber);
    }
}

int64_t console_do_session(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM; /* a process asks through /dev/tty, not here */
    }
    return c->tty.session;
}
