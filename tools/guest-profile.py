#!/usr/bin/env python3
"""Where the guest spends its time: RIP samples taken through QEMU's monitor.

usage: guest-profile.py [--build DIR] [--interval SECONDS] IMAGE START STOP

Boots IMAGE (512 MiB, TCG, as the scenarios do) with QEMU's human monitor
on a unix socket, waits for the regex START on the serial console, then
asks the monitor for `info registers` every INTERVAL seconds (default
0.003) until the regex STOP appears, and prints the share of samples per
function: kernel functions resolved against DIR/kernel.elf, user ones per
address space (CR3), resolved against each of the servers' ELF files and
the POSIX runtime (every program is linked at the same address, so the
right column is the one whose names make sense for that CR3).

Samples are taken in host time, so a stretch where QEMU's thread waited
for the host counts where the guest stood: shares are fair only over many
samples. docs/performance.md ("Creation time by rank") shows a use; the
whole idle-container series, for instance:
  tools/guest-profile.py build/procbench_idle.img 'processes may hold' 'idle containers, then'
"""
import argparse
import bisect
import collections
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "scenario"))
from qemu_session import QemuSession  # noqa: E402

KERNEL_BASE = 0xffff800000000000
RUNTIME_BASE = 0x7ff000000000  # libc/posix: POSIX_RUNTIME_BASE
USER_ELFS = {"proc-server": "proc-server/proc-server", "vfs-server": "vfs-server/vfs-server",
             "console-server": "servers/console-server/console-server"}
PROMPT = b"(qemu) "


def symbols(path):
    """Sorted (address, name) of the functions of an ELF file."""
    out = subprocess.run(["nm", "-n", "--defined-only", path], capture_output=True, text=True,
                         check=True).stdout
    return [(int(f[0], 16), f[2]) for f in (line.split() for line in out.splitlines())
            if len(f) >= 3 and f[1] in "tTwW"]


def function_at(table, address):
    i = bisect.bisect_right(table, (address, "\xff")) - 1
    return table[i][1] if i >= 0 else "?"


class Monitor:
    """QEMU's human monitor on a unix socket: one command, its answer."""

    def __init__(self, path):
        for _ in range(100):
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        self.sock.settimeout(10)
        self.pending = b""
        self.answer()  # the banner

    def answer(self):
        while PROMPT not in self.pending:
            self.pending += self.sock.recv(65536)
        text, self.pending = self.pending.split(PROMPT, 1)
        return text.decode(errors="replace")

    def command(self, line):
        self.sock.sendall(line.encode() + b"\n")
        return self.answer()


def sample(monitor, interval, running, out):
    """Appends (rip, cr3) to out while running is set."""
    while running.is_set():
        regs = monitor.command("info registers")
        rip, cr3 = re.search(r"RIP=([0-9a-f]+)", regs), re.search(r"CR3=([0-9a-f]+)", regs)
        if rip and cr3:
            out.append((int(rip.group(1), 16), int(cr3.group(1), 16)))
        time.sleep(interval)


def report(samples, build):
    total = len(samples)
    kernel_syms = symbols(os.path.join(build, "kernel.elf"))
    runtime_syms = symbols(os.path.join(build, "libc/posix/posix-runtime"))
    user_syms = {name: symbols(os.path.join(build, path)) for name, path in USER_ELFS.items()}
    kernel = collections.Counter(function_at(kernel_syms, rip) for rip, _ in samples
                                 if rip >= KERNEL_BASE)
    in_kernel = sum(kernel.values())
    print(f"{total} samples; in the kernel {in_kernel} ({100 * in_kernel / total:.1f} %)")
    for name, n in kernel.most_common(15):
        print(f"  {100 * n / total:5.1f} %  {name}")
    spaces = collections.Counter(cr3 for _, cr3 in samples)
    for cr3, n in spaces.most_common(5):
        user = [rip for rip, c in samples if c == cr3 and rip < KERNEL_BASE]
        print(f"CR3 {cr3:#x}: {100 * n / total:.1f} % of samples, {len(user)} in user mode")
        runtime = collections.Counter(function_at(runtime_syms, r) for r in user
                                      if r >= RUNTIME_BASE)
        if runtime:
            print("  runtime: " + ", ".join(f"{f} {c}" for f, c in runtime.most_common(5)))
        for name, table in user_syms.items():
            hits = collections.Counter(function_at(table, r) for r in user if r < RUNTIME_BASE)
            print(f"  as {name}: " + ", ".join(f"{f} {c}" for f, c in hits.most_common(5)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--interval", type=float, default=0.003)
    parser.add_argument("image")
    parser.add_argument("start")
    parser.add_argument("stop")
    args = parser.parse_args()
    samples, running = [], threading.Event()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "monitor.sock")
        monitor_arg = ["-monitor", f"unix:{path},server=on,wait=off"]
        with QemuSession(args.image, extra_args=monitor_arg) as qemu:
            monitor = Monitor(path)
            qemu.expect(args.start, 1800)
            running.set()
            sampler = threading.Thread(target=sample,
                                       args=(monitor, args.interval, running, samples))
            sampler.start()
            started = time.monotonic()
            try:
                qemu.expect(args.stop, 1800)
            finally:
                running.clear()
                sampler.join()
            print(f"sampled {time.monotonic() - started:.1f} s of host time")
    if samples:
        report(samples, args.build)


if __name__ == "__main__":
    main()
