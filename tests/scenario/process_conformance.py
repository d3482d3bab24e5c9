"""System calls one by one as Linux answers them: init
(tests/programs/posix_conformance.c, the same source the host test
host_posix_conformance runs on Linux) prints "ok NAME" or "FAIL NAME: ..."
per check, then a count; every check must pass, registers across system
calls included."""
import re

from qemu_session import ScenarioFailure, run


def scenario(qemu):
    qemu.expect(r"vfs-server: initrd: \d+ entries\n", 60)
    failed = []
    while True:
        m = qemu.expect(r"(FAIL [^\n]*|conformance: (\d+) checks, (\d+) failed)\n", 60)
        if m.group(1).startswith("FAIL"):
            failed.append(m.group(1))
            continue
        if int(m.group(2)) < 250:
            raise ScenarioFailure(f"only {m.group(2)} checks ran")
        break
    if failed:
        raise ScenarioFailure(f"{len(failed)} checks failed:\n" + "\n".join(failed))
    qemu.expect(r"proc-server: pid 1 \([^)]*\) exited with status 0\n", 30)  # comm was renamed
    # the image boots with posix.log_enosys: each unknown number once per process
    for nr in (1000, 1001):
        lines = re.findall(rf"proc-server: pid 1 \([^)]*\): unsupported system call {nr}, "
                           r"answered ENOSYS\n", qemu.log)
        if len(lines) != 1:
            raise ScenarioFailure(f"system call {nr} logged {len(lines)} times, not once")


run(scenario)
