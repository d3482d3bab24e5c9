"""init, an unmodified musl program, runs through the POSIX runtime: it checks
its PID and PPID, wait4 without children, EFAULT for bad pointers (one through
the runtime's copy fixup), the clock and malloc, and exits with 42 when all
of them hold."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    m = qemu.expect(r"proc-server: pid 1 \(init\) exited with status (\d+)\n", 60)  # whole number
    if m.group(1) != "42":
        raise ScenarioFailure(f"init's check {m.group(1)} failed (see tests/programs/proc_basic.c)")


run(scenario)
