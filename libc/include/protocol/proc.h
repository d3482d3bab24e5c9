/*
 * proc-server's protocol (see docs/protocols/proc.md). Requests come on a
 * process's session endpoint, whose badge names the process.
 */
#ifndef CAPSULE_PROTOCOL_PROC_H
#define CAPSULE_PROTOCOL_PROC_H

#include "protocol/server.h"

enum {
    /* MR0 = the wait(2) status word the process ends with. No reply. */
    PROC_EXIT = 0x100,
    /* Reply: the caller's PID (or parent's), in its own scope's numbering. */
    PROC_GETPID = 0x101,
    PROC_GETPPID = 0x102,
    /* MR0 = pid selector as wait4(2), MR1 = options (WNOHANG).
     * Reply: MR0 = the PID reaped (0 with WNOHANG and none ready) or -errno,
     * MR1 = its status. */
    PROC_WAIT4 = 0x103,
    /* No fields: proc-server copies the caller's address space, capabilities
     * and registers while it waits. Reply: the child's PID; the child starts
     * at the runtime's fork_child entry. */
    PROC_FORK = 0x104,
    /* MR0 = bytes of the packed path, argv and envp (proc-server/exec_args.h)
     * lent as descriptor 0. No reply on success: the caller's image is
     * replaced. -errno to the old image otherwise. */
    PROC_EXEC = 0x105,
    /* desc 0 = a struct utsname (DESC_WRITE), filled from the caller's
     * hostname context. */
    PROC_UNAME = 0x106,
    /* MR0 = length; desc 0 = the name (DESC_READ). -EINVAL past 64 bytes. */
    PROC_SETHOSTNAME = 0x107,
    PROC_SETDOMAINNAME = 0x108,
    /* As setpgid(2), getpgid(2), setsid(2), getsid(2): MR0 pid, MR1 pgid. */
    PROC_SETPGID = 0x109,
    PROC_GETPGID = 0x10a,
    PROC_SETSID = 0x10b,
    PROC_GETSID = 0x10c,
    /* MR0 = pid selector as kill(2), MR1 = signal. */
    PROC_KILL = 0x10d,
    /* MR0 magic, MR1 magic2, MR2 command: reboot(2)'s arguments. Only an
     * unjailed process of the root scope; RB_POWER_OFF and RB_HALT_SYSTEM
     * end the machine (no reply), RB_AUTOBOOT restarts it. */
    PROC_REBOOT = 0x120,
    /* prctl(PR_SET_NAME): MR0 length (at most 15); desc 0 = its bytes
     * (DESC_READ). The process's comm becomes them. */
    PROC_SET_COMM = 0x130,
    /* prctl(PR_GET_NAME): desc 0 = 16 bytes (DESC_WRITE): comm, NUL-padded */
    PROC_GET_COMM = 0x131,
};

#endif
