"""Signals through the POSIX runtime: init (tests/programs/proc_signals.c)
checks handlers, the mask, sigsuspend with SIGCHLD, SA_RESTART and EINTR,
fault handlers, registers across handlers, sigaltstack, nanosleep and pause,
what fork and exec keep, SIGCHLD on stop and continue, the SA_* flags, and
a deferred default action; each check prints a line. The same checks run
built with musl and with glibc."""
from qemu_session import ScenarioFailure, run

CHECKS = [
    "handler-siginfo", "mask-defers", "sigsuspend-sigchld", "wait4-restart", "wait4-eintr",
    "segv-handler", "registers", "uncatchable", "nanosleep-eintr", "pause", "altstack",
    "timedwait", "fork-exec", "sigchld-wait", "sigchld-ignored", "stop-continue",
    "action-flags", "ill-fpe", "deferred-default",
]


def scenario(qemu):
    qemu.expect(r"vfs-server: initrd: \d+ entries\n", 60)
    for name in CHECKS:
        m = qemu.expect(r"signals: (\S+) (ok|FAILED)\n", 30)
        if m.group(1) != name or m.group(2) != "ok":
            raise ScenarioFailure(f"check {m.group(1)}: {m.group(2)} (expected {name} ok)")
    m = qemu.expect(r"signals: (\d+) checks failed\n", 30)
    if m.group(1) != "0":
        raise ScenarioFailure(f"{m.group(1)} signal checks failed")
    qemu.expect(r"proc-server: pid 1 \(init\) exited with status 0\n", 30)


run(scenario)
