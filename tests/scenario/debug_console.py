"""The debug console: dbg's listings from the host's shell, its errors,
malformed and fuzzed requests' errors, a scope of its own seen from the
host (containers, contexts, the capabilities of a process inside naming
nothing outside it), and dbg refused inside that scope and when jailed."""
import json
import re
import time

from qemu_session import ScenarioFailure, run
from shell import command, expect_in, wait_for_shell



def scenario(qemu):
    wait_for_shell(qemu)
    expect_in(qemu, "dbg proc list; echo rc=$?", r"^\s+PID\s+PPID\s+PIDS\s+CONTAINER",
              r"^\s+1\s+0\s+1\s+\(host\)\s+running\s+no\s+init\s+/sbin/init$", r"rc=0")
    expect_in(qemu, "dbg proc scopes", r"^SCOPE\s+CONTAINER", r"^0\s+\(host\)\s+running\s+-\s+\d+\s+1")
    expect_in(qemu, "dbg proc tree", r"^\s+1\s+0\s+1 .*init", r"^\s+\d+\s+1\s+\d+ .*  sh")
    expect_in(qemu, "dbg proc show 1", r"^pid:\s+1 \(1 ", r"^comm:\s+init$")
    expect_in(qemu, "dbg kernel", r"^uptime:\s+\d+\.\d{3} s$",
              r"^frames:\s+\d+ free of \d+ \(\d+ KiB free\)$", r"^root pool: \d+ KiB budget",
              r"^objects:\s+pool \d+, cnode \d+, tcb \d+, vspace \d+, frame \d+, debug 1, endpoint",
              r"^\s+- proc-server\s+\d+\s+\d+\s+\d+\s+runnable\s+255 -$",
              r"^\s+- vfs-server\s+\d+\s+\d+\s+\d+\s+blocked-recv\s+200 endpoint$",
              r"^\s+- debug-console\s+\d+\s+\d+\s+\d+\s+blocked-notification\s+200 notification$",
              r"^\s+1 init\s+\d+\s+\d+\s+\d+\s+blocked-reply\s+100 a server's reply$")
    expect_in(qemu, "dbg --json kernel", r'^\{"uptime_ms":\d+,"frames":\{"free":\d+,"total":\d+\}')
    expect_in(qemu, "dbg caps 1", r"^\s+10\s+endpoint\s+-w-G\s+0x2\s+proc-server session → process 1, scope 0 "
              r"\(container \(host\)\)$",
              r"^\s+11\s+endpoint\s+-w-G\s+0x2\s+vfs-server session → process 1, context 1$",
              r"^\s+14\s+endpoint\s+-w--\s+0x4000000000000001\s+proc-server debug capability")
    expect_in(qemu, "dbg vfs contexts", r"^\s+CTX\s+CONTAINER\s+REFS\s+MOUNTS",
              r"^\s+1\s+-\s+\d+\s+\d+\s+\d+\s+\d+\s+0\s+initrd$")
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
    # every --json form is one JSON document
    for listing in ["kernel", "proc list", "proc tree", "proc scopes", "proc show 1", "caps 1",
                    "containers", "vfs contexts", "vfs mounts 1", "vfs files 1", "console"]:
        out = command(qemu, f"dbg --json {listing}", 60)
        try:
            json.loads(out)
        except ValueError as err:
            raise ScenarioFailure(f"dbg --json {listing}: {err}: {out!r}")
    # malformed and fuzzed requests get errors, and dbg still works after
    expect_in(qemu, "debug-fuzz", r"^debug-fuzz: ok$")
    # the interactive prompt
    expect_in(qemu, "printf 'help\\nconsole\\nquit\\n' | dbg", r"^dbg> commands", r"  caps PID",
              r"^dbg> device:\s+COM1")
    # a scope of its own, as a container will have: dbg sees it from the host
    # two scopes of their own, as containers will have: dbg sees both from the host
    command(qemu, "sandbox /bin/sleep 300 &")
    command(qemu, "sandbox /bin/sleep 301 &")
    first = r"^\s+1\s+-\s+creating\s+\d+\s+1\s+-\s+2\s+1:sandbox\s+\d+\s+no\s*$"
    second = r"^\s+2\s+-\s+creating\s+\d+\s+1\s+-\s+3\s+2:sandbox\s+\d+\s+no\s*$"
    rows = ""
    for _ in range(20):
        rows = command(qemu, "dbg containers")
        if re.search(first, rows, re.MULTILINE) and re.search(second, rows, re.MULTILINE):
            break
        time.sleep(0.5)
    else:
        raise ScenarioFailure(f"dbg containers: not both sandboxes in {rows!r}")
    expect_in(qemu, "dbg proc scopes", r"^  1\s+-\s+creating\s+-\s+1\s+\d+\s+1 -$",
              r"^  2\s+-\s+creating\s+-\s+1\s+\d+\s+2 -$")
    expect_in(qemu, "dbg vfs contexts", r"^\s+2\s+-\s+\d+\s+4\s+\d+\s+1\s+1\s+initrd$",
              r"^\s+3\s+-\s+\d+\s+4\s+\d+\s+1\s+2\s+initrd$")
    expect_in(qemu, "dbg vfs mounts 3", r"^initrd\s+/\s+ramfs\s+rw", r"^proc\s+/proc\s+proc\s+rw")
    listing = command(qemu, "dbg proc list")
    m = re.search(r"^\s+(\d+)\s+(\d+)\s+\d+/1\s+-\s+running\s+no\s+sleep\s+/bin/sleep 300$",
                  listing, re.MULTILINE)
    if not m:
        raise ScenarioFailure(f"no sandboxed sleep in {listing!r}")
    pid, sandbox_pid = m.group(1), m.group(2)
    # its capabilities name nothing outside it: its own sessions, no debug capability
    caps = command(qemu, f"dbg caps {pid}")
    named = re.findall(r"→ process (\d+)", caps)
    handles = ("debug", "proc-server scope", "hostname context", "context handle")
    if sorted(set(named)) != [pid] or any(h in caps for h in handles):
        raise ScenarioFailure(f"dbg caps {pid}: names beyond the process: {caps!r}")
    if not re.search(rf"proc-server session → process {pid}, scope [12] \(container -\)$", caps,
                     re.MULTILINE) or \
            not re.search(rf"vfs-server session → process {pid}, context [23]$", caps, re.MULTILINE):
        raise ScenarioFailure(f"dbg caps {pid}: its sessions do not name its scope and context: "
                              f"{caps!r}")
    # the sandbox itself holds the handles it made: named in server terms
    expect_in(qemu, f"dbg caps {sandbox_pid}",
              r"proc-server scope 1 \(container -\), rights 0x3f$",
              r"proc-server hostname context 1 \(sandbox\), rights 0x3$",
              r"vfs-server context handle 0 of process \d+$")
    # inside a scope other than the host's, dbg has no capability
    expect_in(qemu, "sandbox /bin/dbg proc list; echo rc=$?",
              r"^dbg: no debug capability \(jailed, or not of the host's root scope\)$", r"^rc=1$")
    # a jailed process has no debug capability
    expect_in(qemu, "jail-exec /bin/dbg proc list; echo rc=$?",
              r"^dbg: no debug capability \(jailed, or not of the host's root scope\)$", r"^rc=1$")


run(scenario)
