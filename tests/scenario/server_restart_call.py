"""A server that dies while serving proc-server's own Call (docs/restart.md,
"The watcher"), on restart.img: `dbg crash SERVER WHEN` arms the server to
fault during proc-server's next relayed listing or vfs-server's next
CONSOLE_SESSION_END (console-server), or the next fork, exec or spawn
(vfs-server). The Call fails, the request in
progress gets EIO (never a half-made process), proc-server restarts the
server and the system goes on: new shells, `runc run` of the busybox
bundle."""
from qemu_session import ScenarioFailure, run
from shell import check, command, expect_in, wait_for_shell


def vfs_crash_at(qemu, when, line, restart):
    """Arms vfs-server to crash at `when`, types `line`, whose fork, exec
    or spawn meets the crash; proc-server's Call ends and vfs-server is
    rebuilt. The old shell then ends (EIO) and init starts a new one."""
    # (the server's own log line may come before dbg's)
    expect_in(qemu, f"dbg crash vfs-server {when}", r"^vfs-server: crash armed$")
    qemu.send(line + "\n")
    qemu.expect(r"vfs-server: crashing as asked", 30)
    qemu.expect(r"proc-server: vfs-server: fault \d+ at rip", 30)
    qemu.expect(rf"proc-server: vfs-server restarted \(restart {restart}\)", 30)
    qemu.expect(r"proc-server: init attached to the new vfs-server's boot context", 30)
    wait_for_shell(qemu)
    check(qemu, "cat /etc/hostname", "capsule\n")


def scenario(qemu):
    wait_for_shell(qemu)
    # console-server dies serving the listing proc-server relays for dbg:
    # dbg gets EIO, its files (vfs-server's) outlive the restart
    expect_in(qemu, "dbg crash console-server listing", r"^console-server: crash armed$")
    # (in a non-interactive sh: the login shell ends when its terminal does)
    qemu.send("sh -c 'dbg console >/tmp/out 2>/tmp/err; echo rc=$? >/tmp/rc'\n")
    qemu.expect(r"proc-server: console-server: fault \d+ at rip", 30)
    qemu.expect(r"proc-server: console-server restarted \(restart 1\)", 30)
    wait_for_shell(qemu)
    check(qemu, "cat /tmp/rc /tmp/err /tmp/out",
          "rc=1\ndbg: the listing changed, or its server was restarted, while answering: "
          "try again\n")
    expect_in(qemu, "dbg console", r"^session:\s+\d+", r"^mode:\s+\S+")
    # console-server dies serving vfs-server's CONSOLE_SESSION_END, sent
    # while proc-server waits on vfs-server (the VFS_PROC_EXIT of a session
    # leader): the watcher ends vfs-server's Call to the dead server too
    expect_in(qemu, "dbg crash console-server session-end", r"^console-server: crash armed$")
    qemu.send("setsid true\n")
    qemu.expect(r"proc-server: console-server: fault \d+ at rip", 30)
    qemu.expect(r"proc-server: console-server restarted \(restart 2\)", 30)
    wait_for_shell(qemu)
    check(qemu, "echo typed", "typed\n")
    # vfs-server dies reading dbg's executable for the shell child's exec,
    # then forking the shell's next child, then serving runc's spawn of a
    # container's first process
    vfs_crash_at(qemu, "exec", "dbg kernel", 1)
    vfs_crash_at(qemu, "fork", "dbg kernel", 2)
    command(qemu, "B=/containers/busybox")
    vfs_crash_at(qemu, "spawn", "echo 'exit 3' | runc run -b $B c1; echo rc=$?", 3)
    expect_in(qemu, "dbg caps vfs-server", r"^vfs-server, restarted 3 times$")
    # nothing half-made stayed behind: every process is one of the new
    # shell's, init or the containers'
    out = command(qemu, "dbg proc list")
    if "runc" in out:
        raise ScenarioFailure(f"a runc process outlived the restart: {out!r}")
    command(qemu, "B=/containers/busybox")
    check(qemu, "echo 'test -e /bin/sh && exit 7' | runc run -b $B c2; echo $?", "7\n")
    expect_in(qemu, "dbg kernel", r"vfs-server", r"console-server", r"proc-server watch")
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
