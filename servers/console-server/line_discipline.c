/*
 * The line discipline (see line_discipline.h). The input ring holds
 * completed lines first (canon_count bytes from tail), then the line being
 * edited; erasing only ever removes bytes of the line being edited.
 */
#include "line_discipline.h"

#include <signal.h>
#include <string.h>

#define CONTROL(c) ((c)&0x1f)
#define DEL 0x7f
#define TAB_WIDTH 8

void ldisc_default_termios(ld_termios_t *t)
{
    memset(t, 0, sizeof(*t));
    t->c_iflag = ICRNL | IXON;
    t->c_oflag = OPOST | ONLCR;
    t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
    t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    t->c_cc[VINTR] = CONTROL('C');
    t->c_cc[VQUIT] = CONTROL('\\');
    t->c_cc[VERASE] = DEL;
    t->c_cc[VKILL] = CONTROL('U');
    t->c_cc[VEOF] = CONTROL('D');
    t->c_cc[VTIME] = 0;
    t->c_cc[VMIN] = 1;
    t->c_cc[VSTART] = CONTROL('Q');
    t->c_cc[VSTOP] = CONTROL('S');
    t->c_cc[VSUSP] = CONTROL('Z');
    t->c_cc[VREPRINT] = CONTROL('R');
    t->c_cc[VDISCARD] = CONTROL('O');
    t->c_cc[VWERASE] = CONTROL('W');
    t->c_cc[VLNEXT] = CONTROL('V');
}

void ldisc_init(ldisc_t *ld)
{
    memset(ld, 0, sizeof(*ld));
    ldisc_default_termios(&ld->termios);
}

static bool lflag(const ldisc_t *ld, uint32_t f)
{
    return (ld->termios.c_lflag & f) != 0;
}

static bool iflag(const ldisc_t *ld, uint32_t f)
{
    return (ld->termios.c_iflag & f) != 0;
}

static bool oflag(const ldisc_t *ld, uint32_t f)
{
    return (ld->termios.c_oflag & f) != 0;
}

/* Whether `c` is the special character at `index` (a 0 entry, Linux's
 * _POSIX_VDISABLE, matches nothing). */
static bool is_char(const ldisc_t *ld, unsigned index, uint8_t c)
{
    uint8_t special = ld->termios.c_cc[index];
    return special != 0 && special == c;
}

static bool is_control(uint8_t c)
{
    return c < 0x20 || c == DEL;
}

/* ---- the ring ---- */

static size_t ring_index(const ldisc_t *ld, size_t i)
{
    return (ld->tail + i) % LDISC_INPUT_MAX;
}

static uint8_t ring_at(const ldisc_t *ld, size_t i)
{
    return ld->buf[ring_index(ld, i)];
}

static void ring_push(ldisc_t *ld, uint8_t c, uint8_t flags)
{
    size_t i = ring_index(ld, ld->count);
    ld->buf[i] = c;
    ld->flags[i] = flags;
    ld->count++;
}

static void ring_drop_front(ldisc_t *ld, size_t n)
{
    ld->tail = ring_index(ld, n);
    ld->count -= n;
}

/* Bytes of the line being edited (canonical mode). */
static size_t edit_length(const ldisc_t *ld)
{
    return ld->count - ld->canon_count;
}

/* ---- output ---- */

static bool sink_put(ld_sink_t *s, const char *bytes, size_t n)
{
    if (s->cap - s->len < n) {
        return false;
    }
    memcpy(s->bytes + s->len, bytes, n);
    s->len += n;
    return true;
}

/* One byte through OPOST; all or nothing. Tracks the output column. */
static bool output_byte(ldisc_t *ld, uint8_t c, ld_sink_t *out)
{
    char ch = (char)c;
    if (!oflag(ld, OPOST)) {
        return sink_put(out, &ch, 1);
    }
    switch (c) {
    case '\n':
        if (oflag(ld, ONLCR)) {
            if (!sink_put(out, "\r\n", 2)) {
                return false;
            }
            ld->column = 0;
            return true;
        }
        if (oflag(ld, ONLRET)) {
            ld->column = 0;
        }
        return sink_put(out, &ch, 1);
    case '\r':
        if (oflag(ld, ONOCR) && ld->column == 0) {
            return true;
        }
        if (oflag(ld, OCRNL)) {
            ch = '\n';
            if (oflag(ld, ONLRET)) {
                ld->column = 0;
            }
            return sink_put(out, &ch, 1);
        }
        ld->column = 0;
        return sink_put(out, &ch, 1);
    case '\t':
        ld->column = (ld->column | (TAB_WIDTH - 1)) + 1;
        return sink_put(out, &ch, 1);
    case '\b':
        if (ld->column > 0) {
            ld->column--;
        }
        return sink_put(out, &ch, 1);
    default:
        if (!is_control(c)) {
            ld->column++;
        }
        return sink_put(out, &ch, 1);
    }
}

size_t ldisc_write(ldisc_t *ld, const uint8_t *in, size_t len, ld_sink_t *out)
{
    size_t done = 0;
    while (done < len && output_byte(ld, in[done], out)) {
        done++;
    }
    return done;
}

static void echo_text(ldisc_t *ld, const char *s, ld_sink_t *echo)
{
    for (; *s != '\0'; s++) {
        output_byte(ld, (uint8_t)*s, echo);
    }
}

/* Echoes one input byte: a control character as ^X under ECHOCTL (not tab
 * or newline, which echo as themselves). */
static void echo_byte(ldisc_t *ld, uint8_t c, ld_sink_t *echo)
{
    if (lflag(ld, ECHOCTL) && is_control(c) && c != '\t' && c != '\n') {
        char pair[3] = {'^', (char)(c ^ 0x40), '\0'};
        echo_text(ld, pair, echo);
        return;
    }
    output_byte(ld, c, echo);
}

/* Echoes a byte that joins the line being edited, noting where the line's
 * echo began so that erasing a tab knows how far to go back. */
static void echo_line_byte(ldisc_t *ld, uint8_t c, ld_sink_t *echo)
{
    if (edit_length(ld) == 0) {
        ld->line_column = ld->column;
    }
    echo_byte(ld, c, echo);
}

/* ---- erasing ---- */

/* The width of the echo of the line being edited, up to its first `n` bytes. */
static unsigned edit_column(const ldisc_t *ld, size_t n)
{
    unsigned col = ld->line_column;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = ring_at(ld, ld->canon_count + i);
        if (c == '\t') {
            col = (col | (TAB_WIDTH - 1)) + 1;
        } else if (is_control(c)) {
            col += lflag(ld, ECHOCTL) ? 2 : 0;
        } else {
            col++;
        }
    }
    return col;
}

/* Takes the last byte of the edited line back off the screen (ECHOE). */
static void echo_rubout(ldisc_t *ld, uint8_t c, ld_sink_t *echo)
{
    if (c == '\t') {
        /* a counted loop: a full echo sink takes no byte, and without OPOST
         * the column does not move with each one (fuzz_console_request hung
         * console-server here) */
        unsigned col = edit_column(ld, edit_length(ld));
        for (unsigned n = ld->column > col ? ld->column - col : 0; n > 0; n--) {
            if (!output_byte(ld, '\b', echo)) {
                break;
            }
        }
        ld->column = col;
        return;
    }
    if (is_control(c) && !lflag(ld, ECHOCTL)) {
        return; /* it never showed */
    }
    echo_text(ld, is_control(c) ? "\b \b\b \b" : "\b \b", echo);
}

static bool is_word_byte(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* How many trailing bytes of the edited line ^W removes: blanks, then a word. */
static size_t word_erase_length(const ldisc_t *ld)
{
    size_t n = edit_length(ld);
    size_t i = n;
    while (i > 0 && !is_word_byte(ring_at(ld, ld->canon_count + i - 1))) {
        i--;
    }
    while (i > 0 && is_word_byte(ring_at(ld, ld->canon_count + i - 1))) {
        i--;
    }
    return n - i;
}

static void erase_bytes(ldisc_t *ld, size_t n, ld_sink_t *echo)
{
    for (; n > 0; n--) {
        ld->count--;
        uint8_t c = ring_at(ld, ld->count);
        if (lflag(ld, ECHO)) {
            echo_rubout(ld, c, echo);
        }
    }
}

static void erase_char(ldisc_t *ld, uint8_t c, ld_sink_t *echo)
{
    if (edit_length(ld) == 0) {
        return;
    }
    if (lflag(ld, ECHO) && !lflag(ld, ECHOE)) {
        ld->count--;
        echo_byte(ld, c, echo); /* no visual erase: show the erase character */
        return;
    }
    erase_bytes(ld, 1, echo);
}

/* ^U: without ECHOKE (or ECHOE) Linux echoes the kill character and, under
 * ECHOK, a newline; with both it erases the line from the screen. */
static void kill_line(ldisc_t *ld, uint8_t c, ld_sink_t *echo)
{
    if (edit_length(ld) == 0) {
        return;
    }
    if (!lflag(ld, ECHO)) {
        ld->count = ld->canon_count;
        return;
    }
    if (!lflag(ld, ECHOK) || !lflag(ld, ECHOKE) || !lflag(ld, ECHOE)) {
        ld->count = ld->canon_count;
        echo_byte(ld, c, echo);
        if (lflag(ld, ECHOK)) {
            echo_text(ld, "\n", echo);
        }
        return;
    }
    erase_bytes(ld, edit_length(ld), echo);
}

/* ---- input ---- */

/* ICRNL, INLCR, IGNCR, ISTRIP. Returns -1 for a byte to ignore. */
static int map_input(const ldisc_t *ld, uint8_t c)
{
    if (iflag(ld, ISTRIP)) {
        c &= 0x7f;
    }
    if (c == '\r') {
        if (iflag(ld, IGNCR)) {
            return -1;
        }
        return iflag(ld, ICRNL) ? '\n' : '\r';
    }
    if (c == '\n' && iflag(ld, INLCR)) {
        return '\r';
    }
    return c;
}

static int signal_of(const ldisc_t *ld, uint8_t c)
{
    if (!lflag(ld, ISIG)) {
        return 0;
    }
    if (is_char(ld, VINTR, c)) {
        return SIGINT;
    }
    if (is_char(ld, VQUIT, c)) {
        return SIGQUIT;
    }
    if (is_char(ld, VSUSP, c)) {
        return SIGTSTP;
    }
    return 0;
}

static bool is_line_end(const ldisc_t *ld, uint8_t c)
{
    return c == '\n' || is_char(ld, VEOL, c) || (lflag(ld, IEXTEN) && is_char(ld, VEOL2, c));
}

/* Ends the line being edited with `c` (not stored for an end-of-file mark). */
static ld_event_t end_line(ldisc_t *ld, uint8_t c, uint8_t flags)
{
    ld_event_t ev = {0};
    if (ld->count >= LDISC_INPUT_MAX) {
        ev.dropped = true;
        return ev;
    }
    ring_push(ld, c, flags);
    ld->canon_count = ld->count;
    ev.readable = true;
    return ev;
}

/* A byte of canonical mode; returns true when it was a special character. */
static bool receive_canonical_special(ldisc_t *ld, uint8_t c, ld_sink_t *echo, ld_event_t *ev)
{
    if (is_char(ld, VERASE, c)) {
        erase_char(ld, c, echo);
    } else if (is_char(ld, VKILL, c)) {
        kill_line(ld, c, echo);
    } else if (lflag(ld, IEXTEN) && is_char(ld, VWERASE, c)) {
        erase_bytes(ld, word_erase_length(ld), echo);
    } else if (is_char(ld, VEOF, c)) {
        *ev = end_line(ld, 0, LD_DELIM | LD_EOF); /* never echoed */
    } else if (is_line_end(ld, c)) {
        if (lflag(ld, ECHO) || (c == '\n' && lflag(ld, ECHONL))) {
            echo_byte(ld, c, echo);
        }
        *ev = end_line(ld, c, LD_DELIM);
    } else {
        return false;
    }
    return true;
}

/* Linux keeps the last byte of the buffer for the end of a canonical line. */
static bool room_for_data(const ldisc_t *ld)
{
    size_t limit = lflag(ld, ICANON) ? LDISC_INPUT_MAX - 1 : LDISC_INPUT_MAX;
    return ld->count < limit;
}

ld_event_t ldisc_receive(ldisc_t *ld, uint8_t byte, ld_sink_t *echo)
{
    ld_event_t ev = {0};
    int mapped = map_input(ld, byte);
    if (mapped < 0) {
        return ev;
    }
    uint8_t c = (uint8_t)mapped;
    ev.signal = signal_of(ld, c);
    if (ev.signal != 0) {
        if (!lflag(ld, NOFLSH)) {
            ldisc_flush_input(ld);
        }
        if (lflag(ld, ECHO)) {
            echo_byte(ld, c, echo);
        }
        return ev;
    }
    if (lflag(ld, ICANON) && receive_canonical_special(ld, c, echo, &ev)) {
        return ev;
    }
    if (!room_for_data(ld)) {
        ev.dropped = true;
        return ev;
    }
    if (lflag(ld, ECHO)) {
        echo_line_byte(ld, c, echo);
    }
    ring_push(ld, c, 0);
    ev.readable = !lflag(ld, ICANON);
    return ev;
}

/* ---- reading ---- */

bool ldisc_read_ready(const ldisc_t *ld, size_t want, bool timed_out)
{
    if (lflag(ld, ICANON)) {
        return ld->canon_count > 0;
    }
    size_t vmin = ld->termios.c_cc[VMIN];
    size_t need = vmin < want ? vmin : want;
    bool timer = ld->termios.c_cc[VTIME] != 0;
    if (need == 0) {
        return ld->count > 0 || !timer || timed_out;
    }
    return ld->count >= need || (timer && timed_out && ld->count > 0);
}

static size_t read_canonical(ldisc_t *ld, uint8_t *dst, size_t want)
{
    size_t n = 0, used = 0;
    while (used < ld->canon_count) {
        uint8_t c = ring_at(ld, used);
        uint8_t flags = ld->flags[ring_index(ld, used)];
        if (flags & LD_EOF) {
            used++; /* consumed, not copied: it ends the read */
            break;
        }
        if (n == want) {
            break;
        }
        dst[n++] = c;
        used++;
        if (flags & LD_DELIM) {
            break;
        }
    }
    ring_drop_front(ld, used);
    ld->canon_count -= used;
    return n;
}

size_t ldisc_read(ldisc_t *ld, uint8_t *dst, size_t want)
{
    if (lflag(ld, ICANON)) {
        return read_canonical(ld, dst, want);
    }
    size_t n = want < ld->count ? want : ld->count;
    for (size_t i = 0; i < n; i++) {
        dst[i] = ring_at(ld, i);
    }
    ring_drop_front(ld, n);
    ld->canon_count = ld->canon_count > n ? ld->canon_count - n : 0;
    return n;
}

size_t ldisc_readable(const ldisc_t *ld)
{
    if (!lflag(ld, ICANON)) {
        return ld->count;
    }
    size_t n = 0;
    for (size_t i = 0; i < ld->canon_count; i++) {
        n += (ld->flags[ring_index(ld, i)] & LD_EOF) ? 0 : 1;
    }
    return n;
}

void ldisc_flush_input(ldisc_t *ld)
{
    ld->tail = 0;
    ld->count = 0;
    ld->canon_count = 0;
}

void ldisc_set_termios(ldisc_t *ld, const ld_termios_t *t)
{
    bool was_canonical = lflag(ld, ICANON);
    ld->termios = *t;
    bool canonical = lflag(ld, ICANON);
    if (was_canonical == canonical) {
        return;
    }
    if (canonical && ld->count > 0) {
        ld->flags[ring_index(ld, ld->count - 1)] |= LD_DELIM;
        ld->canon_count = ld->count;
    } else {
        ld->canon_count = 0;
    }
}
