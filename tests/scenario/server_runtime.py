"""The server runtime's test (a musl-linked root task) passes every check,
and reports its failure count through isa-debug-exit as well."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    qemu.expect(r"runtime-test: stdout reaches the log", 60)
    m = qemu.expect(r"runtime-test: (\d+) passed, (\d+) failed", 60)
    passed, failed = int(m.group(1)), int(m.group(2))
    if failed != 0 or passed < 40:
        raise ScenarioFailure(f"runtime test: {passed} passed, {failed} failed")
    status = qemu.wait_exit(30)
    if status != 1:  # isa-debug-exit: (failures << 1) | 1
        raise ScenarioFailure(f"QEMU exit status {status}, expected 1 (0 failures)")


run(scenario)
