/*
 * Starting the servers proc-server depends on from their boot modules, each
 * with exactly the capabilities it needs.
 */
#ifndef PROC_SERVER_SERVERS_H
#define PROC_SERVER_SERVERS_H

#include <stddef.h>

#include "capsule/server.h"

/* proc-server's slots of the servers' endpoints, once started. */
typedef struct {
    cptr_t vfs;         /* vfs-server's endpoint, unbadged: sessions are minted from it */
    cptr_t vfs_control; /* proc-server's own session (VFS_BADGE_PROC_SERVER) */
} server_endpoints_t;

/* Starts vfs-server; returns 0 or -errno after printing what failed. */
int servers_start(server_endpoints_t *out);

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
 * asks proc-server (proc_endpoint) through a debug capability of its own.
 * 0, or -errno when it cannot be started. */
int servers_start_debug_console(cptr_t proc_endpoint);

#endif
