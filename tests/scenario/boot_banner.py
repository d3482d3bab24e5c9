"""The system image boots to the kernel banner, memory map, module list and
the root task's first message."""
from qemu_session import run


def scenario(qemu):
    qemu.expect(r"Capsule microkernel, x86_64", 60)
    qemu.expect(r"memory map:\n(  [0-9a-f]{16}-[0-9a-f]{16} \w.*\n)+", 10)
    qemu.expect(r"modules:\n  [0-9a-f]{16}-[0-9a-f]{16} +\d+ KiB  proc-server\n", 10)
    qemu.expect(r"proc-server: root task running: \d+ MiB in the root pool", 30)


run(scenario)
