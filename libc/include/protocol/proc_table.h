/*
 * The process-table page: what proc-server publishes about every process,
 * mapped read-write into proc-server and read-only into vfs-server (for
 * procfs) at PROC_TABLE_VADDR in both.
 *
 * Why a shared page and not a request: servers are ordered proc-server →
 * vfs-server → console-server and may Call only to their right, so
 * vfs-server can never ask proc-server anything (docs/architecture.md).
 *
 * Layout: PROC_TABLE_SLOTS records of PROC_RECORD_SIZE bytes. The record
 * of the process whose global PID (its number in the root scope) is P is
 * record P: PIDs run from 1 to PROC_TABLE_SLOTS - 1, so record 0 is free
 * for the header (proc_table_header_t): facts about the whole system,
 * written once before vfs-server starts. A record with pid 0 is free. Numbers in a record (pid,
 * ppid, pgrp, sid) are global PIDs; 0 means none (a process of proc-server's own has ppid 0).
 *
 * Scoped numbering (proc-server/scope.h): a process of a scope at level L
 * has a number in its scope and in each ancestor. A viewer sees only the
 * processes of its own scope and below, by its scope's numbers (procfs,
 * docs/protocols/vfs.md). For that a record carries its level, its number
 * in its own scope, and for the levels 1..PROC_RECORD_LEVELS the scope it
 * lies in there and its number there. A viewer at a deeper level can still
 * tell the processes of its own scope (scope_id) but not those of the
 * scopes below it: it is shown less, never more than it could name.
 *
 * Consistency is a sequence lock per record: proc-server makes seq odd,
 * writes the record, then makes it even again; a reader copies the record
 * and keeps the copy only when seq was even and unchanged around the copy
 * (proc_record_snapshot). Only proc-server writes, so writers never race.
 */
#ifndef CAPSULE_PROTOCOL_PROC_TABLE_H
#define CAPSULE_PROTOCOL_PROC_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define PROC_TABLE_VADDR 0x400000000000ull
#define PROC_TABLE_SLOTS 32768 /* proc-server's PID_MAX: global PIDs 1..32767 */
#define PROC_RECORD_SIZE 256
#define PROC_TABLE_SIZE ((uint64_t)PROC_TABLE_SLOTS * PROC_RECORD_SIZE)

#define PROC_RECORD_COMM_LEN 16 /* as Linux's TASK_COMM_LEN: 15 bytes and a NUL */
#define PROC_RECORD_CMDLINE_LEN 128
#define PROC_RECORD_LEVELS 4 /* scope levels below the root a record names */

/* flags */
#define PROC_RECORD_JAILED 0x01      /* the process is jailed (set once) */
#define PROC_RECORD_CMDLINE_CUT 0x02 /* cmdline holds only the first bytes of argv */
#define PROC_RECORD_NO_ADMIN 0x04    /* may not mount, umount or set names (set once) */
#define PROC_RECORD_NO_KILL 0x08     /* signals only its own process group (set once) */
#define PROC_RECORD_NO_CHROOT 0x10   /* may not chroot (set once) */

typedef struct proc_record {
    uint32_t seq;                    /* odd while proc-server writes the record */
    int32_t pid;                     /* global PID; 0: the record is free */
    int32_t ppid;                    /* the parent's global PID; 0: none */
    int32_t pgrp;                    /* process group, by its leader's global PID */
    int32_t sid;                     /* session, likewise */
    char state;                      /* 'R' running (or blocked), 'T' stopped, 'Z' zombie */
    uint8_t flags;                   /* PROC_RECORD_* */
    uint16_t cmdline_len;            /* bytes used in cmdline, each argument's NUL included */
    uint64_t scope_id;               /* the process's scope (0: the root scope) */
    uint64_t start_ns;               /* creation (spawn or fork), ns since boot */
    uint64_t exit_ns;                /* when it became a zombie; 0 while it lives */
    char comm[PROC_RECORD_COMM_LEN]; /* NUL-terminated */
    int32_t own_nr;                  /* its number in its own scope */
    int32_t pgrp_own;                /* its group's number there; 0: not seen there */
    int32_t sid_own;                 /* its session's, likewise */
    uint8_t level;                   /* its scope's level: the root scope is 0 */
    uint8_t reserved[3];
    uint64_t scope_at[PROC_RECORD_LEVELS]; /* [l - 1]: the scope it lies in at level l */
    int32_t nr_at[PROC_RECORD_LEVELS];     /* [l - 1]: its number there; 0 below its level */
    char cmdline[PROC_RECORD_CMDLINE_LEN]; /* argv, each NUL-terminated, back to back */
} proc_record_t;

_Static_assert(sizeof(proc_record_t) == PROC_RECORD_SIZE, "a record is PROC_RECORD_SIZE bytes");

/* Record 0 of the table. */
typedef struct proc_table_header {
    uint64_t mem_total; /* usable RAM the kernel found, bytes (bootinfo); 0: unknown */
} proc_table_header_t;

_Static_assert(sizeof(proc_table_header_t) <= PROC_RECORD_SIZE, "the header fits record 0");

/* The record of global PID pid in a table at base, or NULL when pid is out of range. */
static inline volatile proc_record_t *proc_table_slot(volatile void *base, int pid)
{
    if (pid <= 0 || pid >= PROC_TABLE_SLOTS) {
        return NULL;
    }
    return (volatile proc_record_t *)base + pid;
}

/* proc-server's side: replaces the record in slot with rec (rec->seq is ignored). */
static inline void proc_record_publish(volatile proc_record_t *slot, const proc_record_t *rec)
{
    uint32_t seq = __atomic_load_n(&slot->seq, __ATOMIC_RELAXED);
    __atomic_store_n(&slot->seq, seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE); /* odd before any byte changes */
    memcpy((char *)slot + sizeof(slot->seq), (const char *)rec + sizeof(rec->seq),
           sizeof(*rec) - sizeof(rec->seq));
    __atomic_store_n(&slot->seq, seq + 2, __ATOMIC_RELEASE); /* every byte before even */
}

/*
 * A reader's side: copies slot into out when the copy is consistent; false
 * when proc-server was writing it every time of `tries` attempts. A
 * consistent copy may be a free record (out->pid == 0).
 */
static inline bool proc_record_snapshot(const volatile proc_record_t *slot, proc_record_t *out,
                                        unsigned tries)
{
    for (unsigned i = 0; i < tries; i++) {
        uint32_t before = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE);
        if (before & 1) {
            continue;
        }
        memcpy(out, (const char *)slot, sizeof(*out));
        __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the copy before the second look */
        if (__atomic_load_n(&slot->seq, __ATOMIC_RELAXED) == before) {
            out->seq = before;
            return true;
        }
    }
    return false;
}

#endif
