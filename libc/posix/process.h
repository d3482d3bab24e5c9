/* Requests to proc-server about the calling process. */
#ifndef CAPSULE_POSIX_PROCESS_H
#define CAPSULE_POSIX_PROCESS_H

#include <stddef.h>
#include <stdint.h>

int64_t process_getpid(void);
int64_t process_getppid(void);
int64_t process_wait4(int64_t pid, uint64_t status_addr, uint64_t options, uint64_t rusage_addr);
/* waitid(2): P_ALL, P_PID, P_PGID with WEXITED, WSTOPPED, WCONTINUED,
 * WNOHANG, WNOWAIT; siginfo filled as Linux fills it. */
int64_t process_waitid(uint64_t idtype, uint64_t id, uint64_t info_addr, uint64_t options,
                       uint64_t rusage_addr);
_Noreturn void process_exit(uint64_t code);
int64_t process_simple(uint64_t label, uint64_t mr0, uint64_t mr1);
int64_t process_uname(uint64_t buf);
/* A fork child: its PID is not its parent's. */
void process_forget_pid(void);
int64_t process_reboot(uint64_t magic, uint64_t magic2, uint64_t cmd);
int64_t process_set_name(uint64_t label, uint64_t name, uint64_t len);
/* prctl(2): PR_SET_NAME and PR_GET_NAME (comm, in proc-server); any other
 * option is -EINVAL, as Linux answers an unknown one. */
int64_t process_prctl(uint64_t option, uint64_t arg);

/* Copies to the program's memory; -EFAULT if it is not writable there. */
int64_t user_put(uint64_t addr, const void *src, size_t len);
int64_t user_put_u64(uint64_t addr, uint64_t value);
/* Copies from the program's memory; -EFAULT if it is not readable there. */
int64_t user_copy_in(void *dst, uint64_t addr, size_t len);
/* Reads a byte of each page of [addr, addr + len), up to the first that is
 * not there: a page made on first touch (the stack's, the heap's, an
 * image's .bss) is made now, as a server's copy into a lent buffer takes no
 * fault. */
void user_touch(uint64_t addr, uint64_t len);

#endif
