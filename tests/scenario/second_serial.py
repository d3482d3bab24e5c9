"""A second serial port (COM2) for scenarios: QEMU listens on a unix socket
and the scenario talks to it as it does to COM1.

    from second_serial import SecondSerial
    from qemu_session import run

    com2 = SecondSerial()
    def scenario(qemu):
        com2.connect()
        com2.expect(r"dbg> ", 30)
        com2.send("proc list\\r")
    run(scenario, extra_args=com2.qemu_args())

The first -serial option (stdio, the harness's) stays COM1; this one is the
next, COM2.
"""
import os
import re
import select
import socket
import tempfile
import time

from qemu_session import ScenarioFailure, scaled


class SecondSerial:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="capsule-com2-")
        self.path = os.path.join(self.dir, "com2.sock")
        self.sock = None
        self.log = ""
        self.pos = 0

    def qemu_args(self):
        return ["-serial", f"unix:{self.path},server=on,wait=off"]

    def connect(self, timeout=30):
        deadline = time.monotonic() + scaled(timeout)
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.path)
                self.sock = s
                return
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise ScenarioFailure(f"COM2: cannot connect to {self.path}")
                time.sleep(0.1)

    def send(self, text):
        self.sock.sendall(text.encode("utf-8"))

    def expect(self, regex, timeout):
        """Wait for regex in COM2's output after the last match ("\\r" dropped)."""
        pattern = re.compile(regex)
        deadline = time.monotonic() + scaled(timeout)
        while True:
            m = pattern.search(self.log, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise ScenarioFailure(f"COM2: timed out waiting for {regex!r}; got "
                                      f"{self.log[self.pos:][-2000:]!r}")
            ready, _, _ = select.select([self.sock], [], [], min(left, 0.2))
            if ready:
                data = self.sock.recv(4096)
                if not data:
                    raise ScenarioFailure("COM2: QEMU closed the socket")
                self.log += data.decode("utf-8", errors="replace").replace("\r", "")

    def close(self):
        if self.sock is not None:
            self.sock.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.rmdir(self.dir)
