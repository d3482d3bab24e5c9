"""Self-check of qemu_session.py without a Capsule image.

Boots hand-assembled 512-byte real-mode boot sectors (written to a temporary
directory) that print on COM1, optionally echo serial input until '!', and
optionally write to the isa-debug-exit port 0xf4.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_session import QemuSession, ScenarioFailure  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def boot_sector(message, exit_value=None, echo=False):
    code = bytes.fromhex("fa31c08ed8fc")                 # cli; xor ax,ax; mov ds,ax; cld
    code += b"\xbe\0\0"                                    # mov si, msg (patched below)
    code += bytes.fromhex("baf803" "ac84c07403eeebf8")     # mov dx,0x3f8; print loop until NUL
    if echo:  # poll LSR data-ready, read RBR, write it back, until '!'
        code += bytes.fromhex("bafd03" "eca80174fb" "baf803" "ecee" "3c21" "75ef")
    if exit_value is not None:
        code += bytes.fromhex("baf400b0") + bytes([exit_value]) + b"\xee"  # out 0xf4, value
    code += bytes.fromhex("f4ebfd")                        # hlt; jmp back to hlt
    msg = 0x7C00 + len(code)
    code = code[:7] + msg.to_bytes(2, "little") + code[9:]
    code += message.encode() + b"\0"
    assert len(code) <= 510
    return code.ljust(510, b"\0") + b"\x55\xaa"


@unittest.skipUnless(shutil.which("qemu-system-x86_64"), "qemu-system-x86_64 not installed")
class SelfCheck(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="capsule-selfcheck-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def image(self, *args, **kwargs):
        path = os.path.join(self.tmp, f"sector{len(os.listdir(self.tmp))}.img")
        with open(path, "wb") as f:
            f.write(boot_sector(*args, **kwargs))
        return path

    def test_expect_and_debug_exit_status(self):
        img = self.image("HELLO (not a KERNEL PANIC)\r\n", exit_value=0x21)
        with QemuSession(img) as qemu:
            self.assertEqual(qemu.command[:8], ["qemu-system-x86_64", "-m", "512M", "-drive",
                                                f"file={img},format=raw", "-serial", "stdio",
                                                "-display"])
            self.assertIn("tcg", qemu.command)
            self.assertEqual(qemu.expect(r"HEL+O", 20).group(0), "HELLO")
            qemu.expect(r"PANIC\)\n", 5)  # "\r" is stripped
            self.assertEqual(qemu.wait_exit(20), (0x21 << 1) | 1)

    def test_send_echo(self):
        with QemuSession(self.image("ready\r\n", exit_value=3, echo=True)) as qemu:
            qemu.expect("ready\n", 20)
            qemu.send("typed é!")
            qemu.expect("typed é!", 10)
            self.assertEqual(qemu.wait_exit(20), 7)

    def test_kernel_panic(self):
        img = self.image("booting\r\nKERNEL PANIC: x\r\nrip=0xdead\r\n")
        with QemuSession(img) as qemu:
            start = time.monotonic()
            with self.assertRaisesRegex(ScenarioFailure, "^kernel panic$"):
                qemu.expect("never printed", 60)
            self.assertLess(time.monotonic() - start, 30)
            self.assertIn("rip=0xdead", qemu.log)  # the dump after the panic line is kept
            with self.assertRaisesRegex(ScenarioFailure, "kernel panic"):
                qemu.expect("booting", 1)          # stays failed

    def test_raw_command_and_console_log(self):
        img = self.image("HELLO\r\n", exit_value=1)
        plain = ["qemu-system-x86_64", "-m", "512M", "-drive", f"file={img},format=raw",
                 "-serial", "stdio", "-display", "none"]
        log = os.path.join(self.tmp, "console.log")
        with mock.patch.dict(os.environ, {"CAPSULE_CONSOLE_LOG": log}):
            with QemuSession(img, raw_command=plain) as qemu:
                self.assertEqual(qemu.command, plain)
                qemu.expect("HELLO", 20)
                with self.assertRaisesRegex(ScenarioFailure, "waiting for QEMU to exit"):
                    qemu.wait_exit(1)  # no isa-debug-exit device: it just halts
        self.assertIsNotNone(qemu.proc.returncode)  # close() killed it
        with open(log) as f:
            self.assertIn("HELLO\n", f.read())

    def test_run_reports_timeout_with_console_tail(self):
        img = self.image("".join(f"L{i}\r\n" for i in range(60)))
        script = os.path.join(self.tmp, "scenario.py")
        with open(script, "w") as f:
            f.write(textwrap.dedent("""
                from qemu_session import run
                run(lambda qemu: (qemu.expect("L59", 20), qemu.expect("NEVER", 1)))
            """))
        env = dict(os.environ, PYTHONPATH=HERE, CAPSULE_TIMEOUT_SCALE="1.5")
        out = subprocess.run([sys.executable, script, img], env=env, capture_output=True,
                             text=True, timeout=120)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("FAIL: timed out after 1.5s waiting for /NEVER/", out.stdout)
        self.assertIn("=== last 50 console lines ===", out.stdout)
        self.assertIn("\nL59\n", out.stdout)
        self.assertIn("\nL10\n", out.stdout)
        self.assertNotIn("\nL9\n", out.stdout)  # only the last 50 lines

    def test_run_pass(self):
        img = self.image("HELLO\r\n", exit_value=0)
        script = os.path.join(self.tmp, "scenario.py")
        with open(script, "w") as f:
            f.write("from qemu_session import run\n"
                    "run(lambda qemu: qemu.expect('HELLO', 20) and qemu.wait_exit(20))\n")
        out = subprocess.run([sys.executable, script, img], env=dict(os.environ, PYTHONPATH=HERE),
                             capture_output=True, text=True, timeout=120)
        self.assertEqual((out.returncode, out.stdout), (0, "PASS\n"), out.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
