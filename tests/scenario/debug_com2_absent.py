"""With one serial port (the plain command line), the debug console finds no
UART on COM2, says so in one line and waits on a notification no one
signals; the shell works as before."""
from qemu_session import run
from shell import command, wait_for_shell


def scenario(qemu):
    qemu.expect(r"debug-console: no UART on COM2 \(0x2f8\): idle\n", 90)
    wait_for_shell(qemu)
    out = command(qemu, "echo still here")
    if out != "still here\n":
        raise AssertionError(f"unexpected {out!r}")


run(scenario)
