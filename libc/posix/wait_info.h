/*
 * waitid(2)'s siginfo from a wait(2) status word: proc-server answers wait4
 * and waitid alike with the status word, and the runtime turns it into the
 * si_code and si_status Linux writes. Pure, unit-tested on the host.
 */
#ifndef CAPSULE_POSIX_WAIT_INFO_H
#define CAPSULE_POSIX_WAIT_INFO_H

#include <stdint.h>

/* The six fields Linux's waitid writes (and only these: the padding after
 * si_code and si_utime/si_stime stay as the program left them). */
typedef struct {
    int32_t signo;  /* SIGCHLD, or 0 when WNOHANG found nothing */
    int32_t errno_; /* always 0 */
    int32_t code;   /* CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED */
    int32_t pid;    /* the child in the caller's numbering, 0 when nothing */
    uint32_t uid;   /* the child's real user: root, 0 */
    int32_t status; /* the exit code, or the signal that killed, stopped or continued it */
} wait_info_t;

/* The siginfo for child `pid` (0: none reported, every field 0) whose wait
 * status is `wstatus`. */
wait_info_t wait_info_from_status(int32_t pid, uint32_t wstatus);

#endif
