"""console-server restarted by proc-server (docs/restart.md) on restart.img,
whose command line enables `dbg crash`: each server holds exactly the
capabilities docs/restart.md lists; after console-server faults the shell
on the old terminal ends, init's new shell works, a process that held the
console across the restart gets EIO on it, and dbg still answers."""
import re

from qemu_session import ScenarioFailure, run
from shell import check, command, expect_in, wait_for_shell

# `dbg caps SERVER`: the rows of the slots proc-server fills (below 16),
# frames aside, exactly as docs/restart.md lists them
GIVEN = {
    "vfs-server": [
        (1, "cnode", "its own CSpace"), (2, "tcb", "its own thread"),
        (3, "vspace", "its own address space"), (4, "pool", "its own pool"),
        (5, "debug", "kernel Debug: its log lines"), (6, "frame", "its IPC buffer"),
        (7, "frame", "its boot-info page"),
        (10, "endpoint", "its endpoint: requests of every session"),
        (11, "endpoint", "console-server's endpoint, as the forwarder"),
        (12, "endpoint", "its own endpoint, to mint context capabilities"),
    ],
    "console-server": [
        (1, "cnode", "its own CSpace"), (2, "tcb", "its own thread"),
        (3, "vspace", "its own address space"), (4, "pool", "its own pool"),
        (5, "debug", "kernel Debug: its log lines"), (6, "frame", "its IPC buffer"),
        (7, "frame", "its boot-info page"), (8, "irq-handler", "COM1's IRQ 4"),
        (9, "io-port", "COM1's ports 0x3f8-0x3ff"),
        (10, "endpoint", "its endpoint: requests of its clients"),
        (12, "notification", "proc-server's terminal-signal notification"),
    ],
    "debug-console": [
        (1, "cnode", "its own CSpace"), (2, "tcb", "its own thread"),
        (3, "vspace", "its own address space"), (4, "pool", "its own pool"),
        (5, "debug", "kernel Debug: its log lines"), (6, "frame", "its IPC buffer"),
        (7, "frame", "its boot-info page"), (8, "irq-handler", "COM2's IRQ 3"),
        (9, "io-port", "COM2's ports 0x2f8-0x2ff"),
        (11, "endpoint", "a debug capability (DEBUG_BADGE_COM2)"),
    ],
}
ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S+)\s+\S+\s+(.*?)\s*$")
# the rights of Debug (slot 5): Write alone only logs; console-server, which
# takes the kernel log over, holds every right
DEBUG_RIGHTS = {"vfs-server": "-w--", "console-server": "rwgG", "debug-console": "-w--"}


def given_caps(qemu, server, restarts):
    out = command(qemu, f"dbg caps {server}")
    lines = out.splitlines()
    if not lines or lines[0] != f"{server}, restarted {restarts} times":
        raise ScenarioFailure(f"dbg caps {server}: header {lines[:1]!r}")
    rows = []
    for line in lines[2:]:
        m = ROW.match(line)
        if m and int(m.group(1)) < 16:
            rows.append((int(m.group(1)), m.group(2), m.group(4)))
            if int(m.group(1)) == 5 and m.group(3) != DEBUG_RIGHTS[server]:
                raise ScenarioFailure(f"dbg caps {server}: Debug with {m.group(3)}")
    if rows != GIVEN[server]:
        raise ScenarioFailure(f"dbg caps {server}: {rows!r}")


def scenario(qemu):
    wait_for_shell(qemu)
    for server in GIVEN:
        given_caps(qemu, server, 0)
    # holds the console (its stdout) across the restart, then writes to it
    command(qemu, "sh -c 'sleep 8; echo late 2>/tmp/err; echo rc=$? >/tmp/late' &")
    qemu.send("dbg crash console-server\n")
    qemu.expect(r"proc-server: console-server: fault \d+ at rip", 30)
    qemu.expect(r"proc-server: console-server restarted \(restart 1\)", 30)
    # the login shell's terminal is gone (EIO): it ends and init starts another
    wait_for_shell(qemu)
    check(qemu, "echo typed", "typed\n")
    given_caps(qemu, "console-server", 1)
    expect_in(qemu, "dbg console", r"^session:\s+\d+", r"^mode:\s+\S+")
    expect_in(qemu, "dbg kernel", r"console-server", r"vfs-server")
    command(qemu, "sleep 8")
    check(qemu, "cat /tmp/late /tmp/err", "rc=1\nsh: write error: Input/output error\n")
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
