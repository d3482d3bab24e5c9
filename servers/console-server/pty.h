/*
 * Pseudo-terminal pairs, as Linux's devpts does them: a master (what
 * /dev/ptmx opens) and a slave (/dev/pts/N) around one terminal with the
 * console's line discipline. What the master writes is the slave's input
 * (echo and signal characters included); what the slave writes goes through
 * OPOST into a buffer the master reads.
 *
 * Pure: no IPC. The server feeds requests in and sends the signals and
 * answers the functions report. Each pair belongs to the devfs instance it
 * was opened through and is numbered within it, so a container sees only
 * its own pairs (notes/containers.md "devfs in a container").
 *
 * Close rules (Linux): the slave cannot be opened while locked (a new pair
 * is locked until TIOCSPTLCK 0, which unlockpt does) or after the master
 * closed; once the master closed, slave reads give end of file and writes
 * -EIO, and the slave's session gets SIGHUP; with no slave open, a master
 * read that finds nothing buffered gives -EIO. A pair is freed when neither
 * end is open.
 */
#ifndef CONSOLE_PTY_H
#define CONSOLE_PTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tty.h"

/* Pairs console-server holds, over all devfs instances. */
#define PTY_MAX 16
/* Slave output waiting for the master: Linux buffers a few pages too. */
#define PTY_OUTPUT_MAX 4096

typedef struct {
    bool used;
    uint64_t instance; /* the devfs instance it was opened through */
    unsigned index;    /* N of /dev/pts/N within that instance */
    bool locked;
    unsigned masters, slaves; /* open descriptions of each end */
    bool slave_opened;        /* a slave was opened at least once */
    tty_t tty;
    uint8_t out[PTY_OUTPUT_MAX]; /* a ring of output for the master */
    size_t out_tail, out_count;
} pty_t;

typedef struct {
    pty_t pairs[PTY_MAX];
} pty_table_t;

void pty_table_init(pty_table_t *t);

/* Opens /dev/ptmx in `instance`: a new locked pair with the lowest free
 * number of that instance. Returns the pair's slot (>= 0) or -ENOSPC. */
int pty_open_master(pty_table_t *t, uint64_t instance);

/* The pair /dev/pts/`index` of `instance`; -ENOENT when there is none. */
int pty_lookup(const pty_table_t *t, uint64_t instance, unsigned index);

/* Opens the slave of pair `slot`: -EIO while locked or once the master
 * closed. */
int pty_open_slave(pty_table_t *t, int slot);

/* Closes one end. Closing the last master hangs the slave up: the
 * session's foreground group gets SIGHUP and SIGCONT (in `ev`). */
void pty_close_master(pty_table_t *t, int slot, tty_events_t *ev);
void pty_close_slave(pty_table_t *t, int slot);

/* The pair in `slot` if it is in use, else NULL. */
pty_t *pty_at(pty_table_t *t, int slot);

/* Bytes the master writes, as typed input: echo goes to the master's
 * buffer, signal characters add to `ev`. Sets `*readable` when a slave read
 * may now complete. Returns the bytes taken: fewer than `len` (and then
 * -EAGAIN if none) when the echo would not fit in the master's buffer, so
 * nothing is lost. */
long pty_master_write(pty_t *p, const uint8_t *in, size_t len, tty_events_t *ev, bool *readable);

/* Bytes the slave writes, through OPOST into the master's buffer. Returns
 * the bytes taken (-EAGAIN when none fit), -EIO once the master closed. */
long pty_slave_write(pty_t *p, const uint8_t *in, size_t len);

/* Whether a master read would not wait: output buffered, or no slave open. */
bool pty_master_ready(const pty_t *p);

/* A master read: up to `want` buffered bytes, or -EIO when nothing is
 * buffered and no slave is open, -EAGAIN when it must wait. */
long pty_master_read(pty_t *p, uint8_t *dst, size_t want);

/* Whether a slave read of `want` bytes would not wait: input ready for the
 * line discipline, or the master closed (end of file). */
bool pty_slave_ready(const pty_t *p, size_t want);

/* A slave read that is ready: the line discipline's bytes, or 0 at end of
 * file once the master closed. */
size_t pty_slave_read(pty_t *p, uint8_t *dst, size_t want);

/* Room left in the master's buffer. */
size_t pty_output_room(const pty_t *p);

/* Whether a write on the master (`master`) or the slave would take a byte
 * now: POLLOUT. */
bool pty_writable(const pty_t *p, bool master);

#endif
