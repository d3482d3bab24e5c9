"""The kernel self-test root task runs every test with no failure, and reports
its failure count through isa-debug-exit as well."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    m = qemu.expect(r"selftest: (\d+) passed, (\d+) failed", 300)
    passed, failed = int(m.group(1)), int(m.group(2))
    if failed != 0 or passed == 0:
        raise ScenarioFailure(f"self-test: {passed} passed, {failed} failed")
    status = qemu.wait_exit(30)
    if status != 1:  # isa-debug-exit: (failures << 1) | 1
        raise ScenarioFailure(f"QEMU exit status {status}, expected 1 (0 failures)")


run(scenario)
