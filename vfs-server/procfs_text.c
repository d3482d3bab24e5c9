/* Formatting procfs files. */
#include "procfs_text.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* What proc(5)'s State field and status's State line say for a state letter. */
static const char *state_name(char state)
{
    switch (state) {
    case 'T':
        return "T (stopped)";
    case 'Z':
        return "Z (zombie)";
    default:
        return "R (running)";
    }
}

static size_t as_size(int n)
{
    return n < 0 ? 0 : (size_t)n;
}

size_t procfs_stat(const proc_record_t *r, char *buf, size_t size)
{
    unsigned long long start = r->start_ns / (1000000000ull / PROCFS_USER_HZ);
    /* Fields 1-8, 9-21 (flags..itrealvalue), 22 starttime, 23-52. tpgid is -1
     * (no terminal is known here), num_threads 1, exit_signal SIGCHLD (17). */
    return as_size(snprintf(buf, size,
                            "%d (%s) %c %d %d %d 0 -1 "
                            "0 0 0 0 0 0 0 0 0 20 0 1 0 %llu "
                            "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
                            r->pid, r->comm, r->state, r->ppid, r->pgrp, r->sid, start));
}

size_t procfs_status(const proc_record_t *r, mode_t umask, char *buf, size_t size)
{
    return as_size(snprintf(buf, size,
                            "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
                            "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t256\n"
                            "Threads:\t1\n",
                            r->comm, (unsigned)umask & 0777, state_name(r->state), r->pid, r->pid,
                            r->ppid));
}

size_t procfs_cmdline(const proc_record_t *r, char *buf, size_t size)
{
    size_t len = r->state == 'Z' ? 0 : r->cmdline_len;
    if (len > sizeof(r->cmdline)) {
        len = sizeof(r->cmdline);
    }
    memcpy(buf, r->cmdline, len < size ? len : size);
    return len;
}

size_t procfs_comm(const proc_record_t *r, char *buf, size_t size)
{
    return as_size(snprintf(buf, size, "%.*s\n", (int)sizeof(r->comm), r->comm));
}

#define USER_HZ 100 /* the unit of /proc/stat's times */

/* Ticks of the kernel's clock in hundredths of a second. */
static unsigned long long centis_of(uint64_t ticks, uint64_t tick_hz)
{
    return tick_hz == 0 ? 0
                        : (unsigned long long)(ticks / tick_hz * USER_HZ +
                                               ticks % tick_hz * USER_HZ / tick_hz);
}

size_t procfs_uptime(uint64_t now_ns, const procfs_cpu_t *cpu, char *buf, size_t size)
{
    unsigned long long centis = now_ns / 10000000ull;
    unsigned long long idle = centis_of(cpu->idle_ticks, cpu->tick_hz);
    return as_size(snprintf(buf, size, "%llu.%02llu %llu.%02llu\n", centis / 100, centis % 100,
                            idle / 100, idle % 100));
}

size_t procfs_meminfo(uint64_t mem_total, char *buf, size_t size)
{
    return as_size(
        snprintf(buf, size, "MemTotal:       %8llu kB\n", (unsigned long long)(mem_total / 1024)));
}

size_t procfs_loadavg(const procfs_counts_t *c, char *buf, size_t size)
{
    return as_size(snprintf(buf, size, "0.00 0.00 0.00 %u/%u %d\n", c->in_r, c->total, c->last_nr));
}

size_t procfs_global_stat(const procfs_counts_t *c, char *buf, size_t size)
{
    /* cpu: user nice system idle iowait irq softirq steal guest guest_nice */
    unsigned long long busy = centis_of(c->cpu.busy_ticks, c->cpu.tick_hz);
    unsigned long long idle = centis_of(c->cpu.idle_ticks, c->cpu.tick_hz);
    return as_size(snprintf(buf, size,
                            "cpu  %llu 0 0 %llu 0 0 0 0 0 0\ncpu0 %llu 0 0 %llu 0 0 0 0 0 0\n"
                            "btime %llu\nprocs_running %u\n",
                            busy, idle, busy, idle, (unsigned long long)c->boot_s, c->in_r));
}

/* Appends component (n bytes) to out at *used, or removes the last one for "..". */
static int join_component(char *out, size_t size, size_t *used, const char *c, size_t n)
{
    if (n == 0 || (n == 1 && c[0] == '.')) {
        return 0;
    }
    if (n == 2 && c[0] == '.' && c[1] == '.') {
        while (*used > 0 && out[*used - 1] != '/') {
            (*used)--;
        }
        if (*used > 0) {
            (*used)--; /* the slash before it */
        }
        return 0;
    }
    if (*used + 1 + n >= size) {
        return -ENAMETOOLONG;
    }
    out[(*used)++] = '/';
    memcpy(out + *used, c, n);
    *used += n;
    return 0;
}

static int join_all(const char *p, size_t len, char *out, size_t size, size_t *used)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && p[j] != '/') {
            j++;
        }
        int err = join_component(out, size, used, p + i, j - i);
        if (err < 0) {
            return err;
        }
        i = j + 1;
    }
    return 0;
}

int procfs_join_path(const char *base, const char *path, size_t len, char *out, size_t size)
{
    if (size < 2) {
        return -ENAMETOOLONG;
    }
    size_t used = 0;
    int err = 0;
    if (len == 0 || path[0] != '/') {
        err = join_all(base, strlen(base), out, size, &used);
    }
    if (err == 0) {
        err = join_all(path, strnlen(path, len), out, size, &used);
    }
    if (err < 0) {
        return err;
    }
    if (used == 0) {
        out[used++] = '/';
    }
    out[used] = '\0';
    return (int)used;
}
