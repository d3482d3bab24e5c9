/*
 * console-server: the terminal on COM1. It owns the UART (an IOPort
 * capability for 0x3f8-0x3ff, IRQ 4 through an IRQHandler), runs the line
 * discipline, and serves write, read and ioctl. Its event loop waits on its
 * endpoint; a notification bound to its thread ends that wait when the UART
 * interrupts, so requests and input are served by one thread.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "uart.h"
#include "uapi/objects.h"

/* Bits of the notification word. */
enum {
    NOTIFY_IRQ = 1,
    NOTIFY_LOG = 2, /* Debug_Write added to the kernel log */
};

/* How often the kernel log is looked at when nothing signals: the kernel's
 * own messages (faults) signal no one. */
#define LOG_POLL_NS 50000000ull

#define RX_BURST 64

static console_t console;

/* The notification bound to the thread, and its copies badged NOTIFY_IRQ
 * (the IRQHandler signals it) and NOTIFY_LOG (the kernel log does). */
static cptr_t notification, irq_signal, log_signal;

static int bind_interrupt(void)
{
    notification = slot_alloc();
    irq_signal = slot_alloc();
    kerr_t err = KERR_NO_MEMORY;
    if (notification != CAP_NULL && irq_signal != CAP_NULL) {
        err = pool_create(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, CAP_INIT_CNODE, notification);
    }
    if (err == KERR_OK) {
        err = cnode_mint(CAP_INIT_CNODE, irq_signal, CAP_INIT_CNODE, notification, RIGHT_WRITE,
                         NOTIFY_IRQ);
    }
    if (err == KERR_OK) {
        err = tcb_bind_notification(CAP_INIT_TCB, notification);
    }
    if (err == KERR_OK) {
        err = irq_handler_set_notification(CAP_SERVER_IRQ, irq_signal);
    }
    if (err != KERR_OK) {
        fprintf(stderr, "console-server: cannot bind IRQ 4: %s\n", kerr_name(err));
        return -EIO;
    }
    return 0;
}

/* IRQ 4: take everything the UART holds, then let the line interrupt again. */
static void serve_interrupt(void)
{
    uint8_t bytes[RX_BURST];
    size_t n;
    while ((n = uart_receive(bytes, sizeof(bytes))) > 0) {
        console_input(&console, bytes, n);
    }
    irq_handler_ack(CAP_SERVER_IRQ);
}

static void serve_notification(uint64_t word)
{
    if (word & NOTIFY_IRQ) {
        serve_interrupt();
    }
    if (word & NOTIFY_LOG) {
        log_relay_drain(&console);
    }
}

static int take_over_log(void)
{
    log_signal = slot_alloc();
    if (log_signal == CAP_NULL || cnode_mint(CAP_INIT_CNODE, log_signal, CAP_INIT_CNODE,
                                             notification, RIGHT_WRITE, NOTIFY_LOG) != KERR_OK) {
        return -1;
    }
    return log_relay_start(log_signal);
}

/* Where the reply capability of a forwarded request lands: empty whenever
 * the server waits for a message. */
static cptr_t landing;

static console_request_t request_of(const sys_result_t *msg, cptr_t reply)
{
    console_request_t req = {
        .label = msginfo_label(msg->info),
        .length = msginfo_length(msg->info),
        .reply = reply,
        .badge = msg->badge,
        .caps = (unsigned)msginfo_caps(msg->info),
        .landing = landing,
        .descriptors = (unsigned)msginfo_descriptors(msg->info),
    };
    for (unsigned i = 0; i < CONSOLE_REQUEST_WORDS && i < req.length; i++) {
        req.mr[i] = i < MSG_REGISTERS_IN_CPU ? msg->mr[i] : ipc_buffer->mr[i];
    }
    return req;
}

/* A request vfs-server forwards: sent, not called, with the reply
 * capability of the process that asked in the landing slot. It is answered
 * through that capability, now or (a waiting read) later; a forwarded
 * message without one reaches nobody and is dropped. */
static void handle_forwarded(const sys_result_t *msg)
{
    if (msginfo_caps(msg->info) != 1) {
        fprintf(stderr, "console-server: forwarded request 0x%lx without a caller dropped\n",
                msginfo_label(msg->info));
        return;
    }
    console_request_t req = request_of(msg, landing);
    int64_t result = console_dispatch(&console, &req);
    if (result != CONSOLE_DEFERRED) {
        sys_send(landing, msginfo_make(0, 1), (uint64_t)result, 0);
    }
}

/* The forwarder's reads, writes and ioctls arrive by Send with the reply
 * capability of a process; its own requests (readiness) are Calls. */
static bool is_forwarded(const sys_result_t *msg)
{
    uint64_t label = msginfo_label(msg->info);
    return msg->badge == CONSOLE_BADGE_FORWARDER &&
           (label == CONSOLE_READ || label == CONSOLE_WRITE || label == CONSOLE_IOCTL);
}

/* Handles what woke the loop; returns true with `*result` when a Call is
 * answered now. */
static bool handle(const sys_result_t *msg, int64_t *result)
{
    if (msg->err == KERR_TIMEOUT) {
        log_relay_drain(&console);
    }
    if (msg->err != KERR_OK) {
        return false;
    }
    if (msginfo_label(msg->info) == MSG_LABEL_NOTIFICATION) {
        serve_notification(msg->badge);
        return false;
    }
    if (is_forwarded(msg)) {
        handle_forwarded(msg);
        return false;
    }
    console_request_t req = request_of(msg, CAP_REPLY_CURRENT);
    *result = console_dispatch(&console, &req);
    return *result != CONSOLE_DEFERRED;
}

static _Noreturn void serve(void)
{
    ipc_buffer->recv_slot = landing;
    sys_result_t msg = sys_recv(CAP_SERVER_ENDPOINT);
    for (;;) {
        int64_t result = 0;
        bool answer = handle(&msg, &result);
        cnode_delete(CAP_INIT_CNODE, landing); /* whatever was not kept or used */
        if (answer) {
            msg = sys_ipc(SYS_REPLY_RECV, CAP_SERVER_ENDPOINT, msginfo_make(0, 1), (uint64_t)result,
                          0, 0, 0);
        } else {
            msg = sys_recv(CAP_SERVER_ENDPOINT);
        }
    }
}

int main(void)
{
    landing = slot_alloc();
    if (landing == CAP_NULL || console_init(&console) != 0) {
        fprintf(stderr, "console-server: no free slots\n");
        return 1;
    }
    if (uart_init(CAP_SERVER_IO_PORT, UART_COM1) != 0) {
        fprintf(stderr, "console-server: no access to COM1 (ports 0x%x-0x%x)\n", UART_COM1,
                UART_COM1_LAST);
        return 1;
    }
    if (bind_interrupt() != 0 || take_over_log() != 0) {
        return 1;
    }
    ipc_buffer->timeout_ns = LOG_POLL_NS;
    fprintf(stderr, "console-server: ready on COM1\n");
    log_relay_drain(&console);
    serve_interrupt(); /* bytes typed before the interrupt was bound */
    serve();
}
