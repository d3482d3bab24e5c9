/*
 * PROC_LOG_ENOSYS: a process's runtime reports a system call it answered
 * -ENOSYS. With the word posix.log_enosys on the kernel command line,
 * proc-server logs the caller and the number, at a limited rate across all
 * processes (log_limit.h); without it, the request does nothing.
 */
#ifndef PROC_ENOSYS_LOG_H
#define PROC_ENOSYS_LOG_H

#include <stdint.h>

#include "process.h"

/* Reads the kernel command line once, at boot. */
void enosys_log_init(const char *kernel_cmdline, uint64_t max);

/* The request: always 0 (a report cannot fail the caller). */
int64_t enosys_log_request(const process_t *caller, uint64_t nr);

#endif
