/*
 * The terminal line discipline, as Linux's N_TTY does it: input processing
 * (ICRNL, INLCR, IGNCR), canonical line editing (erase, kill, word erase, end
 * of file), the signal characters, echo, and output processing (ONLCR).
 *
 * Pure: no IPC, no device. The caller feeds received bytes in, gets back the
 * bytes to transmit (echo) and the events to act on (a signal for the
 * foreground process group, input that became readable); it asks whether a
 * pending read can complete and takes the bytes out.
 *
 * Not done: IXON/IXOFF flow control, VLNEXT, VREPRINT, VDISCARD, IUCLC/OLCUC,
 * tab and delay expansion in output (OPOST handles ONLCR, OCRNL, ONOCR and
 * ONLRET only).
 */
#ifndef CONSOLE_LINE_DISCIPLINE_H
#define CONSOLE_LINE_DISCIPLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

/* Linux's N_TTY_BUF_SIZE: at most this many bytes of input wait to be read. */
#define LDISC_INPUT_MAX 4096

/* struct termios as Linux's TCGETS/TCSETS pass it (asm-generic termbits):
 * not libc's struct termios, which adds speeds and a longer c_cc. Flag and
 * c_cc index values are the <termios.h> ones, which are Linux's. */
#define LDISC_NCCS 19
typedef struct {
    uint32_t c_iflag;
    uint32_t c_oflag;
    uint32_t c_cflag;
    uint32_t c_lflag;
    uint8_t c_line;
    uint8_t c_cc[LDISC_NCCS];
} ld_termios_t;

_Static_assert(sizeof(ld_termios_t) == 36, "Linux struct termios is 36 bytes");

/* Where echo and output bytes go: the caller's buffer. */
typedef struct {
    uint8_t *bytes;
    size_t len; /* bytes written so far */
    size_t cap;
} ld_sink_t;

/* What a received byte caused, beyond the bytes echoed. */
typedef struct {
    int signal;    /* SIGINT, SIGQUIT or SIGTSTP for the foreground group; 0: none */
    bool readable; /* a pending read may complete now */
    bool dropped;  /* the input buffer was full: the byte was lost */
} ld_event_t;

typedef struct {
    ld_termios_t termios;
    uint8_t buf[LDISC_INPUT_MAX];   /* a ring of input bytes */
    uint8_t flags[LDISC_INPUT_MAX]; /* LD_* of each byte of buf */
    size_t tail;                    /* index of the oldest byte */
    size_t count;                   /* bytes in the ring */
    size_t canon_count;             /* bytes, from tail, of completed lines (canonical mode) */
    unsigned column;                /* output column, for erasing tabs and ECHOCTL pairs */
    unsigned line_column;           /* column where the echo of the line being edited began */
} ldisc_t;

/* flags[] values: the byte ends a line; an end-of-file mark is not data. */
enum {
    LD_DELIM = 1,
    LD_EOF = 2,
};

/* Linux's defaults for a console: canonical, echo, signals, ICRNL, ONLCR,
 * 38400 8N1, ^C ^\ DEL ^U ^D ^W ^Z, VMIN 1. */
void ldisc_init(ldisc_t *ld);
void ldisc_default_termios(ld_termios_t *t);

/* Processes one received byte: edits the line or queues it, echoes into
 * `echo` (which should have room for a few dozen bytes; echo that does not
 * fit is dropped, never the input). */
ld_event_t ldisc_receive(ldisc_t *ld, uint8_t c, ld_sink_t *echo);

/* Output processing of `len` bytes into `out`. Returns how many input bytes
 * were consumed: fewer than `len` when `out` filled up (a byte is consumed
 * only with its whole expansion). */
size_t ldisc_write(ldisc_t *ld, const uint8_t *in, size_t len, ld_sink_t *out);

/* Whether a read of `want` bytes (> 0) can complete now: a whole line in
 * canonical mode; otherwise VMIN bytes (or `want` if fewer), or any byte
 * once `timed_out` (the caller's VTIME timer, or VMIN == 0). */
bool ldisc_read_ready(const ldisc_t *ld, size_t want, bool timed_out);

/* Takes up to `want` bytes for a read that is ready: in canonical mode up
 * to and including the end of one line, an end-of-file mark consumed and
 * not copied. Returns the byte count (0 = end of file, or nothing yet). */
size_t ldisc_read(ldisc_t *ld, uint8_t *dst, size_t want);

/* Bytes a read could take now (FIONREAD): in canonical mode only completed
 * lines, end-of-file marks not counted. */
size_t ldisc_readable(const ldisc_t *ld);

/* Discards pending input (TCSETSF, TCIFLUSH, a signal character). */
void ldisc_flush_input(ldisc_t *ld);

/* Installs new settings. Turning ICANON off makes everything queued
 * readable; turning it on makes the queued bytes one line, as Linux does. */
void ldisc_set_termios(ldisc_t *ld, const ld_termios_t *t);

#endif
