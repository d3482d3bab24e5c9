/*
 * /dev/console belongs to console-server. vfs-server checks the descriptor
 * and hands the request on together with the reply capability of the
 * process that asked, so console-server answers the process itself: a read
 * that waits for a line waits there, and vfs-server never blocks on a
 * terminal (docs/protocols/console.md "Forwarded requests").
 */
#ifndef VFS_CONSOLE_FORWARD_H
#define VFS_CONSOLE_FORWARD_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "request.h"

/* Looks for the console capability proc-server gave (CAP_SERVER_ARG1) and
 * subscribes to console-server's readiness signals; 0 or -errno. */
int console_forward_init(void);

/* console-server instances are counted (docs/restart.md): a terminal's
 * description keeps the epoch it was opened in (file.h), and once
 * proc-server has restarted console-server the terminals, their settings
 * and sessions of the old instance are gone, so such a description
 * answers -EIO (poll: POLLERR | POLLHUP) and is never forwarded: its
 * pseudo-terminal slot may be a new pair's by then. */
/* VFS_CONSOLE_RESTARTED from proc-server: a new epoch, a subscription to
 * the new instance, and the waiting polls look again. 0 or -errno. */
int console_forward_restarted(void);

/* The POLLIN/POLLOUT of `events` the console has ready now; POLLIN not
 * ready means the serve loop gets a notification once it is. */
short console_forward_poll(const file_t *f, short events);

/* Whether console-server drives the console; without it the console
 * device writes to the kernel log and cannot be read. */
bool console_forwarded(void);

/* read(2)/write(2) of `len` bytes on the console: REQUEST_DEFERRED once
 * the request is on its way, or -errno. A read with `nowait` (or on an
 * O_NONBLOCK description) is -EAGAIN rather than waiting. */
int64_t console_forward_read(const client_t *c, const file_t *f, uint64_t len, uint64_t rw_flags);
int64_t console_forward_write(const file_t *f, uint64_t len);

/* A terminal ioctl of client `c`: MR1 = command, MR2 = argument word,
 * MR3 = VFS_IOCTL_* flags, descriptor 0 = the argument's bytes. The
 * caller's process group and session come from the process table. */
int64_t console_forward_ioctl(const client_t *c, const file_t *f, const request_t *req);

/* Pseudo-terminals (docs/protocols/console.md): a new pair in devfs
 * instance `instance`, its slave unlocked at once if asked (N << 8 | slot,
 * or -errno); opening slave N of an
 * instance (the slot, or -errno); the last close of an end. */
int64_t console_forward_pty_open(uint64_t instance, bool unlocked);
int64_t console_forward_pty_open_slave(uint64_t instance, unsigned index);
void console_forward_pty_close(uint64_t terminal);

/* The terminal word of session `sid`'s controlling terminal (a slave is
 * opened for the caller), or -errno (-ENXIO: none). */
int64_t console_forward_ctty(int sid);
/* Session leader sid has exited: the terminals its session controlled are
 * released (CONSOLE_SESSION_END). */
void console_forward_session_end(int sid);

/* open(2) without O_NOCTTY of a pair's slave: a session leader whose
 * session has no controlling terminal takes it as its own (Linux's
 * tty_open_proc_set_tty), if no other session holds it. Nothing happens
 * otherwise, nor for the console, /dev/tty or a master (Linux: those never
 * become a controlling terminal by being opened). */
void console_forward_open_ctty(int pid, const device_ops_t *dev);

#endif
