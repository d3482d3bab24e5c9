/*
 * The text of procfs files, in Linux's formats (proc(5)), from a process's
 * record of the process-table page and what vfs-server knows itself. Pure:
 * no IPC, no clock, unit-tested on the host.
 *
 * Each function writes at most size bytes (NUL-terminated when size > 0,
 * except procfs_cmdline, whose bytes are NUL-separated) and returns the full
 * length, as snprintf does.
 */
#ifndef VFS_PROCFS_TEXT_H
#define VFS_PROCFS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol/proc_table.h"

#define PROCFS_USER_HZ 100 /* clock ticks per second in stat, as Linux's USER_HZ */

/* /proc/<pid>/stat: one line, the 52 fields of proc(5); what vfs-server cannot know is 0. */
size_t procfs_stat(const proc_record_t *r, char *buf, size_t size);
/* /proc/<pid>/status: Name, Umask, State, Tgid, Pid, PPid, TracerPid, Uid, Gid, FDSize, Threads. */
size_t procfs_status(const proc_record_t *r, mode_t umask, char *buf, size_t size);
/* /proc/<pid>/cmdline: argv NUL-separated; empty for a zombie (as Linux). */
size_t procfs_cmdline(const proc_record_t *r, char *buf, size_t size);
/* /proc/<pid>/comm: the name and a newline. */
size_t procfs_comm(const proc_record_t *r, char *buf, size_t size);
/* CPU time the kernel sampled since boot (its info page): ticks that
 * found a thread running, and ticks that found the CPU idle. */
typedef struct procfs_cpu {
    uint64_t busy_ticks, idle_ticks, tick_hz;
} procfs_cpu_t;

/* /proc/uptime: seconds since boot and seconds the CPU was idle. */
size_t procfs_uptime(uint64_t now_ns, const procfs_cpu_t *cpu, char *buf, size_t size);

/* /proc/meminfo: MemTotal only. How much is free is not known to
 * vfs-server (processes allocate from their pools without asking), and a
 * guess is not shown. */
size_t procfs_meminfo(uint64_t mem_total, char *buf, size_t size);

/* What the reader sees of the process table, for /proc/loadavg and /proc/stat. */
typedef struct procfs_counts {
    unsigned total;  /* processes it sees, zombies included */
    unsigned in_r;   /* of those, in state R: running or blocked (not told apart) */
    int last_nr;     /* its number for the one created last; 0: none */
    uint64_t boot_s; /* boot, in seconds since the epoch */
    procfs_cpu_t cpu;
} procfs_counts_t;

/* /proc/loadavg: the load is not measured and shows as 0.00; then
 * in_r/total and the last created process's number. */
size_t procfs_loadavg(const procfs_counts_t *c, char *buf, size_t size);
/* /proc/stat: the cpu line and one cpu0 line (one CPU) in USER_HZ ticks:
 * busy time as user (processes and servers alike run in user mode; the
 * kernel's own paths are too short to be sampled), idle, the other
 * columns 0; then btime and procs_running as the state-R count. */
size_t procfs_global_stat(const procfs_counts_t *c, char *buf, size_t size);

/*
 * The absolute path named by path (len bytes) from directory base (an
 * absolute path), with ".", ".." and repeated slashes removed lexically (no
 * symlink is followed): what /proc/<pid>/fd/N shows for a file opened by that
 * name. -ENAMETOOLONG when out (size bytes) is too small, else the length.
 */
int procfs_join_path(const char *base, const char *path, size_t len, char *out, size_t size);

#endif
