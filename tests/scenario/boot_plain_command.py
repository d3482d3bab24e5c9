"""The image boots with the plain QEMU command users and outside tools rely on:
qemu-system-x86_64 -m 512M -drive file=IMG,format=raw -serial stdio -display none"""
import sys

from qemu_session import run


def scenario(qemu):
    qemu.expect(r"Capsule microkernel, x86_64", 60)
    qemu.expect(r"proc-server: root task running", 60)


image = sys.argv[1]
run(scenario, raw_command=["qemu-system-x86_64", "-m", "512M", "-drive",
                           f"file={image},format=raw", "-serial", "stdio", "-display", "none"])
