"""With one serial port (the plain command line), the debug console finds no
UART on COM2, says so in one line and waits on a notification no one
signals; the shell works as before. `dbg crash` does not exist in this
default image (only test images enable it, docs/restart.md)."""
from qemu_session import run
from shell import command, wait_for_shell


def scenario(qemu):
    qemu.expect(r"debug-console: no UART on COM2 \(0x2f8\): idle\n", 90)
    wait_for_shell(qemu)
    out = command(qemu, "echo still here")
    if out != "still here\n":
        raise AssertionError(f"unexpected {out!r}")
    out = command(qemu, "dbg crash console-server; dbg crash vfs-server; echo $?")
    if out != "dbg: the server does not know this listing\n" * 2 + "1\n":
        raise AssertionError(f"dbg crash in the default image: {out!r}")


run(scenario)
