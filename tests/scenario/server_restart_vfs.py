"""vfs-server restarted by proc-server (docs/restart.md) on restart.img:
every process from before loses its files and context (EIO), a container
from before never gets the host's root in place of its own, init alone is
attached to the rebuilt boot context and starts a new shell, which reads
the initrd's files, starts processes and a new container; dbg answers."""
import re

from qemu_session import ScenarioFailure, run
from shell import check, command, expect_in, wait_for_shell



def scenario(qemu):
    wait_for_shell(qemu)
    command(qemu, "mkdir /tmp/s && cp -r /containers/busybox/* /tmp/s/")
    # PID 1 of c1, once the restart is over, looks at its root for as long
    # as it sees one: it must end (errors), never spin on the host's root
    check(qemu, "echo 'sleep 10; while test -e /; do :; done' >/tmp/s/rootfs/l", "")
    check(qemu, "sed -i 's|\\[\"sh\"\\]|[\"sh\",\"/l\"]|' /tmp/s/config.json", "")
    check(qemu, "runc run -d -b /tmp/s c1; echo $?", "0\n")
    expect_in(qemu, "runc state c1", r'"status":\s*"running"')
    # holds a file across the restart; stops itself when reading it fails
    command(qemu, "H='sleep 10; read -r x && exit 0; kill -STOP $$'")
    out = command(qemu, 'sh -c "$H" </etc/hostname & echo pid=$!')
    holder = re.search(r"pid=(\d+)", out).group(1)
    qemu.send("dbg crash vfs-server\n")
    qemu.expect(r"proc-server: vfs-server: fault \d+ at rip", 30)
    qemu.expect(r"proc-server: vfs-server restarted \(restart 1\)", 30)
    qemu.expect(r"proc-server: init attached to the new vfs-server's boot context", 30)
    # the old shell's read was with console-server: this line ends it
    qemu.send("\n")
    wait_for_shell(qemu)
    check(qemu, "cat /etc/hostname", "capsule\n")
    check(qemu, "ls /containers/busybox/config.json", "/containers/busybox/config.json\n")
    expect_in(qemu, "dbg caps vfs-server", r"^vfs-server, restarted 1 times$")
    expect_in(qemu, "dbg vfs contexts", r"^\s+1\s")
    command(qemu, "sleep 12")
    expect_in(qemu, f"dbg proc show {holder}", r"^state:\s+stopped$")
    expect_in(qemu, "runc state c1", r'"status":\s*"stopped"')
    command(qemu, "B=/containers/busybox")
    check(qemu, "echo 'test -e /bin/sh && exit 7' | runc run -b $B c2; echo $?", "7\n")
    expect_in(qemu, "dbg kernel", r"vfs-server", r"console-server")
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
