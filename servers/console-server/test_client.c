/*
 * A test client of console-server, started by proc-server when its boot
 * module is present (tests/scenario/console_input.py): it writes a prompt,
 * asks for the settings and window size, and logs every line it reads.
 * The line "raw" switches to non-canonical mode for one read of bytes.
 * Its stderr goes to the kernel log, which console-server prints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "capsule/server.h"
#include "protocol/console.h"

#define CONSOLE CAP_SERVER_ARG1

static int64_t console_call(uint64_t label, const uint64_t *mr, unsigned words, void *buf,
                            uint64_t len, uint64_t desc_flags)
{
    for (unsigned i = MSG_REGISTERS_IN_CPU; i < words; i++) {
        ipc_buffer->mr[i] = mr[i];
    }
    unsigned descs = buf != NULL ? 1 : 0;
    if (descs > 0) {
        ipc_buffer->descriptors[0] = (buffer_desc_t){(uint64_t)buf, len, desc_flags};
    }
    uint64_t info = msginfo_with(msginfo_make(label, words), 0, descs);
    sys_result_t r = sys_call(CONSOLE, info, mr[0], words > 1 ? mr[1] : 0, words > 2 ? mr[2] : 0,
                              words > 3 ? mr[3] : 0);
    return r.err == KERR_OK ? (int64_t)r.mr[0] : -EIO;
}

static int64_t console_write(const char *s)
{
    uint64_t mr[] = {strlen(s)};
    return console_call(CONSOLE_WRITE, mr, 1, (void *)s, mr[0], DESC_READ);
}

static int64_t console_read(char *buf, uint64_t len)
{
    uint64_t mr[] = {len, 0};
    return console_call(CONSOLE_READ, mr, 2, buf, len, DESC_WRITE);
}

/* As process 1, session leader of session 1, which has no terminal. */
static int64_t console_ioctl(unsigned long cmd, void *arg, uint64_t len, uint64_t flags)
{
    uint64_t mr[CONSOLE_IOCTL_WORDS] = {cmd, (uint64_t)arg, 1, 1, 1, 0, (uint64_t)-ESRCH};
    return console_call(CONSOLE_IOCTL, mr, CONSOLE_IOCTL_WORDS, arg, len, flags);
}

/* The kernel's struct termios, as TCGETS passes it. */
struct kernel_termios {
    unsigned c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line, c_cc[19];
};

static void log_bytes(const char *what, const char *buf, int64_t n)
{
    char shown[512];
    size_t k = 0;
    for (int64_t i = 0; i < n && k + 4 < sizeof(shown); i++) {
        unsigned char c = (unsigned char)buf[i];
        k += (size_t)(c >= 0x20 && c < 0x7f ? snprintf(shown + k, 2, "%c", c)
                                            : snprintf(shown + k, 5, "\\x%02x", c));
    }
    shown[k] = '\0';
    fprintf(stderr, "console-client: %s %ld bytes: \"%s\"\n", what, n, shown);
}

static void read_raw(struct kernel_termios *saved)
{
    struct kernel_termios raw = *saved;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 3;
    raw.c_cc[VTIME] = 0;
    fprintf(stderr, "console-client: raw mode: %ld\n",
            console_ioctl(TCSETS, &raw, sizeof(raw), DESC_READ));
    char buf[8];
    log_bytes("raw read", buf, console_read(buf, 3));
    fprintf(stderr, "console-client: canonical mode: %ld\n",
            console_ioctl(TCSETS, saved, sizeof(*saved), DESC_READ));
}

int main(void)
{
    struct kernel_termios tio;
    struct winsize ws;
    console_write("console-client: type a line\n");
    int64_t r = console_ioctl(TCGETS, &tio, sizeof(tio), DESC_WRITE);
    fprintf(stderr, "console-client: TCGETS %ld, lflag %#x\n", r, tio.c_lflag);
    r = console_ioctl(TIOCGWINSZ, &ws, sizeof(ws), DESC_WRITE);
    fprintf(stderr, "console-client: TIOCGWINSZ %ld, %u rows, %u columns\n", r, ws.ws_row,
            ws.ws_col);
    fprintf(stderr, "console-client: TIOCGPGRP %ld\n",
            console_ioctl(TIOCGPGRP, &(int){0}, sizeof(int), DESC_WRITE));
    for (;;) {
        char line[256];
        int64_t n = console_read(line, sizeof(line));
        log_bytes("read", line, n);
        if (n < 0) {
            return 1;
        }
        if (n == 4 && memcmp(line, "raw\n", 4) == 0) {
            read_raw(&tio);
        }
    }
}
