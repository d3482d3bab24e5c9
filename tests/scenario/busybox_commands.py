"""Debian's busybox-static, unmodified (glibc, static), runs through the
POSIX runtime: applets by name and through symbolic links, ash with
arithmetic, redirections, cd and pwd, uname and hostname from proc-server,
exit statuses, a fork followed by an exec in the same shell, pipelines, a
trap handler, a background job and ash's `wait` (sigsuspend and SIGCHLD);
mount and umount of procfs, /proc/self/exe (readlink and execve), /proc/mounts, ps;
devtmpfs on /dev: its nodes, /dev/urandom and /dev/random, /dev/null, the
/dev/stdin link and /dev/tty without a controlling terminal.
The init is tests/programs/run_commands.c reading /etc/commands. An
expected output is a string, or a compiled regex the whole output matches."""
import re

from qemu_session import ScenarioFailure, run

# /proc/<pid>/stat: pid (comm) state ppid pgrp session tty_nr tpgid ..., 52 fields
STAT = re.compile(r"1 \(init\) R 0 1 1 0 -1( -?\d+){44}\n")

# ps lists every process: init (PID 1, PPID 0) and itself, named as Linux
# names them (comm: the basename of the path given to execve)
PS = re.compile(r"(?s)PID +PPID +COMMAND\n(?=(?:.*\n)? +1 +0 init\n)(?=(?:.*\n)? +\d+ +1 ps\n).*")

EXPECTED = [
    ("hello from busybox\n", 0, "/bin/busybox echo hello from busybox"),
    ("", 1, "/bin/busybox false"),
    # stdout is the console, a terminal: ls prints columns
    ("bin   dev   etc   proc  root  sbin  tmp\n", 0, "/bin/ls /"),
    ("42\n", 0, "sh: echo $((6*7)) > /tmp/answer; cat /tmp/answer"),
    ("/tmp\n", 0, "sh: cd /tmp && pwd"),
    ("2\n", 0, "sh: echo one > /tmp/f; echo two >> /tmp/f; wc -l < /tmp/f"),
    ("Linux x86_64\n", 0, "/bin/uname -sm"),
    ("capsule\n", 0, "/bin/hostname"),
    ("", 3, "sh: exit 3"),
    ("ls: /nonexistent: No such file or directory\n", 1, "sh: ls /nonexistent"),
    ("", 0, "sh: /bin/busybox true; /bin/busybox true"),
    ("hi\n", 0, "sh: echo hi | cat"),
    ("7\n", 0, "sh: ls / | wc -l"),
    ("y\ny\ny\n", 0, "sh: yes | head -n 3"),  # yes ends by SIGPIPE
    ("3\n", 0, "sh: echo one two three | wc -w | cat"),
    ("", 0, "/bin/mount -t proc proc /proc"),
    ("/bin/busybox\n", 0, "/bin/readlink /proc/self/exe"),
    ("initrd / ramfs rw 0 0\nproc /proc proc rw 0 0\n", 0, "/bin/cat /proc/mounts"),
    ("initrd on / type ramfs (rw)\nproc on /proc type proc (rw)\n", 0, "/bin/mount"),
    ("cmdline  cwd      fd       root     status\ncomm     exe      mounts   stat\n", 0,
     "/bin/ls /proc/self/"),
    ("/\n", 0, "/bin/readlink /proc/self/root"),
    # statfs: procfs has no size (0 blocks), as on Linux
    (re.compile(r"Filesystem +1K-blocks +Used +Available +Use% +Mounted on\n"
                r"proc +0 +0 +0 +0% +/proc\n"), 0, "/bin/busybox df /proc"),
    ("/dev/console\n", 0, "/bin/readlink /proc/self/fd/0"),
    (PS, 0, "/bin/ps -o pid,ppid,comm"),
    ("init\n", 0, "/bin/cat /proc/1/comm"),
    (STAT, 0, "/bin/cat /proc/1/stat"),
    # busybox reached through /proc/self/exe, named "exe" by argv[0], as on Linux
    ("exe: applet not found\n", 127, "sh: /proc/self/exe echo via /proc/self/exe"),
    ("mount: mounting none on /tmp failed: No such device\n", 111,
     "/bin/mount -t nosuchfs none /tmp"),
    ("", 0, "/bin/umount /proc"),
    ("", 0, "/bin/ls /proc"),
    ("caught\nafter\n", 0, "sh: trap 'echo caught' USR1; kill -USR1 $$; echo after"),
    ("waited 0\n", 0, "sh: /bin/busybox sleep 0.1 & wait $!; echo waited $?"),
    ("status 5\n", 0, "sh: /bin/busybox sh -c 'exit 5'; echo status $?"),
    # devfs: a fresh instance hides the initrd's nodes and has its own
    ("", 0, "/bin/mount -t devtmpfs dev /dev"),
    ("console  full     ptmx     random   stderr   stdout   urandom\n"
     "fd       null     pts      shm      stdin    tty      zero\n", 0, "/bin/ls /dev"),
    ("16\n", 0, "sh: head -c 16 /dev/urandom | wc -c"),
    ("100000\n", 0, "sh: head -c 100000 /dev/random | wc -c"),  # any size, never waits
    ("differ\n", 0, "sh: head -c 16 /dev/urandom > /tmp/a; head -c 16 /dev/urandom > /tmp/b; "
     "/bin/busybox cmp -s /tmp/a /tmp/b || echo differ"),
    ("written\n", 0, "sh: echo x > /dev/null && echo x > /dev/urandom && echo written"),
    ("/proc/self/fd/0\n", 0, "/bin/readlink /dev/stdin"),
    # run-commands never takes a controlling terminal: /dev/tty is ENXIO, as on Linux
    ("/bin/sh: can't create /dev/tty: No such device or address\n", 1, "sh: echo hi > /dev/tty"),
    ("", 0, "/bin/umount /dev"),
]


def scenario(qemu):
    qemu.expect(r"vfs-server: ready\n", 60)
    for output, status, line in EXPECTED:
        if isinstance(output, re.Pattern):
            m = qemu.expect(r"(?s)(.*?)run: (\d+) ([^\n]*)\n", 60)
            body = "".join(l for l in m.group(1).splitlines(keepends=True)
                           if not l.startswith(("vfs-server:", "proc-server:", "console-server:")))
            if not output.fullmatch(body) or m.group(2) != str(status) or m.group(3) != line:
                raise ScenarioFailure(f"for {line!r} expected {output.pattern!r}, got {m.group(0)!r}")
            continue
        want = output + f"run: {status} {line}\n"
        m = qemu.expect(r"(?s)(.*?)run: (\d+) ([^\n]*)\n", 60)
        got = m.group(0)
        # the log lines of the servers may come in between: keep only the program's
        got = "".join(l for l in got.splitlines(keepends=True)
                      if not l.startswith(("vfs-server:", "proc-server:", "console-server:")))
        if got.strip("\n") != want.strip("\n") and not got.endswith(want):
            raise ScenarioFailure(f"for {line!r} expected {want!r}, got {got!r}")
    qemu.expect(r"run: done\n", 30)
    # BusyBox meets -ENOSYS (rseq at least), but without posix.log_enosys on
    # the kernel command line nothing is logged
    if "unsupported system call" in qemu.log:
        raise ScenarioFailure("an -ENOSYS was logged without posix.log_enosys")


run(scenario)
