/* procfs's file formats (vfs-server/procfs_text.c): what ps and friends parse. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "procfs_text.h"

static proc_record_t sample(void)
{
    proc_record_t r = {.pid = 42, .ppid = 1, .pgrp = 40, .sid = 7, .state = 'T'};
    strcpy(r.comm, "sleep");
    memcpy(r.cmdline,
           "sleep\0"
           "10",
           9);
    r.cmdline_len = 9;
    r.start_ns = 2500000000ull; /* 2.5 s: 250 ticks */
    return r;
}

static size_t count_fields(const char *line)
{
    size_t n = 0;
    for (const char *p = line; *p != '\0'; p++) {
        if (*p != ' ' && *p != '\n' && (p == line || p[-1] == ' ')) {
            n++;
        }
    }
    return n;
}

static void test_stat_line(void **state)
{
    (void)state;
    proc_record_t r = sample();
    char buf[1024];
    size_t n = procfs_stat(&r, buf, sizeof(buf));
    assert_int_equal(n, strlen(buf));
    assert_true(strncmp(buf, "42 (sleep) T 1 40 7 0 -1 ", 25) == 0);
    assert_int_equal(count_fields(buf), 52);
    /* field 22, starttime, in clock ticks; field 38, exit_signal, SIGCHLD */
    char copy[1024];
    strcpy(copy, buf);
    char *fields[52];
    size_t i = 0;
    for (char *t = strtok(copy, " \n"); t != NULL && i < 52; t = strtok(NULL, " \n")) {
        fields[i++] = t;
    }
    assert_string_equal(fields[21], "250");
    assert_string_equal(fields[37], "17");
    assert_int_equal(buf[n - 1], '\n');
    /* cut to the buffer like snprintf, full length returned */
    char small[8];
    assert_int_equal(procfs_stat(&r, small, sizeof(small)), n);
    assert_string_equal(small, "42 (sle");
}

static void test_status(void **state)
{
    (void)state;
    proc_record_t r = sample();
    char buf[1024];
    procfs_status(&r, 027, buf, sizeof(buf));
    assert_non_null(strstr(buf, "Name:\tsleep\n"));
    assert_non_null(strstr(buf, "Umask:\t0027\n"));
    assert_non_null(strstr(buf, "State:\tT (stopped)\n"));
    assert_non_null(strstr(buf, "Pid:\t42\nPPid:\t1\n"));
    assert_non_null(strstr(buf, "Uid:\t0\t0\t0\t0\n"));
    r.state = 'Z';
    procfs_status(&r, 022, buf, sizeof(buf));
    assert_non_null(strstr(buf, "State:\tZ (zombie)\n"));
}

static void test_cmdline_and_comm(void **state)
{
    (void)state;
    proc_record_t r = sample();
    char buf[64];
    assert_int_equal(procfs_cmdline(&r, buf, sizeof(buf)), 9);
    assert_memory_equal(buf,
                        "sleep\0"
                        "10",
                        9);
    r.state = 'Z'; /* a zombie's command line reads empty, as on Linux */
    assert_int_equal(procfs_cmdline(&r, buf, sizeof(buf)), 0);
    r.cmdline_len = 60000; /* a corrupt length stays inside the record */
    r.state = 'R';
    char big[512];
    assert_int_equal(procfs_cmdline(&r, big, sizeof(big)), PROC_RECORD_CMDLINE_LEN);
    procfs_comm(&r, buf, sizeof(buf));
    assert_string_equal(buf, "sleep\n");
    memset(r.comm, 'x', sizeof(r.comm)); /* unterminated: at most 16 bytes */
    procfs_comm(&r, buf, sizeof(buf));
    assert_int_equal(strlen(buf), 17);
}

static void test_uptime(void **state)
{
    (void)state;
    char buf[64];
    procfs_cpu_t cpu = {.busy_ticks = 23000, .idle_ticks = 100456, .tick_hz = 1000};
    procfs_uptime(123456789012ull, &cpu, buf, sizeof(buf));
    assert_string_equal(buf, "123.45 100.45\n");
    cpu.tick_hz = 0; /* never divides by it */
    procfs_uptime(123456789012ull, &cpu, buf, sizeof(buf));
    assert_string_equal(buf, "123.45 0.00\n");
}

static void test_loadavg_and_stat(void **state)
{
    (void)state;
    procfs_counts_t c = {.total = 5,
                         .in_r = 3,
                         .last_nr = 17,
                         .boot_s = 1700000000,
                         .cpu = {.busy_ticks = 2509, .idle_ticks = 7000, .tick_hz = 1000}};
    char buf[256];
    size_t n = procfs_loadavg(&c, buf, sizeof(buf));
    assert_string_equal(buf, "0.00 0.00 0.00 3/5 17\n");
    assert_int_equal(n, strlen(buf));
    n = procfs_global_stat(&c, buf, sizeof(buf));
    assert_int_equal(n, strlen(buf));
    /* 1 kHz ticks in hundredths: busy as user, idle fourth */
    assert_non_null(strstr(buf, "cpu  250 0 0 700 0 0 0 0 0 0\n"));
    assert_non_null(strstr(buf, "\ncpu0 250 0 0 700 0 0 0 0 0 0\n"));
    assert_true(strncmp(buf, "cpu ", 4) == 0); /* the first line, as top reads it */
    assert_non_null(strstr(buf, "\nbtime 1700000000\n"));
    assert_non_null(strstr(buf, "\nprocs_running 3\n"));
}

static void test_meminfo(void **state)
{
    (void)state;
    char buf[64];
    size_t n = procfs_meminfo(512ull << 20, buf, sizeof(buf));
    assert_string_equal(buf, "MemTotal:         524288 kB\n");
    assert_int_equal(n, strlen(buf));
}

static void test_join_path(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(procfs_join_path("/tmp", "a/../b//c/.", 11, out, sizeof(out)), 8);
    assert_string_equal(out, "/tmp/b/c");
    procfs_join_path("/tmp", "/etc/commands", 13, out, sizeof(out));
    assert_string_equal(out, "/etc/commands");
    procfs_join_path("/", "../../..", 8, out, sizeof(out));
    assert_string_equal(out, "/");
    procfs_join_path("/a", "", 0, out, sizeof(out));
    assert_string_equal(out, "/a");
    assert_int_equal(
        procfs_join_path("/", "0123456789012345678901234567890123", 34, out, sizeof(out)),
        -ENAMETOOLONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stat_line),        cmocka_unit_test(test_status),
        cmocka_unit_test(test_cmdline_and_comm), cmocka_unit_test(test_uptime),
        cmocka_unit_test(test_join_path),        cmocka_unit_test(test_loadavg_and_stat),
        cmocka_unit_test(test_meminfo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
