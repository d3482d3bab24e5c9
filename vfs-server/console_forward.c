#include "console_forward.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "capsule/slots.h"
#include "poll_wait.h"
#include "proc_table.h"
#include "proc_view.h"
#include "protocol/console.h"
#include "uapi/objects.h"

#define CONSOLE CAP_SERVER_ARG1

static bool have_console;

/* A notification bound to vfs-server's thread: console-server signals it
 * when input it was asked about becomes ready, and the serve loop's Recv
 * then returns MSG_LABEL_NOTIFICATION. Made once; each console-server
 * instance gets a copy. */
static cptr_t note = CAP_NULL, copy = CAP_NULL;

static int subscribe(void)
{
    kerr_t err = KERR_OK;
    if (note == CAP_NULL) {
        note = slot_alloc();
        copy = slot_alloc();
        err = note != CAP_NULL && copy != CAP_NULL
                  ? pool_create(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, CAP_INIT_CNODE, note)
                  : KERR_NO_MEMORY;
        if (err == KERR_OK) {
            err = tcb_bind_notification(CAP_INIT_TCB, note);
        }
    }
    if (err == KERR_OK) {
        cnode_delete(CAP_INIT_CNODE, copy); /* what an earlier transfer left, if anything */
        err = cnode_copy(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, note, RIGHT_WRITE);
    }
    if (err != KERR_OK) {
        return -ENOMEM;
    }
    ipc_buffer->caps[0] = copy;
    sys_result_t r =
        sys_call(CONSOLE, msginfo_with(msginfo_make(CONSOLE_SUBSCRIBE, 0), 1, 0), 0, 0, 0, 0);
    return r.err == KERR_OK ? (int)(int64_t)r.mr[0] : -EIO;
}

int console_forward_init(void)
{
    uint64_t type = 0, rights = 0, badge = 0;
    if (cnode_identify(CAP_INIT_CNODE, CONSOLE, &type, &rights, &badge) != KERR_OK ||
        type != OBJ_ENDPOINT) {
        return 0; /* no console-server: the console is the kernel log */
    }
    have_console = true;
    /* a restarted vfs-server: the pairs the old instance's descriptions
     * held are freed (none at boot) */
    sys_result_t r = sys_call(CONSOLE, msginfo_make(CONSOLE_PAIRS_RESET, 0), 0, 0, 0, 0);
    if (r.err == KERR_OK && (int64_t)r.mr[0] > 0) {
        fprintf(stderr, "vfs-server: %lld pseudo-terminal pairs of the previous instance freed\n",
                (long long)r.mr[0]);
    }
    return subscribe();
}

int console_forward_restarted(void)
{
    if (!have_console) {
        return -ENODEV;
    }
    file_tty_epoch_advance();
    int err = subscribe();
    poll_recheck(); /* polls on the old terminals end with POLLERR | POLLHUP */
    return err;
}

short console_forward_poll(const file_t *f, short events)
{
    if (file_tty_stale(f)) {
        return POLLERR | POLLHUP;
    }
    uint64_t asked =
        ((events & POLLIN) ? CONSOLE_READY_IN : 0) | ((events & POLLOUT) ? CONSOLE_READY_OUT : 0);
    sys_result_t r =
        sys_call(CONSOLE, msginfo_make(CONSOLE_READINESS, 2), asked, f->dev->terminal, 0, 0);
    if (r.err != KERR_OK || (int64_t)r.mr[0] < 0) {
        return POLLERR;
    }
    return (short)(((r.mr[0] & CONSOLE_READY_IN) ? POLLIN : 0) |
                   ((r.mr[0] & CONSOLE_READY_OUT) ? POLLOUT : 0));
}

bool console_forwarded(void)
{
    return have_console;
}

/* Sends `count` words and the caller's reply capability to console-server.
 * Should the capability not go (console-server had no slot for it), the
 * process is answered -EIO here: it must never wait for nobody. */
static int64_t forward(uint64_t label, const uint64_t *mr, unsigned count)
{
    cptr_t reply = request_save_caller();
    if (reply == CAP_NULL) {
        return -ENOMEM;
    }
    for (unsigned i = MSG_REGISTERS_IN_CPU; i < count; i++) {
        ipc_buffer->mr[i] = mr[i];
    }
    ipc_buffer->caps[0] = reply;
    uint64_t info = msginfo_with(msginfo_make(label, count), 1, 0);
    sys_ipc(SYS_SEND, CONSOLE, info, mr[0], count > 1 ? mr[1] : 0, count > 2 ? mr[2] : 0,
            count > 3 ? mr[3] : 0);
    uint64_t type, rights, badge;
    if (cnode_identify(CAP_INIT_CNODE, reply, &type, &rights, &badge) == KERR_OK &&
        type != OBJ_NULL) {
        sys_send(reply, msginfo_make(0, 1), (uint64_t)-EIO, 0);
        cnode_delete(CAP_INIT_CNODE, reply);
    }
    slot_free(reply);
    return REQUEST_DEFERRED;
}

/* A read names the caller's group and session: a background reader gets
 * SIGTTIN from console-server (job control). */
int64_t console_forward_read(const client_t *c, const file_t *f, uint64_t len, uint64_t rw_flags)
{
    if (file_tty_stale(f)) {
        return -EIO;
    }
    proc_record_t me;
    if (!proc_table_lookup(c->pid, &me)) {
        return -ESRCH;
    }
    bool nonblock = (rw_flags & VFS_RW_NOWAIT) || (f->flags & O_NONBLOCK);
    uint64_t flags = (nonblock ? CONSOLE_READ_NONBLOCK : 0) |
                     ((rw_flags & VFS_RW_SIGTTIN_IGNORED) ? CONSOLE_READ_SIGTTIN_IGNORED : 0);
    uint64_t mr[5] = {len, flags, f->dev->terminal, (uint64_t)me.pgrp, (uint64_t)me.sid};
    return forward(CONSOLE_READ, mr, 5);
}

int64_t console_forward_write(const file_t *f, uint64_t len)
{
    if (file_tty_stale(f)) {
        return -EIO;
    }
    uint64_t flags = (f->flags & O_NONBLOCK) ? CONSOLE_WRITE_NONBLOCK : 0;
    uint64_t mr[3] = {len, f->dev->terminal, flags};
    return forward(CONSOLE_WRITE, mr, 3);
}

/*
 * Process groups cross to console-server by global PID, but a process names
 * them by its own scope's numbers (inside a container, its shell's group is
 * 1): TIOCSPGRP's and TIOCGPGRP's groups are translated here, through the
 * caller's view (proc_view.h).
 */

/* The global group that view v calls nr, its session in *session; -ESRCH
 * when no live process is in it. */
static int group_global(const proc_view_t *v, int nr, int64_t *session)
{
    proc_record_t r, seen;
    for (int pid = 0; proc_table_next(pid, &r); pid = r.pid) {
        if (r.state == 'Z') {
            continue;
        }
        proc_view_translate(v, &r, proc_table_lookup, &seen);
        if (seen.pgrp == nr) {
            *session = r.sid;
            return r.pgrp;
        }
    }
    return -ESRCH;
}

/* Global group pgrp as view v numbers it; 0 when it has no live process v
 * sees. */
static int32_t group_seen(const proc_view_t *v, int pgrp)
{
    proc_record_t r, seen;
    for (int pid = 0; proc_table_next(pid, &r); pid = r.pid) {
        if (r.pgrp == pgrp && r.state != 'Z') {
            proc_view_translate(v, &r, proc_table_lookup, &seen);
            return seen.pgrp;
        }
    }
    return 0;
}

/* TIOCGPGRP, answered here: console-server's foreground group (a global
 * PID) in the caller's numbering. */
static int64_t foreground_group(const proc_record_t *me, const file_t *f, const request_t *req)
{
    if (req->descriptors < 1) {
        return -EFAULT;
    }
    sys_result_t r = sys_call(CONSOLE, msginfo_make(CONSOLE_FG_PGRP, 2), f->dev->terminal,
                              (uint64_t)me->sid, 0, 0);
    int64_t pgrp = r.err == KERR_OK ? (int64_t)r.mr[0] : -EIO;
    if (pgrp < 0) {
        return pgrp;
    }
    proc_view_t v = proc_view_of(me);
    int32_t nr = pgrp > 0 ? group_seen(&v, (int)pgrp) : 0;
    return request_copy_out(0, 0, &nr, sizeof(nr));
}

int64_t console_forward_ioctl(const client_t *c, const file_t *f, const request_t *req)
{
    if (file_tty_stale(f)) {
        return -EIO;
    }
    proc_record_t me;
    if (!proc_table_lookup(c->pid, &me)) {
        return -ESRCH;
    }
    uint64_t cmd = req->mr[1], flags = 0;
    if (req->mr[3] & VFS_IOCTL_SIGTTOU_IGNORED) {
        flags |= CONSOLE_CALLER_SIGTTOU_IGNORED;
    }
    if (cmd == TIOCGPGRP) {
        return foreground_group(&me, f, req);
    }
    int64_t group_session = -ESRCH;
    uint64_t arg = req->mr[2];
    if (cmd == TIOCSPGRP) {
        int32_t pgrp;
        if (req->descriptors < 1 || request_copy_in(0, 0, &pgrp, sizeof(pgrp)) != 0) {
            return -EFAULT;
        }
        proc_view_t v = proc_view_of(&me);
        int global = pgrp > 0 ? group_global(&v, pgrp, &group_session) : -ESRCH;
        arg = (uint64_t)(int64_t)(global > 0 ? global : pgrp); /* console-server's numbering */
    }
    uint64_t mr[CONSOLE_REQUEST_WORDS] = {cmd,
                                          arg,
                                          (uint64_t)me.pid,
                                          (uint64_t)me.pgrp,
                                          (uint64_t)me.sid,
                                          flags,
                                          (uint64_t)group_session,
                                          f->dev->terminal};
    return forward(CONSOLE_IOCTL, mr, CONSOLE_REQUEST_WORDS);
}

int64_t console_forward_pty_open(uint64_t instance, bool unlocked)
{
    sys_result_t r = sys_call(CONSOLE, msginfo_make(CONSOLE_PTY_OPEN, 2), instance,
                              unlocked ? CONSOLE_PTY_UNLOCKED : 0, 0, 0);
    return r.err == KERR_OK ? (int64_t)r.mr[0] : -EIO;
}

int64_t console_forward_pty_open_slave(uint64_t instance, unsigned index)
{
    sys_result_t r =
        sys_call(CONSOLE, msginfo_make(CONSOLE_PTY_OPEN_SLAVE, 2), instance, index, 0, 0);
    return r.err == KERR_OK ? (int64_t)r.mr[0] : -EIO;
}

/* Nothing to do if it fails: console-server is gone with the pairs. */
void console_forward_pty_close(uint64_t terminal)
{
    sys_call(CONSOLE, msginfo_make(CONSOLE_PTY_CLOSE, 1), terminal, 0, 0, 0);
}

void console_forward_open_ctty(int pid, const device_ops_t *dev)
{
    proc_record_t me;
    if (!have_console || !dev->is_tty || !(dev->terminal & CONSOLE_TERMINAL_SLAVE) ||
        !proc_table_lookup(pid, &me) || me.pid != me.sid) {
        return;
    }
    sys_call(CONSOLE, msginfo_make(CONSOLE_OPEN_CTTY, 4), dev->terminal, (uint64_t)me.pid,
             (uint64_t)me.pgrp, (uint64_t)me.sid);
}

void console_forward_session_end(int sid)
{
    if (have_console) {
        sys_call(CONSOLE, msginfo_make(CONSOLE_SESSION_END, 1), (uint64_t)sid, 0, 0, 0);
    }
}

int64_t console_forward_ctty(int sid)
{
    sys_result_t r = sys_call(CONSOLE, msginfo_make(CONSOLE_CTTY, 1), (uint64_t)sid, 0, 0, 0);
    return r.err == KERR_OK ? (int64_t)r.mr[0] : -EIO;
}
