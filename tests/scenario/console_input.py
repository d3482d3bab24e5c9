"""The servers without an init: console-server takes COM1 over from the kernel (and
prints the kernel log from then on: its own "ready" line comes that way),
echoes what is typed on the serial console in canonical mode, and, with no
reader yet, shows each line it received in the log."""
from qemu_session import run


def scenario(qemu):
    qemu.expect(r"log: COM1 handed over; the log goes on in the ring\n", 60)
    qemu.expect(r"console-server: ready on COM1\n", 30)
    qemu.send("hi there\x17capsule\r")
    qemu.expect(r"hi there\x08 \x08\x08 \x08\x08 \x08\x08 \x08\x08 \x08capsule\n", 10)
    qemu.expect(r'console-server: no reader yet; line typed: "hi capsule"\n', 10)


run(scenario)
