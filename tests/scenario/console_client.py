"""console-server owns COM1 and serves a test client: the client's ioctls
see Linux's default termios and window size, a line typed on the serial
console is echoed (erase included) and read whole in canonical mode, and
a non-canonical read takes bytes as they come."""
from qemu_session import run


def scenario(qemu):
    qemu.expect(r"console-server: ready on COM1\n", 60)
    qemu.expect(r"console-client: type a line\n", 30)
    qemu.expect(r"console-client: TCGETS 0, lflag 0x8a3b\n", 30)
    qemu.expect(r"console-client: TIOCGWINSZ 0, 24 rows, 80 columns\n", 30)
    qemu.expect(r"console-client: TIOCGPGRP -25\n", 30)  # ENOTTY: no controlling terminal
    qemu.send("hello\r")
    qemu.expect(r"hello\n", 10)  # the echo, "\r\n" with ONLCR
    qemu.expect(r'console-client: read 6 bytes: "hello\\x0a"\n', 10)
    qemu.send("ab\x7fc\r")
    qemu.expect(r"ab\x08 \x08c\n", 10)
    qemu.expect(r'console-client: read 3 bytes: "ac\\x0a"\n', 10)
    qemu.send("raw\r")
    qemu.expect(r"console-client: raw mode: 0\n", 10)
    qemu.send("xyz")
    qemu.expect(r'console-client: raw read 3 bytes: "xyz"\n', 10)
    qemu.expect(r"console-client: canonical mode: 0\n", 10)
    qemu.send("\x03")
    qemu.expect(r"\^Cconsole-server: signal 2: no foreground process group\n", 10)


run(scenario)
