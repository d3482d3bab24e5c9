/*
 * debug-console: the `dbg>` prompt on the second serial port (COM2), with
 * dbg's commands, so the system can be inspected while the shell on COM1
 * is busy or hung. proc-server starts it with COM2's ports (0x2f8-0x2ff),
 * IRQ 3 and a debug capability of its own (protocol/debug.h,
 * DEBUG_BADGE_COM2). With no UART on COM2 (QEMU's plain command line has
 * one serial port) it logs one line and waits on a notification nobody
 * signals: idle, never spinning on the 0xff an absent UART reads as.
 *
 * It is a client of proc-server, like dbg: it never serves a request, so
 * it adds no edge to the servers' Call order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capsule/server.h"
#include "commands.h"
#include "line.h"
#include "protocol/debug.h"
#include "protocol/server.h"
#include "uapi/objects.h"
#include "uart.h"

#define WORDS_MAX 8
#define RX_BURST 64

static char page[DEBUG_PAGE_MAX];
static cptr_t notification;

/* Sends text, each \n as \r\n. */
static void put(const char *text, size_t len)
{
    char out[256];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (n + 2 > sizeof(out)) {
            uart_transmit((const uint8_t *)out, n);
            n = 0;
        }
        if (text[i] == '\n') {
            out[n++] = '\r';
        }
        out[n++] = text[i];
    }
    uart_transmit((const uint8_t *)out, n);
}

static void puts_com2(const char *s)
{
    put(s, strlen(s));
}

/* One debug request, page by page, sent as it comes: 0 or -errno. */
static int64_t show(const dbg_query_t *q)
{
    uint64_t offset = 0, total;
    do {
        ipc_buffer->descriptors[0] = (buffer_desc_t){(uint64_t)page, sizeof(page), DESC_WRITE};
        uint64_t info = msginfo_with(msginfo_make(q->label, DEBUG_REQUEST_WORDS), 0, 1);
        sys_result_t r = sys_call(CAP_SERVER_ARG1, info, offset, sizeof(page), q->arg,
                                  q->json ? DEBUG_FLAG_JSON : 0);
        if (r.err != KERR_OK) {
            return -EIO;
        }
        if ((int64_t)r.mr[0] < 0) {
            return (int64_t)r.mr[0];
        }
        total = r.mr[0];
        if (offset > total) {
            return -EAGAIN;
        }
        uint64_t count = total - offset < sizeof(page) ? total - offset : sizeof(page);
        put(page, count);
        offset += count;
    } while (offset < total);
    return 0;
}

static void run(char *text)
{
    char *words[WORDS_MAX];
    int n = 0;
    for (char *w = strtok(text, " \t"); w != NULL && n < WORDS_MAX; w = strtok(NULL, " \t")) {
        words[n++] = w;
    }
    if (n == 0) {
        return;
    }
    if (n == 1 && strcmp(words[0], "help") == 0) {
        puts_com2(dbg_help);
        return;
    }
    dbg_query_t q;
    const char *why;
    char msg[96];
    if (dbg_parse(n, words, &q, &why) != 0) {
        snprintf(msg, sizeof(msg), "dbg: %s\n", why);
        puts_com2(msg);
        return;
    }
    int64_t err = show(&q);
    if (err != 0) {
        snprintf(msg, sizeof(msg), "dbg: %s\n",
                 err == -ESRCH ? "no such process or context" : strerror((int)-err));
        puts_com2(msg);
    }
}

static void serve_input(line_t *line)
{
    uint8_t bytes[RX_BURST];
    size_t n;
    while ((n = uart_receive(bytes, sizeof(bytes))) > 0) {
        for (size_t i = 0; i < n; i++) {
            char echo[8];
            size_t echo_len;
            bool done = line_feed(line, bytes[i], echo, &echo_len);
            put(echo, echo_len);
            if (done) {
                run(line->text);
                puts_com2("dbg> ");
            }
        }
    }
    irq_handler_ack(CAP_SERVER_IRQ);
}

static int bind_interrupt(void)
{
    notification = slot_alloc();
    if (notification == CAP_NULL ||
        pool_create(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, CAP_INIT_CNODE, notification) != KERR_OK ||
        irq_handler_set_notification(CAP_SERVER_IRQ, notification) != KERR_OK) {
        return -EIO;
    }
    return 0;
}

/* Waits on a notification no one signals: the thread stays blocked. */
static _Noreturn void idle(void)
{
    cptr_t quiet = slot_alloc();
    if (quiet != CAP_NULL &&
        pool_create(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, CAP_INIT_CNODE, quiet) == KERR_OK) {
        for (;;) {
            sys_recv(quiet);
        }
    }
    for (;;) {
        tcb_suspend(CAP_INIT_TCB); /* no memory for a notification: stop instead */
    }
}

int main(void)
{
    if (!uart_present(CAP_SERVER_IO_PORT, UART_COM2)) {
        fprintf(stderr, "debug-console: no UART on COM2 (0x%x): idle\n", UART_COM2);
        idle();
    }
    if (uart_init(CAP_SERVER_IO_PORT, UART_COM2) != 0 || bind_interrupt() != 0) {
        fprintf(stderr, "debug-console: cannot drive COM2: idle\n");
        idle();
    }
    fprintf(stderr, "debug-console: ready on COM2\n");
    puts_com2("Capsule debug console (help lists the commands)\ndbg> ");
    line_t line = {0};
    serve_input(&line); /* bytes that came before the interrupt was bound */
    for (;;) {
        sys_result_t r = sys_recv(notification);
        if (r.err == KERR_OK) {
            serve_input(&line);
        }
    }
}
