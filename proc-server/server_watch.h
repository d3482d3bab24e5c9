/*
 * The watcher: a second thread of proc-server that receives the servers'
 * faults on an endpoint of their own (docs/restart.md, "How proc-server
 * learns a server died"). proc-server's main thread may be blocked in a Call
 * to the very server that died; the watcher ends that Call (TCB_Cancel), so
 * the request in progress fails cleanly, and wakes the main thread through
 * its bound notification, which then rebuilds the server as before.
 *
 * The watcher touches nothing of the main thread's but the small state of
 * this file (and it invokes proc-server's and vfs-server's TCBs); it never
 * allocates, prints or takes a lock.
 */
#ifndef PROC_SERVER_SERVER_WATCH_H
#define PROC_SERVER_SERVER_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsule/server.h"

/* How many servers the watcher watches (servers.c's SERVERS_MAX at most). */
#define SERVER_WATCH_MAX 8

/* Creates the server-fault endpoint and starts the watcher thread, which
 * signals `wake` (a proc-server slot naming the notification bound to the
 * main thread) when a fault arrives. 0 or -errno. */
int server_watch_start(cptr_t wake);

/* proc-server's slot of the server-fault endpoint: each server's fault
 * capability is minted from it, badged with the server's index. */
cptr_t server_watch_endpoint(void);

/* Mints into `slot` (a free proc-server slot) server `index`'s fault
 * capability: the server-fault endpoint, Write, badged index + 1. */
int server_watch_mint(size_t index, cptr_t slot);

/* The watcher's TCB (a proc-server slot), for the listings. */
cptr_t server_watch_tcb(void);

/* A Call (or a blocking Send: `number` SYS_CALL or SYS_SEND) from the main
 * thread to server `index` through `cap`. If the server dies during it the
 * IPC ends with KERR_CANCELLED instead of waiting for good; if it had died
 * and is not rebuilt yet, it is not made: KERR_DELETED. */
sys_result_t server_watch_ipc(size_t index, int64_t number, cptr_t cap, uint64_t info, uint64_t mr0,
                              uint64_t mr1, uint64_t mr2, uint64_t mr3);

/* A fault the watcher took for server `index`: its kind (the fault
 * message's label), rip and address. */
typedef struct {
    uint64_t label, rip, address;
} server_watch_fault_t;

/* Main thread: takes server `index`'s fault, if the watcher reported one
 * since; the server stays marked dead (Calls to it fail at once). */
bool server_watch_take_fault(size_t index, server_watch_fault_t *out);

/* Main thread: server `index` runs in thread `tcb` (a proc-server slot;
 * CAP_NULL once destroyed) and Calls no server but `callee`
 * (SERVER_WATCH_MAX: none). Should `callee` die while that thread waits on
 * it, the wait is ended too (TCB_Cancel), so a Call of proc-server's to
 * `index` that waits on it in turn (vfs-server forwarding to
 * console-server) is answered. */
void server_watch_thread(size_t index, cptr_t tcb, size_t callee);

/* Main thread: server `index` was rebuilt; Calls reach it again. */
void server_watch_revived(size_t index);

#endif
