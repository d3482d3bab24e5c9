"""fork through the POSIX runtime: init forks children that see a copy of its
memory, exit with statuses wait4 reports, fault and die by SIGSEGV; init
exits with 42 when every check holds (tests/programs/proc_fork.c)."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    m = qemu.expect(r"proc-server: pid 1 \(init\) exited with status (\d+)\n", 90)
    if m.group(1) != "42":
        raise ScenarioFailure(f"init's check {m.group(1)} failed (see tests/programs/proc_fork.c)")


run(scenario)
