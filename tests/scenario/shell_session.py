"""make run's system: init starts BusyBox ash as a login shell on the
console, and a user's session works: files, pipes, redirections, exit
statuses, a script, /proc, ps, /dev (devtmpfs, /dev/tty the console),
background jobs and `wait`, ^C interrupting
a foreground `sleep`, and `poweroff` ending QEMU."""
import re
import time

from qemu_session import ScenarioFailure, run
from shell import PROMPT, check, command, wait_for_shell


def scenario(qemu):
    wait_for_shell(qemu)
    check(qemu, "echo hi > /tmp/x; cat /tmp/x", "hi\n")
    check(qemu, "ls / | wc -l", "9\n")
    check(qemu, "uname -a", re.compile(r"Linux capsule \S+ .* x86_64 GNU/Linux\n"))
    check(qemu, "hostname", "capsule\n")
    check(qemu, "sh -c 'exit 3'; echo $?", "3\n")
    check(qemu, "printf 'echo in script\\nexit 4\\n' > /tmp/s", "")
    check(qemu, "sh /tmp/s; echo $?", "in script\n4\n")
    check(qemu, "readlink /proc/self/exe", "/bin/busybox\n")
    check(qemu, "ps -o pid,ppid,comm | grep -c init", "1\n")
    check(qemu, "mount | grep proc", "proc on /proc type proc (rw)\n")
    check(qemu, "kill -0 $$ && echo alive", "alive\n")
    check(qemu, "find / -path '/etc/*' -name profile", "/etc/profile\n")
    # init mounted devtmpfs on /dev; the console is this shell's controlling
    # terminal, so /dev/tty is the console
    check(qemu, "mount | grep /dev", "devtmpfs on /dev type devtmpfs (rw)\n")
    check(qemu, "echo hi > /dev/tty", "hi\n")
    check(qemu, "head -c 16 /dev/urandom | wc -c", "16\n")
    check(qemu, "readlink /dev/stdin", "/proc/self/fd/0\n")
    check(qemu, "sleep 1 & wait; echo waited", re.compile(r"(?s)(\[1\] \d+\n)?waited\n.*"))
    # CPU time: BusyBox's time (wait4's rusage), ash's times (times(2)),
    # the system's busy and idle time in /proc/stat
    out = command(qemu, "time -p sh -c 'for i in $(seq 10000); do :; done'")
    spent = re.fullmatch(r"real \d+\.\d\d\nuser (\d+)\.(\d\d)\nsys (\d+)\.(\d\d)\n", out)
    if spent is None or all(int(n) == 0 for n in spent.groups()):
        raise ScenarioFailure(f"time: no CPU time counted: {out!r}")
    out = command(qemu, "times")
    times = re.fullmatch(r"\d+m\d+\.\d+s \d+m\d+\.\d+s\n(\d+)m(\d+)\.(\d+)s (\d+)m(\d+)\.(\d+)s\n",
                         out)
    if times is None or all(int(n) == 0 for n in times.groups()):
        raise ScenarioFailure(f"times: the children's CPU time is missing: {out!r}")
    check(qemu, "head -1 /proc/stat", re.compile(r"cpu  [1-9]\d* 0 0 \d+ 0 0 0 0 0 0\n"))
    # commands leave no memory behind in vfs-server (each one used to leave
    # its /proc/<pid>, looked up as /proc/self/exe, until /proc was listed)
    used = re.compile(r"vfs-server +\d+ +\d+ +(\d+) ")
    before = int(used.search(command(qemu, "dbg kernel | grep vfs-server")).group(1))
    check(qemu, "for i in $(seq 30); do /bin/true; done", "")
    after = int(used.search(command(qemu, "dbg kernel | grep vfs-server")).group(1))
    if after - before > 4:
        raise ScenarioFailure(f"30 commands: vfs-server's objects {before} -> {after}")
    # ^C goes to the foreground job only: the shell survives it
    qemu.send("sleep 100\n")
    qemu.expect(r"sleep 100\n", 10)
    time.sleep(2)
    qemu.send("\x03")
    qemu.expect(r"\^C\n" + PROMPT, 15)
    check(qemu, "echo $?", "130\n")
    qemu.send("poweroff\n")
    status = qemu.wait_exit(60)
    if status != 1:  # isa-debug-exit: (0 << 1) | 1
        raise ScenarioFailure(f"poweroff: QEMU exited with status {status}, not 1")


run(scenario)
