"""Pseudo-terminals: init (tests/programs/proc_pty.c) opens /dev/ptmx,
unlocks and opens /dev/pts/0, and checks canonical input with echo, ONLCR
output, raw mode, the window size, ^C for the slave's foreground group,
poll on the master, numbering per devfs instance, what closing either end
does, and /dev/tty on a slave with SIGHUP when its master closes; a
blocking write to a full slave that waits for the master's reads; taking
the slave as controlling terminal by opening it (without O_NOCTTY, as a
session leader); SIGTTIN for background readers. Each check prints a line."""
from qemu_session import ScenarioFailure, run

CHECKS = [
    "open", "canonical", "output", "raw", "winsize", "interrupt", "leader-exit", "poll", "pollout",
    "blocking-write", "killed-writer", "open-ctty", "sigttin", "instances",
    "master-close", "slave-close", "hangup",
]


def scenario(qemu):
    qemu.expect(r"vfs-server: initrd: \d+ entries\n", 60)
    for name in CHECKS:
        m = qemu.expect(r"pty: (\S+) (ok|FAILED)\n", 30)
        if m.group(1) != name or m.group(2) != "ok":
            raise ScenarioFailure(f"check {m.group(1)}: {m.group(2)} (expected {name} ok)")
    m = qemu.expect(r"pty: (\d+) checks failed\n", 30)
    if m.group(1) != "0":
        raise ScenarioFailure(f"{m.group(1)} pty checks failed")
    qemu.expect(r"proc-server: pid 1 \(init\) exited with status 0\n", 30)


run(scenario)
