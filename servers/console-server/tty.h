/*
 * A terminal: its line discipline, window size, and the session and
 * foreground process group it belongs to, with the tty ioctls as pure
 * functions over that state (notes/posix.md "Terminals").
 *
 * The caller says who asks (PID, process group, session) and how to find a
 * process group's session; the functions answer with a Linux result or
 * -errno and the signals to send, which the server sends.
 */
#ifndef CONSOLE_TTY_H
#define CONSOLE_TTY_H

#include <stdbool.h>
#include <stdint.h>

#include "line_discipline.h"

/* struct winsize of TIOCGWINSZ/TIOCSWINSZ. */
typedef struct {
    uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
} tty_winsize_t;

typedef struct {
    ldisc_t ld;
    tty_winsize_t winsize;
    int session; /* the session whose controlling terminal this is; 0: none */
    int fg_pgrp; /* its foreground process group; 0: none */
} tty_t;

/* Who makes a request, in the numbering the terminal's sessions use. */
typedef struct {
    int pid, pgrp, sid;
    bool has_ctty;        /* its session already has a controlling terminal */
    bool sigttou_ignored; /* SIGTTOU ignored or blocked: a background change is allowed */
    /* The session of process group `pgrp`, or -ESRCH if there is none. */
    int (*pgrp_session)(void *ctx, int pgrp);
    void *ctx;
} tty_caller_t;

/* A signal for a process group the server must send. */
typedef struct {
    int signal;
    int pgrp;
} tty_signal_t;

#define TTY_MAX_SIGNALS 2

typedef struct {
    tty_signal_t signals[TTY_MAX_SIGNALS];
    unsigned count;
} tty_events_t;

/* How the argument of an ioctl travels: by value, or bytes in the caller's
 * memory copied in before and/or out after. */
typedef struct {
    uint32_t in_size;  /* bytes the server copies from the caller first */
    uint32_t out_size; /* bytes copied back to the caller on success */
} tty_ioctl_shape_t;

/* The largest in_size or out_size of any command. */
#define TTY_IOCTL_ARG_MAX 64

/* The shape of `cmd`; -ENOTTY for a command terminals do not know. */
int tty_ioctl_shape(unsigned long cmd, tty_ioctl_shape_t *shape);

/* An ioctl: `arg` is the raw argument word; `data` holds in_size bytes on
 * entry and out_size bytes on a successful return. Returns >= 0 or -errno;
 * the signals it causes are appended to `ev`. */
long tty_ioctl(tty_t *t, const tty_caller_t *who, unsigned long cmd, uint64_t arg,
               uint8_t data[TTY_IOCTL_ARG_MAX], tty_events_t *ev);

void tty_init(tty_t *t);

/* The leader of session `sid` exited: if this is its terminal, the
 * foreground group gets SIGHUP and SIGCONT and the terminal is free. */
void tty_session_leader_exit(tty_t *t, int sid, tty_events_t *ev);

/* Appends "signal for the foreground group" to `ev` if there is one. */
void tty_signal_foreground(const tty_t *t, int signal, tty_events_t *ev);

#endif
