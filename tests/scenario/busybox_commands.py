"""Debian's busybox-static, unmodified (glibc, static), runs through the
POSIX runtime: applets by name and through symbolic links, ash with
arithmetic, redirections, cd and pwd, uname and hostname from proc-server,
exit statuses, a fork followed by an exec in the same shell, a trap handler,
a background job and ash's `wait` (sigsuspend and SIGCHLD). The init is
tests/programs/run_commands.c reading /etc/commands."""
from qemu_session import ScenarioFailure, run

EXPECTED = [
    ("hello from busybox\n", 0, "/bin/busybox echo hello from busybox"),
    ("", 1, "/bin/busybox false"),
    ("bin\ndev\netc\nproc\nroot\nsbin\ntmp\n", 0, "/bin/ls /"),
    ("42\n", 0, "sh: echo $((6*7)) > /tmp/answer; cat /tmp/answer"),
    ("/tmp\n", 0, "sh: cd /tmp && pwd"),
    ("2\n", 0, "sh: echo one > /tmp/f; echo two >> /tmp/f; wc -l < /tmp/f"),
    ("Linux x86_64\n", 0, "/bin/uname -sm"),
    ("capsule\n", 0, "/bin/hostname"),
    ("", 3, "sh: exit 3"),
    ("ls: /nonexistent: No such file or directory\n", 1, "sh: ls /nonexistent"),
    ("", 0, "sh: /bin/busybox true; /bin/busybox true"),
    ("caught\nafter\n", 0, "sh: trap 'echo caught' USR1; kill -USR1 $$; echo after"),
    ("waited 0\n", 0, "sh: /bin/busybox sleep 0.1 & wait $!; echo waited $?"),
    ("status 5\n", 0, "sh: /bin/busybox sh -c 'exit 5'; echo status $?"),
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
