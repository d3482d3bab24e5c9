"""proc-server starts vfs-server from its boot module; the server runs on
musl and answers a debug request whose text comes back by bulk copy."""
from qemu_session import run


def scenario(qemu):
    qemu.expect(r"proc-server: module 0: vfs-server \(\d+ bytes, \d+ frames\)", 60)
    qemu.expect(r"vfs-server: initrd: \d+ entries\n", 30)
    qemu.expect(r"vfs-server: ready\n", 30)
    qemu.expect(r"vfs-server: 0 requests served\n", 30)
    qemu.expect(r"proc-server: cannot start /sbin/init: No such file or directory; idle", 30)


run(scenario)
