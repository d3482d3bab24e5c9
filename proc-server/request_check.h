/*
 * The fields of a proc-server request and the checks that need nothing but
 * them: wait4/waitid's words, exit's status, spawn's flags and descriptors,
 * the lengths of the strings a request lends. Pure (no IPC, no process
 * table), so the handlers call them before acting and the host fuzzes them
 * (tests/fuzz/fuzz_proc_request.c). Each handler calls its check where it
 * always checked those fields, so the order of errors stays the handler's.
 */
#ifndef PROC_SERVER_REQUEST_CHECK_H
#define PROC_SERVER_REQUEST_CHECK_H

#include <stdint.h>

#include "capsule/kernel.h"

typedef struct {
    uint64_t label;
    uint64_t length; /* message registers sent */
    uint64_t descriptors;
    uint64_t mr[4];
    uint64_t reply_mr1; /* set by a handler that answers two words */
    uint64_t reply_mr2, reply_mr3, reply_mr4;
    unsigned reply_length; /* words answered (MR0 the result), 2 when 0 */
    cptr_t reply_cap;      /* a slot of proc-server's the answer carries (then deleted), or 0 */
} request_t;

/* PROC_EXIT: MR0 the status word as wait(2) reads it; only the exit code
 * (bits 8..15) is kept, never a signal. -EINVAL without MR0. */
int proc_exit_args(const request_t *req, int *code);

/* PROC_WAIT4: MR0 a pid (an int, sign-extended), MR1 wait4's options
 * (32 bits). -EINVAL. */
int proc_wait4_args(const request_t *req, int *pid, int *options);

/* PROC_WAITID: MR0 idtype, MR1 id, MR2 options (32 bits each), as the
 * (pid, options) pair of a wait (wait4.h). -EINVAL, -EBADF. */
int proc_waitid_args(const request_t *req, int *pid, int *options);

/* A string the request lends as a descriptor, `len` bytes: -EINVAL past
 * `max`, -EFAULT when bytes are due but no descriptor was lent. */
int proc_string_len(const request_t *req, uint64_t len, uint64_t max);

/* PROC_SPAWN's MR1 flags: -EINVAL for an unknown flag, SUSPENDED with JOIN,
 * or PTY without JOIN or with a descriptor given.
 * Then proc_spawn_fd gives the caller's descriptor i (0..2) the child gets
 * as i, -1 for none. */
int proc_spawn_flags(uint64_t flags);
int proc_spawn_fd(uint64_t flags, unsigned i);

/* PROC_SPAWN with PROC_SPAWN_MOUNTS_OF: MR2 holds the scope handle (low 32
 * bits) and a cwd's length (bits 32-47, at most max_cwd; lent as desc 1),
 * MR3 the hostname handle (low 32 bits) and the PID whose mounts the child
 * takes (bits 32-62, positive). -EINVAL, -EFAULT (a cwd but no desc 1).
 * Without the flag *pid is 0 and the words are handles as they are. */
int proc_spawn_mounts_args(const request_t *req, uint64_t max_cwd, int *pid, uint64_t *cwd_len);
/* PROC_SCOPE_JOIN, PROC_HOSTNAME_JOIN: MR0 a positive PID. -EINVAL. */
int proc_join_pid_arg(const request_t *req, int *pid);

/* A container's kill (MR0 signal 1..64, MR1 0: its PID 1, 1: all). */
int proc_container_kill_args(const request_t *req);

#endif
