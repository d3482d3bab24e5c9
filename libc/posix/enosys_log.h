/* Reporting a system call answered -ENOSYS (enosys_filter.h says when). */
#ifndef CAPSULE_POSIX_ENOSYS_LOG_H
#define CAPSULE_POSIX_ENOSYS_LOG_H

#include <stdint.h>

/* Call after a system call `nr` was answered -ENOSYS: the first time for
 * this number in this process, and only when the kernel command line asks,
 * proc-server is told (PROC_LOG_ENOSYS) and logs it. */
void enosys_log_note(uint64_t nr);

/* A fork child: nothing reported yet. */
void enosys_log_forget(void);

#endif
