/*
 * Starting the servers proc-server depends on from their boot modules, each
 * with exactly the capabilities it needs.
 */
#ifndef PROC_SERVER_SERVERS_H
#define PROC_SERVER_SERVERS_H

#include <stdbool.h>
#include <stddef.h>

#include "capsule/server.h"
#include "requests.h"

/* proc-server's slots of the servers' endpoints, once started. */
typedef struct {
    cptr_t vfs;         /* vfs-server's endpoint, unbadged: sessions are minted from it */
    cptr_t vfs_control; /* proc-server's own session (VFS_BADGE_PROC_SERVER) */
} server_endpoints_t;

/* Starts console-server and vfs-server, each with the watcher's endpoint
 * (server_watch.h, started first) badged for it as its fault endpoint;
 * `proc_server_endpoint` is proc-server's own. Returns 0 or -errno after
 * printing what failed. */
int servers_start(cptr_t proc_server_endpoint, server_endpoints_t *out);

/* The watcher reported faults (the main thread's notification fired):
 * each faulted server is logged and, if it can be restarted, destroyed and
 * built anew from its boot module with the same capabilities
 * (docs/restart.md). A faulted thread is never answered. */
void servers_handle_faults(void);

/* A Call of proc-server's to server `id` (DEBUG_SERVER_*) through `cap`:
 * if the server dies meanwhile it ends with KERR_CANCELLED rather than
 * never; one dead and not rebuilt yet is not called: KERR_DELETED
 * (server_watch.h). */
sys_result_t servers_call(uint64_t id, cptr_t cap, uint64_t info, uint64_t mr0, uint64_t mr1,
                          uint64_t mr2, uint64_t mr3);

/* The kernel command-line word that lets DEBUG_SERVER_CRASH act. */
#define SERVERS_CRASH_WORD "capsule.test_crash"
void servers_init_crash(const char *cmdline, uint64_t max);

/* DEBUG_SERVER_CRASH: makes the server that `arg` names (DEBUG_SERVER_* |
 * DEBUG_CRASH_* << DEBUG_CRASH_SHIFT) fault, at once or during proc-server's
 * next Call of a kind, by a message on proc-server's session with it
 * (vfs_session, console_session); *name is its module's. -ENOSYS without
 * SERVERS_CRASH_WORD, -ESRCH for no such server running, -EINVAL for a
 * moment that server has not. */
int servers_crash(uint64_t arg, cptr_t vfs_session, cptr_t console_session, const char **name);

/* The CSpace of running server `id` (DEBUG_SERVER_*): its CNode (a
 * proc-server slot), size, module name and how often it was restarted;
 * -ESRCH when none runs. */
int servers_cspace(uint64_t id, cptr_t *cnode, unsigned *bits, const char **name,
                   unsigned *restarts);

/* The sum of the pool ceilings of the servers started: what they may still
 * come to hold, which processes must leave them (scope_memory_init). */
uint64_t servers_memory(void);

/* Asks a server for its debug summary and prints it. */
int servers_print_summary(cptr_t endpoint);

/* A server proc-server started: its module's name and its TCB and pool
 * (proc-server's slots). */
#define SERVERS_MAX 8
typedef struct {
    const char *name;
    cptr_t tcb, pool;
} server_record_t;
/* The servers started so far, in order; *out points at the records. */
size_t servers_started(const server_record_t **out);

/* A console-server capability badged CONSOLE_BADGE_DEBUG, for relaying the
 * debug protocol (protocol/debug.h); CAP_NULL without a console-server. */
cptr_t servers_console_debug(void);

/* Starts the debug console on COM2 when the image carries its module; it
 * asks proc-server through a debug capability of its own.
 * 0, or -errno when it cannot be started. */
int servers_start_debug_console(void);

#endif
