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

/* Output never waits on the console; a pseudo-terminal end waits for
 * room in the master's buffer: a slave's output goes there, and a master's
 * bytes are taken only while their echo fits. A master read that makes
 * room signals (console_output_room). */
static bool output_ready(const terminal_t *t)
{
    return t->pty == NULL || pty_writable(t->pty, t->is_master);
}

/* CONSOLE_READINESS: MR0 = events asked, MR1 = terminal. */
int64_t console_do_readiness(console_t *c, const console_request_t *req)
{
    if (req->badge != CONSOLE_BADGE_FORWARDER) {
        return -EPERM;
    }
    if (req->length < 1 || (req->mr[0] & ~(uint64_t)READY_EVENTS) != 0) {
        return -EINVAL;
    }
    terminal_t t;
    int err = console_terminal(c, req, 1, &t);
    if (err != 0) {
        return err;
    }
    uint64_t ready = 0;
    if (req->mr[0] & CONSOLE_READY_OUT) {
        if (output_ready(&t)) {
            ready |= CONSOLE_READY_OUT;
        } else {
            c->pty_out_armed[t.word & CONSOLE_TERMINAL_SLOT_MASK] = true;
        }
    }
    if (req->mr[0] & CONSOLE_READY_IN) {
        if (terminal_read_ready(&t, 1)) {
            ready |= CONSOLE_READY_IN;
        } else {
            *t.armed = true;
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

void console_input_ready(console_t *c, const terminal_t *t)
{
    if (*t->armed && c->subscriber != CAP_NULL && terminal_read_ready(t, 1)) {
        *t->armed = false;
        sys_signal(c->subscriber);
    }
}

void console_output_room(console_t *c, const terminal_t *t)
{
    uint64_t slot = t->word & CONSOLE_TERMINAL_SLOT_MASK;
    if (t->pty != NULL && c->pty_out_armed[slot] && c->subscriber != CAP_NULL &&
        (pty_writable(t->pty, true) || pty_writable(t->pty, false))) {
        c->pty_out_armed[slot] = false;
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
