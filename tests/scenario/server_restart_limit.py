"""The restart limit (docs/restart.md), on restart.img: console-server made
to crash again and again is rebuilt 5 times, and the sixth fault within
10 s leaves it stopped with a clear log line instead of a restart loop,
while the rest of the system goes on."""
import re

from qemu_session import ScenarioFailure, run
from shell import command, wait_for_shell

STOPPED = (r"proc-server: console-server faulted again after 5 restarts in 10 s; "
           r"it stays stopped")


def scenario(qemu):
    wait_for_shell(qemu)
    # in a session of its own with its files in /tmp (vfs-server's): the
    # loop outlives every console-server it crashes. The guest's clock
    # runs slower than the wall clock under TCG: six crashes fit in 10 s.
    # Each dbg leads a session, so its exit has vfs-server tell
    # console-server (CONSOLE_SESSION_END): once console-server is stopped
    # that must fail, not wait for good, or the last line never runs.
    # (each line typed stays short: the line editor would wrap a long one)
    command(qemu, "C='setsid dbg crash'")
    command(qemu, 'L="for i in 1 2 3 4 5 6 7; do $C console-server; done"')
    command(qemu, 'L="$L; $C vfs-server"')
    qemu.send('setsid sh -c "$L" </dev/null >/tmp/loop 2>&1 &\n')
    for n in range(1, 6):
        qemu.expect(rf"proc-server: console-server restarted \(restart {n}\)", 60)
    qemu.expect(r"proc-server: console-server: fault \d+ at rip", 60)
    m = qemu.expect(r"(?s)(.*?)" + STOPPED, 60)
    if re.search(r"restarted \(restart 6\)", m.group(1)):
        raise ScenarioFailure("console-server was restarted a sixth time")
    # the system goes on without it: files, fork and exec still work, and
    # the loop's last dbg reaches vfs-server, which is restarted as usual
    m = qemu.expect(r"(?s)(.*?)proc-server: vfs-server restarted \(restart 1\)", 60)
    if "console-server restarted" in m.group(1):
        raise ScenarioFailure("console-server was restarted after it was stopped")


run(scenario)
