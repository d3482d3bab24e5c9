"""QEMU scenario harness: boot a Capsule disk image and drive its serial console.

A scenario script takes the image path as argv[1] and looks like:

    from qemu_session import run

    def scenario(qemu):
        qemu.expect(r"capsule> ", 60)
        qemu.send("echo hi\\n")
        qemu.expect(r"hi\\n", 10)

    run(scenario)

Any line starting with "KERNEL PANIC" fails the scenario at once.
Environment:
  CAPSULE_TIMEOUT_SCALE  multiplies every timeout (float, default 1)
  CAPSULE_ACCEL          accelerator when none is passed (default tcg; kvm only if asked)
  CAPSULE_CONSOLE_LOG    also write the whole console log to this file
"""
import codecs
import os
import re
import select
import subprocess
import sys
import time
import traceback

PANIC = re.compile(r"^KERNEL PANIC", re.MULTILINE)
PANIC_GRACE = 1.0  # seconds of output still collected after a panic (register dump, backtrace)
_last_session = None  # the session run() shows the console of on failure
_opened_logs = set()  # console log files this process already started


class ScenarioFailure(Exception):
    """The system under test misbehaved: timeout, kernel panic, unexpected exit."""


def scaled(seconds):
    return seconds * float(os.environ.get("CAPSULE_TIMEOUT_SCALE", "1"))


class QemuSession:
    def __init__(self, image, extra_args=(), memory="512M", debug_exit=True, accel=None,
                 raw_command=None):
        if raw_command is not None:
            command = list(raw_command)
        else:
            command = ["qemu-system-x86_64", "-m", memory, "-drive", f"file={image},format=raw",
                       "-serial", "stdio", "-display", "none", "-no-reboot"]
            if debug_exit:
                command += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
            command += ["-accel", accel or os.environ.get("CAPSULE_ACCEL") or "tcg"]
            command += list(extra_args)
        self.image, self.command = image, command
        self.log = ""          # everything QEMU printed so far, "\r" stripped
        self.pos = 0           # end of the last expect() match in self.log
        self.panicked = False
        self._eof = False
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._logfile = None
        path = os.environ.get("CAPSULE_CONSOLE_LOG")
        if path:
            self._logfile = open(path, "a" if path in _opened_logs else "w", encoding="utf-8")
            _opened_logs.add(path)
        global _last_session
        _last_session = self
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read(self, timeout):
        """Append whatever QEMU prints within timeout seconds to the log (no panic check)."""
        if self._eof:
            time.sleep(min(max(timeout, 0), 0.05))
            return
        fd = self.proc.stdout.fileno()
        if not select.select([fd], [], [], max(timeout, 0))[0]:
            return
        data = os.read(fd, 65536)
        self._eof = not data
        text = self._decoder.decode(data, final=self._eof).replace("\r", "")
        self.log += text
        if self._logfile and text:
            self._logfile.write(text)
            self._logfile.flush()

    def _check_panic(self):
        if not self.panicked and PANIC.search(self.log):
            self.panicked = True
            end = time.monotonic() + PANIC_GRACE
            while not self._eof and time.monotonic() < end:
                self._read(end - time.monotonic())
        if self.panicked:
            raise ScenarioFailure("kernel panic")

    def _pump(self, timeout):
        self._read(timeout)
        self._check_panic()

    def expect(self, regex, timeout):
        """Wait for regex in the output after the last match; return the re.Match."""
        pattern = re.compile(regex) if isinstance(regex, str) else regex
        limit = scaled(timeout)
        deadline = time.monotonic() + limit
        while True:
            self._check_panic()
            match = pattern.search(self.log, self.pos)
            if match:
                self.pos = match.end()
                return match
            left = deadline - time.monotonic()
            if left <= 0:
                raise ScenarioFailure(f"timed out after {limit:g}s waiting for /{pattern.pattern}/")
            if self._eof:
                status = self.proc.wait()
                raise ScenarioFailure(f"QEMU exited (status {status}) while waiting for "
                                      f"/{pattern.pattern}/")
            self._pump(left)

    def send(self, text):
        """Type text on the serial console."""
        try:
            self.proc.stdin.write(text.encode("utf-8"))
            self.proc.stdin.flush()
        except OSError as err:
            raise ScenarioFailure(f"cannot send to QEMU: {err}") from err

    def wait_exit(self, timeout):
        """Wait for QEMU to exit; return its status (isa-debug-exit: (value << 1) | 1)."""
        limit = scaled(timeout)
        deadline = time.monotonic() + limit
        while not self._eof or self.proc.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ScenarioFailure(f"timed out after {limit:g}s waiting for QEMU to exit")
            self._pump(left)
        self._check_panic()
        return self.proc.returncode

    def tail(self, lines=50):
        return "\n".join(self.log.splitlines()[-lines:])

    def close(self):
        """Kill QEMU (if still running) and collect its remaining output."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        end = time.monotonic() + 2
        while not self._eof and time.monotonic() < end:
            self._read(end - time.monotonic())
        for stream in (self.proc.stdin, self.proc.stdout, self._logfile):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass  # stdin may be a broken pipe once QEMU is gone


def run(scenario_fn, **session_kwargs):
    """Script main: boot sys.argv[1], run scenario_fn(session), exit 0 (PASS) or 1."""
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} IMAGE")
    try:
        with QemuSession(sys.argv[1], **session_kwargs) as session:
            scenario_fn(session)
    except (Exception, KeyboardInterrupt) as err:
        reason = str(err) if isinstance(err, ScenarioFailure) else traceback.format_exc()
        print(f"FAIL: {reason}")
        if _last_session is not None:
            print("========== last 50 console lines ==========")
            print(_last_session.tail(50))
            print("========== end of console ==========")
        sys.stdout.flush()
        sys.exit(1)
    print("PASS")
    sys.exit(0)
