"""dbg over real containers: two started with runc show in `dbg containers`,
`dbg proc scopes` and `dbg vfs contexts` with their IDs, scopes, contexts,
mounts and process counts; a container process's capability set names only
its own objects; dbg in a jailed container, or in one whose bundle did not
ask for it, fails with one clear line."""
import re

from qemu_session import ScenarioFailure, run
from shell import check, command, expect_in, wait_for_shell


def scenario(qemu):
    wait_for_shell(qemu)
    command(qemu, "cd /tmp && B=/containers/busybox J=/containers/jailed")
    check(qemu, "mkdir s && cp -r $B/* s/", "")
    check(qemu, "sed -i 's/\\[\"sh\"\\]/[\"sleep\",\"1000\"]/' s/config.json", "")
    check(qemu, "runc run -d -b s web && runc run -d -b s db", "")
    check(qemu, "runc exec web sh -c 'sleep 300 &'", "")
    out = expect_in(
        qemu, "dbg containers",
        r"^\s+(\d+) web\s+running\s+\d+\s+2\s+64\s+(\d+) \d+:busybox\s+\d+ no\s*$",
        r"^\s+(\d+) db\s+running\s+\d+\s+1\s+64\s+(\d+) \d+:busybox\s+\d+ no\s*$")
    web_ctx = re.search(r"^\s+\d+ web\s+running\s+\d+\s+\d+\s+\d+\s+(\d+)", out, re.M).group(1)
    expect_in(qemu, "dbg proc scopes", r"^\s+\d+\s+web\s+running\s+64\s+2\s",
                 r"^\s+\d+\s+db\s+running\s+64\s+1\s")
    expect_in(qemu, "dbg vfs contexts", rf"^\s+{web_ctx} web\s+\d+\s+7\s",
                 r"^\s+\d+ db\s+\d+\s+7\s")
    expect_in(qemu, f"dbg vfs mounts {web_ctx}", r"^\S+\s+/\s+\S+\s+rw\s+locked$",
                 r"^proc\s+/proc\s+proc\s+rw\s+locked$", r"^initrd\s+/bin\s+ramfs\s+ro\s+locked$")
    # PID 1 of web: every server object it names is web's own
    pid = command(qemu, "runc state web | sed 's/.*\"pid\":\\([0-9]*\\).*/\\1/'").strip()
    caps = command(qemu, f"dbg caps {pid}")
    named = [line for line in caps.splitlines() if "→" in line]
    if len(named) != 2 or "(container web)" not in named[0] or \
            f"context {web_ctx} (container web)" not in named[1]:
        raise ScenarioFailure(f"dbg caps {pid}: {named!r}")
    if "debug capability" in caps:
        raise ScenarioFailure(f"dbg caps {pid}: a container holds the debug capability")
    check(qemu, "runc exec web dbg kernel; echo $?",
          "dbg: no debug capability (jailed, or not of the host's root scope)\n1\n")
    check(qemu, "echo 'dbg kernel; echo $?' | runc run -b $J j1",
          "dbg: no debug capability (jailed, or not of the host's root scope)\n1\n")
    check(qemu, "runc delete -f web && runc delete -f db", "")
    check(qemu, "dbg containers | wc -l", "1\n")
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
