"""The debug console on COM2: its dbg> prompt answers while the shell on
COM1 runs `sleep 1000`, with the same commands and errors as dbg."""
import re
import time

from qemu_session import ScenarioFailure, run
from second_serial import SecondSerial
from shell import wait_for_shell

com2 = SecondSerial()


def scenario(qemu):
    qemu.expect(r"debug-console: ready on COM2", 90)
    wait_for_shell(qemu)
    com2.connect()
    qemu.send("sleep 1000\n")
    qemu.expect(r"sleep 1000\n", 10)
    com2.send("\r")
    com2.expect(r"dbg> ", 30)
    # the shell echoed the line; the sleep runs once it has forked and execed
    sleeping = re.compile(r"\n\s+\d+\s+\d+\s+\d+\s+\(host\)\s+running\s+no\s+sleep\s+sleep 1000\n")
    for _ in range(20):
        com2.send("proc list\r")
        listing = com2.expect(r"PID\s+PPID\s+PIDS\s+CONTAINER(?s:(.*?))dbg> ", 30).group(1)
        if sleeping.search(listing):
            break
        time.sleep(0.5)
    else:
        raise ScenarioFailure(f"COM2: no sleep 1000 in {listing!r}")
    com2.send("console\r")
    com2.expect(r"foreground group: \d+\n", 30)
    com2.send("vfs contexts\r")
    com2.expect(r"\n\s+1\s+-\s+\d+\s+\d+\s+\d+\s+\d+\s+0\s+initrd\n", 30)
    com2.send("nonsense\r")
    com2.expect(r"dbg: unknown command \(try help\)\n", 30)
    com2.send("caps 99999\r")
    com2.expect(r"dbg: no such process or context\n", 30)
    com2.send("help\r")
    com2.expect(r"  caps PID ", 30)
    # COM1 is still busy with the sleep: ^C ends it and the shell answers again
    qemu.send("\x03")
    qemu.send("echo back\n")
    qemu.expect(r"back\n", 30)


try:
    run(scenario, extra_args=com2.qemu_args())
finally:
    com2.close()
