"""Debian's busybox-static, unmodified (glibc, static), runs through the
POSIX runtime: applets by name and through symbolic links, ash with
arithmetic, redirections, cd and pwd, uname and hostname from proc-server,
exit statuses, a fork followed by an exec in the same shell, pipelines
(ash forks each part; it tries /proc/self/exe first and, without procfs,
finds the applet on PATH). The init is
tests/programs/run_commands.c reading /etc/commands."""
from qemu_session import ScenarioFailure, run

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
]


def scenario(qemu):
    qemu.expect(r"vfs-server: ready\n", 60)
    for output, status, line in EXPECTED:
        want = output + f"run: {status} {line}\n"
        m = qemu.expect(r"(?s)(.*?)run: (\d+) ([^\n]*)\n", 60)
        got = m.group(0)
        # the log lines of the servers may come in between: keep only the program's
        got = "".join(l for l in got.splitlines(keepends=True)
                      if not l.startswith(("vfs-server:", "proc-server:", "console-server:")))
        if got.strip("\n") != want.strip("\n") and not got.endswith(want):
            raise ScenarioFailure(f"for {line!r} expected {want!r}, got {got!r}")
    qemu.expect(r"run: done\n", 30)


run(scenario)
