/*
 * The server runtime: musl-linked servers run ordinary C (stdio, malloc,
 * string functions) on top of a small personality that serves their few
 * Linux system calls locally — memory from their own pool, output to the
 * kernel log — and never calls another server.
 *
 * A server starts like a root task (rdi = a boot-info page, the usual
 * CAP_INIT_* slots); main(argc, argv) gets the words of the boot-info
 * command line.
 */
#ifndef CAPSULE_SERVER_H
#define CAPSULE_SERVER_H

#include "capsule/kernel.h"
#include "capsule/slots.h"
#include "uapi/bootinfo.h"

/* What the server was started with. */
const bootinfo_t *server_bootinfo(void);

#endif
