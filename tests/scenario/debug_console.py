"""The debug console: dbg's listings from the host's shell, its errors, a
malformed request's errors, and dbg refused to a jailed process."""
import re

from qemu_session import ScenarioFailure, run
from shell import command, wait_for_shell


def expect_in(qemu, line, *patterns):
    out = command(qemu, line, 60)
    for p in patterns:
        if not re.search(p, out, re.MULTILINE):
            raise ScenarioFailure(f"{line!r}: no {p!r} in {out!r}")
    return out


def scenario(qemu):
    wait_for_shell(qemu)
    expect_in(qemu, "dbg proc list; echo rc=$?", r"^\s+PID\s+PPID\s+PIDS\s+CONTAINER",
              r"^\s+1\s+0\s+1\s+\(host\)\s+running\s+no\s+init\s+/sbin/init$", r"rc=0")
    expect_in(qemu, "dbg proc scopes", r"^SCOPE\s+CONTAINER", r"^0\s+\(host\)\s+running\s+-\s+\d+\s+1")
    expect_in(qemu, "dbg proc tree", r"^\s+1\s+0\s+1 .*init", r"^\s+\d+\s+1\s+\d+ .*  sh")
    expect_in(qemu, "dbg proc show 1", r"^pid:\s+1 \(1 ", r"^comm:\s+init$")
    expect_in(qemu, "dbg kernel", r"^uptime:\s+\d+\.\d{3} s$", r"^root pool: \d+ KiB budget",
              r"^\s+1 init\s+\d+\s+\d+\s+\d+\s+blocked-\w+\s+100$")
    expect_in(qemu, "dbg caps 1", r"^\s+10\s+endpoint\s+-w-G\s+0x2\s+proc-server session → process 1$",
              r"^\s+11\s+endpoint\s+-w-G\s+0x2\s+vfs-server session → process 1$",
              r"^\s+14\s+endpoint\s+-w--\s+0x4000000000000001\s+proc-server debug capability")
    expect_in(qemu, "dbg vfs contexts", r"^\s+CTX\s+REFS\s+MOUNTS", r"^\s+1\s+\d+\s+\d+\s+\d+\s+\d+\s+0\s+initrd$")
    expect_in(qemu, "dbg vfs mounts 1", r"^SOURCE\s+PATH", r"^initrd\s+/\s+ramfs\s+rw")
    expect_in(qemu, "dbg vfs files 1", r"^\s+FD\s+KIND", r"^\s+0\s+tty\s+")
    expect_in(qemu, "dbg console", r"^device:\s+COM1$", r"^foreground group: \d+$",
              r"^mode:\s+canonical")
    expect_in(qemu, "dbg --json proc show 1", r'^\{"pid":1,"ppid":0,"pids":"1",.*"comm":"init"')
    expect_in(qemu, "dbg console --json", r'^\{"device":"COM1","session":\d+')
    # errors: one line, non-zero exit
    expect_in(qemu, "dbg frobnicate; echo rc=$?", r"^dbg: unknown command \(try help\)$", r"^rc=1$")
    expect_in(qemu, "dbg proc show 99999; echo rc=$?", r"^dbg: no such process or context$", r"^rc=1$")
    expect_in(qemu, "dbg vfs mounts x; echo rc=$?", r"^dbg: expects a context number CTX$", r"^rc=1$")
    # malformed and fuzzed requests get errors, and dbg still works after
    expect_in(qemu, "debug-fuzz", r"^debug-fuzz: ok$")
    # the interactive prompt
    expect_in(qemu, "printf 'help\\nconsole\\nquit\\n' | dbg", r"^dbg> commands", r"  caps PID",
              r"^dbg> device:\s+COM1")
    # a jailed process has no debug capability
    expect_in(qemu, "jail-exec /bin/dbg proc list; echo rc=$?",
              r"^dbg: no debug capability \(jailed, or not of the host's root scope\)$", r"^rc=1$")


run(scenario)
