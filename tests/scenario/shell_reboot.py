"""BusyBox's `reboot` on capsule.img: init asks proc-server to restart the
machine (reboot(2) with RB_AUTOBOOT), the kernel resets it, and QEMU, run
with -no-reboot, exits with status 0 rather than isa-debug-exit's odd one."""
from qemu_session import ScenarioFailure, run
from shell import wait_for_shell


def scenario(qemu):
    wait_for_shell(qemu)
    qemu.send("reboot\n")
    qemu.expect(r"init: rebooting\n", 30)
    status = qemu.wait_exit(60)
    if status != 0:
        raise ScenarioFailure(f"reboot: QEMU exited with status {status}, not 0 (a reset)")


run(scenario)
